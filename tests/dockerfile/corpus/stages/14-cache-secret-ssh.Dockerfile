# syntax=docker/dockerfile:1
FROM debian:bookworm AS fetch
RUN --mount=type=secret,id=netrc,target=/root/.netrc \
    --mount=type=ssh \
    --mount=type=tmpfs,target=/tmp \
    git clone git@github.com:example/private.git /src
RUN --network=none --mount=type=cache,id=apt,target=/var/cache/apt,sharing=locked true

FROM gcr.io/distroless/base-debian12:nonroot
COPY --from=fetch /src/bin /usr/local/bin
