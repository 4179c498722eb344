#!/usr/bin/env bash
# Builds the bundled example into the local store (.plinth/store) and prints what was built.
# Until the fleet build lands this is one image: a static program on scratch, non-root.
set -euo pipefail
cd "$(dirname "$0")/.."
plinth=build/plinth
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
g++ -static -O2 -o "$work/hello" examples/hello/hello.cc
arch=$(dpkg --print-architecture)
"$plinth" image build --from scratch --add "$work/hello:/usr/local/bin/hello" \
  --user 65532 --entrypoint '["/usr/local/bin/hello"]' --platform "linux/$arch" \
  -t "pickme/lucid-hello:latest-$arch"
"$plinth" store ls
"$plinth" image inspect "pickme/lucid-hello:latest-$arch"
