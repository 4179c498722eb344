#!/usr/bin/env bash
# Times RUN stages, one run on the same Dockerfiles, through three builders:
#   native         `plinth build --backend native`: runc on overlay snapshots, a cache per step
#   buildah        `buildah build --layers` (its own vfs storage under the work folder, runc and
#                  lowered ulimits, as src/builder/containers_storage_backend.cc configures it)
#   plinth-buildah `plinth build --backend buildah` (buildah --layers=false per stage)
# on a Debian 12 base made with debootstrap (the tests' recipe: tests/e2e/debian_base_support.h;
# its kept copy, under the tests' Debian cache, is used when there is one).
#
#   setup (untimed)  each builder builds a warm-up target whose first RUN is the bench's apt-get
#                    line plus `&& true`: the base is unpacked and the apt cache mounts
#                    (id=apt-archives, id=apt-lists) hold the lists and .debs, so the timed runs
#                    measure RUN steps, not the network; no layer of it can be reused.
#   (a) cold         the bench target, never built before (no --no-cache: that would also keep
#                    plinth from recording the steps for (b)): apt-get update + install of tcc,
#                    libc6-dev and make from the warm cache mounts, a compile, file churn (2000
#                    files made, moved, a tenth removed), a checksum RUN.
#   (b) last step    the bench target again with only its last RUN changed: native re-runs that
#                    step (its step cache has the rest), buildah --layers too (its layer cache),
#                    plinth's buildah backend rebuilds the stage.
# Prints the seconds of each and the ratios native/buildah (targets: cold <= 0.5, last step <= 0.2).
#   usage: bench/native_run.sh [BUILD_DIR]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="$(cd "${1:-$here/../build}" && pwd)"
plinth="$build/plinth"
platform="linux/amd64"
source "$here/../scripts/deps.sh"
plinth_install_packages debootstrap buildah skopeo umoci runc jq
work="$(mktemp -d /tmp/plinth-native-run-bench.XXXXXX)"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT

