FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=busybox:1.36-musl /bin/busybox /busybox
COPY --from=ghcr.io/grpc-ecosystem/grpc-health-probe:v0.4.25 /ko-app/grpc-health-probe /bin/grpc_health_probe
COPY --link --chmod=0755 app /app
ENTRYPOINT ["/app"]
