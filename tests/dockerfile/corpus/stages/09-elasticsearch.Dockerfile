ARG ES_VERSION=8.13.4
FROM docker.elastic.co/elasticsearch/elasticsearch:${ES_VERSION} AS upstream
FROM pickme/lucid-base:java-distroless-arm64
COPY --from=upstream --chown=65532:65532 /usr/share/elasticsearch /usr/share/elasticsearch
ENV ES_JAVA_OPTS="-Xms512m -Xmx512m" \
    discovery.type=single-node
WORKDIR /usr/share/elasticsearch
EXPOSE 9200 9300
ENTRYPOINT ["/usr/share/elasticsearch/bin/elasticsearch"]
