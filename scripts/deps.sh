#!/usr/bin/env bash
# Installs what plinth needs to build and test on Debian 12 (idempotent: apt-get runs only when a
# package is missing), then configures and builds into build/. Sourced by main.sh and test.sh.
set -euo pipefail

PLINTH_PACKAGES=(
  build-essential cmake ninja-build pkg-config g++ clang libclang-rt-14-dev
  libarchive-dev libzstd-dev libdeflate-dev libisal-dev isal libssl-dev libcurl4-openssl-dev
  nlohmann-json3-dev libyaml-cpp-dev libcli11-dev libsqlite3-dev libgtest-dev libgmock-dev
  skopeo umoci podman buildah runc uidmap docker-registry podman-compose apache2-utils
  zstd xz-utils gpgv debian-archive-keyring openssl curl time git python3
)

plinth_install_packages() {
  local missing=()
  # npm (for ajv-cli in the lint tests): Debian's, unless a Node.js that bundles npm is there.
  command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
  for p in "${PLINTH_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "plinth: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

plinth_build() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  # Arguments name the targets to build (main.sh: plinth alone); none builds everything.
  cmake --build "$root/build" -j "$(nproc)" ${1:+--target "$@"}
}
