FROM debian:bookworm-slim AS base
RUN useradd -u 65532 -m app
ONBUILD COPY . /app/src
ONBUILD RUN make -C /app/src
LABEL org.opencontainers.image.title="lucid onbuild base" \
      maintainer="platform@pickme.example"
STOPSIGNAL SIGTERM
