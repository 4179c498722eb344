# syntax=docker/dockerfile:1.7
FROM ubuntu:22.04 AS build
RUN <<SETUP bash
set -euo pipefail
apt-get update
apt-get install -y --no-install-recommends build-essential libfreerdp-dev
SETUP
COPY <<'MAKEFILE' <<"CONFIG" /src/
all:
	cc -o rdp main.c
MAKEFILE
listen=0.0.0.0:3389
CONFIG
RUN make -C /src

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/rdp /usr/local/bin/rdp
EXPOSE 3389/tcp 3389/udp
ENTRYPOINT ["/usr/local/bin/rdp"]
