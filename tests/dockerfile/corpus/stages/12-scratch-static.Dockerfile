FROM alpine:3.19 AS certs
RUN apk add --no-cache ca-certificates tzdata

FROM golang:1.22-alpine AS build
WORKDIR /src
COPY . .
RUN go build -ldflags="-s -w" -o /app .

FROM scratch
COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=certs /usr/share/zoneinfo /usr/share/zoneinfo
COPY --from=build /app /app
USER 65532:65532
ENTRYPOINT ["/app"]
