FROM golang:1.22 AS base
WORKDIR /src
COPY . .

FROM base AS test
RUN go test ./...

FROM base AS lint
RUN go vet ./...

FROM base AS build
RUN CGO_ENABLED=0 go build -o /out/auth ./cmd/auth

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/auth /auth
ENTRYPOINT ["/auth"]
