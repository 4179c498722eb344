#!/usr/bin/env bash
# What `plinth audit` costs (issue 16): the audit of the Lucid python base and of the largest
# Lucid image in the store, each timed (median of RUNS) against `umoci unpack` of the same image
# (the baseline: reading and writing the layers once). The audit streams every layer once,
# checking digests and diff_ids, so it should cost no more than the unpack.
#
#   usage: bench/audit.sh [BUILD_DIR] [STORE]
#   STORE: a store holding the Lucid fleet for this machine's platform (default: a temporary one,
#   built first with `plinth build --pull never --allow-unreachable mongodb`, as the main job does).
#   env:   RUNS (default 5)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="$(cd "${1:-$here/../build}" && pwd)"
plinth="$build/plinth"
runs="${RUNS:-5}"
work="$(mktemp -d /tmp/plinth-audit-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
case "$(uname -m)" in
  aarch64 | arm64) arch=arm64 ;;
  *) arch=amd64 ;;
esac

store="${2:-}"
if [[ -z "$store" ]]; then
  store="$work/store"
  cp -r "$here/../examples/lucid" "$work/lucid"
  rm -rf "$work/lucid/.plinth"
  (cd "$work/lucid" && "$plinth" --store "$store" build --platform "linux/$arch" --pull never \
    -k --allow-unreachable mongodb --progress plain >/dev/null)
fi

# The median wall time of RUNS runs of a command, in milliseconds.
median_ms() {
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    times+=($(((end - start) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p"
}

# The largest image: the most compressed bytes, as `plinth store ls --format json` lists them.
largest="$("$plinth" --store "$store" audit --platform "linux/$arch" --format json 2>/dev/null -f "$here/../examples/lucid/plinth.yaml" |
  python3 -c 'import json,sys; d=json.load(sys.stdin)["images"]; print(max(d, key=lambda i: i["compressed_bytes"])["image"])')"

printf '%-45s %12s %12s %8s\n' image audit_ms umoci_ms ratio
for image in "pickme/lucid-base:python-distroless-$arch" "$largest"; do
  audit_ms=$(median_ms "$plinth" --store "$store" audit "$image" --fail-on note)
  "$plinth" --store "$store" copy "store:$image" "oci:$work/layout:bench" >/dev/null
  unpack() { rm -rf "$work/bundle" && umoci unpack --rootless --image "$work/layout:bench" "$work/bundle"; }
  umoci_ms=$(median_ms unpack)
  rm -rf "$work/layout" "$work/bundle"
  printf '%-45s %12s %12s %8s\n' "$image" "$audit_ms" "$umoci_ms" \
    "$(python3 -c "print(f'{$audit_ms / max($umoci_ms, 1):.2f}')")"
done
