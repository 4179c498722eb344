# syntax=docker/dockerfile:1
# Lucid custom base: Java base (OpenJDK 17 from Debian 12) for JVM services.
# Built first (phase 0); the foundation tier runs on it. Distroless underneath: no shell, no
# package manager, non-root (65532). The Lucid configuration below is what the seed calls the
# "standardized configuration across infrastructure".

# Stage 1: the Lucid configuration, collected on its own so the runtime stage only copies.
FROM scratch AS config
COPY etc/ /etc/lucid/

# Stage 2: runtime.
FROM gcr.io/distroless/java17-debian12:nonroot
LABEL org.opencontainers.image.title="lucid-base-java" \
      org.opencontainers.image.description="Lucid custom base image (java)" \
      org.opencontainers.image.vendor="pickme" \
      io.lucid.tier="base"
COPY --from=config /etc/lucid/ /etc/lucid/
ENV LUCID_CONFIG_DIR=/etc/lucid \
    TZ=UTC
WORKDIR /app
USER 65532:65532
