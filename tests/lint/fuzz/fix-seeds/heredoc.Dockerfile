FROM debian:latest AS b
RUN <<EOF
wget https://a
apt update
EOF
ADD --chown=1 a b /c/
ENTRYPOINT exec app -x
