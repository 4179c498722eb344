#!/usr/bin/env bash
# Times building one gzip layer from data sets A and B (bench/make_layer_datasets.sh) with
#   plinth     `plinth --store DIR image build --from scratch --add DATA:/data -t bench:X`
#   layer_bench  LayerBuilder called directly (bench/layer_bench.cc), same work minus the store
#   umoci      `umoci insert` into a fresh `umoci init` / `umoci new` layout (those two untimed;
#              plinth's fresh store gets an empty image untimed likewise)
#   buildah    `buildah from scratch`, `buildah copy`, `buildah commit` to oci: with gzip
#   shell      tar --sort=name | igzip -1 with both sha256 sums through OpenSSL
# in the same run on the same data, RUNS times each (default 5), and prints the median wall time,
# the median CPU time (user + sys: less disturbed than wall time when other work shares the
# machine), the median peak RSS (/usr/bin/time -v's "Maximum resident set size") and the blob
# size, with times and sizes relative to umoci, and the load average before and after.
#   usage: [RUNS=N] [TOOLS="umoci plinth ..."] bench/layer_build.sh [BUILD_DIR] [DATA_DIR]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${1:-$here/../build-layer}"
data="${2:-/tmp/plinth-layer-bench}"
runs="${RUNS:-5}"
work="$(mktemp -d /tmp/plinth-layer-bench-run.XXXXXX)"
trap 'rm -rf "$work"' EXIT

"$here/make_layer_datasets.sh" "$data" >/dev/null

plinth="$build/plinth"
bench="$build/layer_bench"
[ -x "$bench" ] || bench="$build/layer_bench_direct"

# Runs "$@" under /usr/bin/time; appends "seconds kilobytes cpu-seconds" to $work/$label.times.
timed() {
  local label="$1"
  shift
  /usr/bin/time -f '%e %M %U %S' -o "$work/t" "$@" >"$work/out" 2>"$work/err" || {
    echo "$label failed:" >&2
    cat "$work/err" >&2
    return 1
  }
  awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$work/t" >>"$work/$label.times"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Size of the largest blob under an OCI layout (the layer: config and manifest are tiny).
largest_blob() { find "$1/blobs" -type f -printf '%s\n' | sort -n | tail -1; }

run_plinth() {
  local set="$1" store="$work/plinth-store"
  rm -rf "$store"
  # The layout is made untimed, as umoci's `init` and `new` are: an empty image in a fresh store.
  "$plinth" --store "$store" image build --from scratch -t bench:empty >/dev/null
  timed "plinth-$set" "$plinth" --store "$store" image build --from scratch \
    --add "$data/$set:/data" -t "bench:${set,,}"
  largest_blob "$store" >"$work/plinth-$set.size"
}

run_layer_bench() {
  local set="$1"
  timed "layer_bench-$set" "$bench" "$data/$set" "$work/blob.gz" gzip
  stat -c %s "$work/blob.gz" >"$work/layer_bench-$set.size"
}

run_umoci() {
  local set="$1" layout="$work/umoci"
  rm -rf "$layout"
  umoci init --layout "$layout"
  umoci new --image "$layout:bench"
  timed "umoci-$set" umoci insert --image "$layout:bench" "$data/$set" /data
  largest_blob "$layout" >"$work/umoci-$set.size"
}

run_buildah() {
  local set="$1" root="$work/buildah-root" out="$work/buildah-oci"
  rm -rf "$out"
  cat >"$work/buildah.sh" <<EOS
set -e
b="buildah --root $root --runroot $work/buildah-run --storage-driver vfs"
c=\$(\$b from scratch)
\$b copy "\$c" "$data/$set" /data >/dev/null
\$b commit --disable-compression=false "\$c" "oci:$out:bench" >/dev/null
\$b rm "\$c" >/dev/null
EOS
  timed "buildah-$set" bash "$work/buildah.sh"
  largest_blob "$out" >"$work/buildah-$set.size"
  buildah --root "$root" --runroot "$work/buildah-run" --storage-driver vfs rmi -a >/dev/null 2>&1 || true
}

run_shell() {
  local set="$1"
  cat >"$work/shell.sh" <<EOS
set -eo pipefail
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$data" -cf - "$set" |
  tee >(openssl sha256 >"$work/diffid") | igzip -1 -c |
  tee >(openssl sha256 >"$work/digest") >"$work/shell.gz"
EOS
  timed "shell-$set" bash "$work/shell.sh"
  stat -c %s "$work/shell.gz" >"$work/shell-$set.size"
}

tools=(umoci layer_bench shell)
[ -x "$plinth" ] && "$plinth" image build --help >/dev/null 2>&1 && tools=(umoci plinth layer_bench shell)
command -v buildah >/dev/null && tools+=(buildah)
# TOOLS="umoci plinth" measures only those (umoci, the reference, must be among them).
[ -n "${TOOLS:-}" ] && read -r -a tools <<<"$TOOLS"

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for set in A B; do
  for ((i = 0; i < runs; i++)); do
    for tool in "${tools[@]}"; do
      "run_${tool//-/_}" "$set"
    done
  done
done

echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-4s %-12s %9s %9s %8s %8s %10s %12s %9s\n' set tool "time(s)" "vs umoci" "cpu(s)" "vs umoci" \
  "RSS(MB)" "blob(B)" "vs umoci"
for set in A B; do
  ut=$(cut -d' ' -f1 "$work/umoci-$set.times" | median)
  uc=$(cut -d' ' -f3 "$work/umoci-$set.times" | median)
  us=$(cat "$work/umoci-$set.size")
  for tool in "${tools[@]}"; do
    t=$(cut -d' ' -f1 "$work/$tool-$set.times" | median)
    c=$(cut -d' ' -f3 "$work/$tool-$set.times" | median)
    m=$(cut -d' ' -f2 "$work/$tool-$set.times" | median)
    s=$(cat "$work/$tool-$set.size")
    awk -v set="$set" -v tool="$tool" -v t="$t" -v ut="$ut" -v c="$c" -v uc="$uc" -v m="$m" \
      -v s="$s" -v us="$us" 'BEGIN {printf "%-4s %-12s %9.3f %9.2f %8.2f %8.2f %10.1f %12d %9.3f\n",
        set, tool, t, t/ut, c, c/uc, m/1024, s, s/us}'
  done
done
