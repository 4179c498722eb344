ARG BASE_TAG=latest-arm64
FROM debian:bookworm-slim AS fetch
ARG MONGO_VERSION=7.0.12
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates gnupg \
 && curl -fsSL https://pgp.mongodb.com/server-7.0.asc | gpg --dearmor -o /usr/share/keyrings/mongo.gpg \
 && rm -rf /var/lib/apt/lists/*
RUN curl -fsSLo /tmp/mongo.tgz https://fastdl.mongodb.org/linux/mongodb-linux-aarch64-ubuntu2204-${MONGO_VERSION}.tgz \
 && mkdir -p /out && tar -xzf /tmp/mongo.tgz -C /out --strip-components=1

FROM pickme/lucid-base:${BASE_TAG}
COPY --from=fetch --chown=65532:65532 /out/bin/mongod /usr/bin/mongod
VOLUME ["/data/db"]
EXPOSE 27017
USER 65532:65532
ENTRYPOINT ["/usr/bin/mongod", "--bind_ip_all"]