# The Debian base, as an OCI layout tagged bookworm.
base="${PLINTH_TEST_DEB_CACHE:-${HOME:-/tmp}/.cache/plinth-test-debs}/debian-base/v1/layout"
if [ ! -f "$base/index.json" ]; then
  echo "bench: making the Debian base with debootstrap (untimed)" >&2
  base="$work/base"
  mkdir -p "$work/debs"
  debootstrap --variant=minbase --cache-dir="$work/debs" bookworm "$work/rootfs" \
    http://deb.debian.org/debian >/dev/null
  rm -rf "$work/rootfs"/dev/* "$work/rootfs"/var/lib/apt/lists/* "$work/rootfs"/var/cache/apt/*.bin \
    "$work/rootfs"/var/log/bootstrap.log "$work/rootfs"/etc/hostname "$work/rootfs"/etc/resolv.conf
  (cd "$work/rootfs" && tar --numeric-owner --sort=name -cf "$work/layer.tar" $(ls -A | sort))
  umoci init --layout "$base"
  umoci new --image "$base:bookworm"
  umoci raw add-layer --image "$base:bookworm" "$work/layer.tar"
  umoci config --image "$base:bookworm" --os linux --architecture amd64 \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --config.cmd bash
  rm -rf "$work/rootfs" "$work/layer.tar"
fi

apt_line='RUN --mount=type=cache,id=apt-archives,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,id=apt-lists,target=/var/lib/apt/lists,sharing=locked \
    apt-get update && apt-get install -y --no-install-recommends tcc libc6-dev make'
# The fleet: `warm` (setup) and `bench` (timed); LAST is the bench's last RUN.
write_fleet() {  # DIR LAST
  mkdir -p "$1/warm" "$1/bench"
  cat >"$1/plinth.yaml" <<'EOF'
version: 1
namespace: bench
image: "{namespace}/{name}:latest-{arch}"
platforms: [linux/amd64]
tiers:
  app: {}
groups:
  apps: {phase: 1}
services:
  warm: {dockerfile: warm/Dockerfile, tier: app, group: apps}
  bench: {dockerfile: bench/Dockerfile, tier: app, group: apps}
EOF
  printf 'FROM debian:bookworm\nARG DEBIAN_FRONTEND=noninteractive\n%s && true\n' "$apt_line" \
    >"$1/warm/Dockerfile"
  printf '#include <stdio.h>\nint main(void) { puts("bench"); return 0; }\n' >"$1/bench/hello.c"
  cat >"$1/bench/Dockerfile" <<EOF
FROM debian:bookworm
ARG DEBIAN_FRONTEND=noninteractive
$apt_line
COPY hello.c /src/hello.c
RUN tcc -o /usr/local/bin/hello /src/hello.c && /usr/local/bin/hello
RUN mkdir /opt/churn && cd /opt/churn && for i in \$(seq 1 2000); do echo \$i > f\$i; done \\
    && mkdir moved && mv f1* moved/ && rm -r moved/f1[0-9][0-9]
$2
EOF
}
last_a='RUN seq 1 200000 | sha256sum > /opt/sum'
last_b='RUN seq 1 200001 | sha256sum > /opt/sum'

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# Containers configuration for buildah (ours and plinth's backend), as the tests set it.
mkdir -p "$work/containers/storage" "$work/containers/run"
printf '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n[engine]\nruntime = "runc"\n' \
  >"$work/containers/containers.conf"
printf '[storage]\ndriver = "vfs"\ngraphroot = "%s/storage"\nrunroot = "%s/run"\n' \
  "$work/containers" "$work/containers" >"$work/containers/storage.conf"

declare -A seconds
for builder in native plinth-buildah; do
  fleet="$work/$builder"
  write_fleet "$fleet" "$last_a"
  "$plinth" --store "$fleet/.plinth/store" copy "oci:$base:bookworm" store:debian:bookworm >/dev/null
  backend="${builder#plinth-}"
  run() {  # PHASE ARGS…
    local log="$work/$builder.$1.log"
    shift
    (cd "$fleet" && "$plinth" build --platform "$platform" --pull never --format json --no-lint \
       --backend "$backend" "$@" >"$log" 2>&1) || {
      echo "bench: $builder build failed:" >&2; tail -20 "$log" >&2; exit 1; }; }
  run warm warm
  t0=$(now); run cold bench; t1=$(now)
  seconds[$builder.cold]=$(elapsed "$t0" "$t1")
  write_fleet "$fleet" "$last_b"
  t0=$(now); run last bench; t1=$(now)
  seconds[$builder.last]=$(elapsed "$t0" "$t1")
  # Which steps the last-step build took from plinth's step cache (native only).
  echo "bench: $builder, last step changed: $(grep -c '"step":"CACHED RUN' "$work/$builder.last.log" || true) RUN steps from the step cache" >&2
done

(
  export CONTAINERS_CONF="$work/containers/containers.conf"
  export CONTAINERS_STORAGE_CONF="$work/containers/storage.conf"
  fleet="$work/buildah"
  write_fleet "$fleet" "$last_a"
  skopeo copy --quiet "oci:$base:bookworm" containers-storage:docker.io/library/debian:bookworm
  bb() { buildah build --quiet --layers --pull=never --platform "$platform" -f "$fleet/$1/Dockerfile" \
           -t "localhost/bench-$1" "$fleet/$1" >"$work/buildah.log" 2>&1 || {
         echo "bench: buildah build failed:" >&2; tail -20 "$work/buildah.log" >&2; exit 1; }; }
  bb warm
  t0=$(now); bb bench; t1=$(now)
  echo "cold $(elapsed "$t0" "$t1")" >"$work/buildah.times"
  write_fleet "$fleet" "$last_b"
  t0=$(now); bb bench; t1=$(now)
  echo "last $(elapsed "$t0" "$t1")" >>"$work/buildah.times"
)
seconds[buildah.cold]=$(awk '$1 == "cold" {print $2}' "$work/buildah.times")
seconds[buildah.last]=$(awk '$1 == "last" {print $2}' "$work/buildah.times")

printf '%-26s %10s %10s %10s\n' "" native buildah plinth-buildah
for m in cold last; do
  printf '%-26s %10.2f %10.2f %10.2f\n' "$([ $m = cold ] && echo "(a) cold multi-RUN" || echo "(b) last RUN changed")" \
    "${seconds[native.$m]}" "${seconds[buildah.$m]}" "${seconds[plinth-buildah.$m]}"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
echo "native / buildah --layers: cold $(ratio "${seconds[native.cold]}" "${seconds[buildah.cold]}") (target <= 0.5)," \
     "last step $(ratio "${seconds[native.last]}" "${seconds[buildah.last]}") (target <= 0.2)"
echo "native / plinth --backend buildah: cold $(ratio "${seconds[native.cold]}" "${seconds[plinth-buildah.cold]}")," \
     "last step $(ratio "${seconds[native.last]}" "${seconds[plinth-buildah.last]}")"
