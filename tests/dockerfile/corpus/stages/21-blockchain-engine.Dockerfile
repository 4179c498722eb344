FROM --platform=${BUILDPLATFORM} golang:1.22-alpine AS build
ARG TARGETOS
ARG TARGETARCH
ARG VERSION=dev
ENV CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH}
WORKDIR /src
COPY go.* ./
RUN go mod download
COPY . .
RUN go build -trimpath -ldflags "-X main.version=${VERSION}" -o /out/engine ./cmd/engine

FROM --platform=$TARGETPLATFORM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/engine /engine
USER nonroot:nonroot
ENTRYPOINT ["/engine"]
