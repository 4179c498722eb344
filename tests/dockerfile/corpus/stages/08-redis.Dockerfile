FROM redis:7.2-bookworm AS redis
FROM pickme/lucid-base:latest-arm64
COPY --from=redis /usr/local/bin/redis-server /usr/local/bin/redis-server
COPY redis.conf /etc/redis/redis.conf
EXPOSE 6379
USER 65532
HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD ["/usr/local/bin/redis-server", "--test-memory", "1"]
CMD ["redis-server", "/etc/redis/redis.conf"]
