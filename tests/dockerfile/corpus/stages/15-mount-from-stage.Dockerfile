FROM alpine:3.19 AS tools
RUN apk add --no-cache jq

FROM python:3.12-slim AS assets
RUN --mount=type=bind,from=tools,source=/usr/bin/jq,target=/usr/bin/jq \
    jq --version > /version

FROM gcr.io/distroless/python3-debian12
COPY --from=assets /version /version
