FROM debian:bookworm AS build
ADD https://example.com/releases/tool-1.2.tar.gz /tmp/
ADD vendor.tar.gz /opt/vendor/
# hadolint ignore=DL3027
RUN apt update && apt-get install -y --no-install-recommends make=4.3-4.1
RUN apt-get update && apt-get install -y \
      ca-certificates \
      git \
    && rm -rf /var/lib/apt/lists/*

FROM debian:bookworm-slim
COPY --from=build /opt/vendor /opt/vendor
USER 1000
ENTRYPOINT ["/opt/vendor/bin/tool"]
CMD /opt/vendor/bin/tool --port $PORT
