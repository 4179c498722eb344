FROM golang:1.22 AS build
WORKDIR /go/src/mesh
COPY . .
RUN make controller

FROM build AS test
RUN make test

FROM gcr.io/distroless/static-debian12:nonroot AS runtime
COPY --from=build /go/src/mesh/bin/controller /controller
ENTRYPOINT ["/controller"]
