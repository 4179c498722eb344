#!/usr/bin/env bash
# Times a full build of the Lucid example fleet (examples/lucid, one platform) with plinth against
# `buildah build` of the same Dockerfiles, in one run on the same data, then a no-op rebuild:
#
#   setup (untimed)  a copy of examples/lucid; `plinth build` of everything once, so the Debian
#                    recipes (the distroless bases) and their .debs are built and cached.
#   plinth           the cache keys of every Dockerfile target are removed from the store (the
#                    recipes' stay), then `plinth build`: every Dockerfile target is built
#                    again, the recipe bases are cache hits. Three modes, RUNS times each
#                    (default 3), median: "cold" empties plinth's cache of unpacked trees
#                    (STORE/plinth/rootfs) first, at -j cores and at -j 1; "warm" keeps it, -j 1.
#                    Stages that RUN (blockchain-engine's builder) go through plinth's buildah
#                    backend, as by default.
#   buildah          the recipe bases copied from plinth's store into buildah's storage under
#                    their upstream names (skopeo, untimed), then `buildah build` of each
#                    Dockerfile target in plinth's phase order, one after another, RUNS times.
#                    Flags: --pull=never --layers=false --format docker (keeps HEALTHCHECK, as
#                    plinth does) --platform; the fleet's build args. buildah 1.28 does not give
#                    FROM lines TARGETARCH, so each Dockerfile goes to buildah with
#                    `ARG TARGETARCH=<arch>` put on top (the rest unchanged).
#   no-op            `plinth build` with nothing changed: hyperfine, median of NOOP_RUNS (20).
# Targets that need an image no one can reach offline (mongodb: mongo:7.0) are left out of both.
# podman/buildah run with runc, lowered ulimits and vfs storage (CONTAINERS_CONF and
# CONTAINERS_STORAGE_CONF under the work folder), as the tests configure them.
#   usage: bench/fleet_build.sh [BUILD_DIR]     (env: RUNS, NOOP_RUNS, PLATFORM)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="$(cd "${1:-$here/../build}" && pwd)"
plinth="$build/plinth"
platform="${PLATFORM:-linux/amd64}"
arch="${platform#*/}"
runs="${RUNS:-3}"
noop_runs="${NOOP_RUNS:-20}"
# What the bench needs beyond the test command's packages (idempotent).
source "$here/../scripts/deps.sh"
plinth_install_packages hyperfine jq buildah skopeo
work="$(mktemp -d /tmp/plinth-fleet-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

fleet="$work/lucid"
mkdir -p "$fleet"
for entry in "$here/../examples/lucid"/* "$here/../examples/lucid"/.[!.]*; do
  [ -e "$entry" ] && [ "$(basename "$entry")" != .plinth ] && cp -r "$entry" "$fleet/"
done
store="$fleet/.plinth/store"

mkdir -p "$work/containers/storage" "$work/containers/run"
printf '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n[engine]\nruntime = "runc"\n' \
  >"$work/containers/containers.conf"
printf '[storage]\ndriver = "vfs"\ngraphroot = "%s/storage"\nrunroot = "%s/run"\n' \
  "$work/containers" "$work/containers" >"$work/containers/storage.conf"
export CONTAINERS_CONF="$work/containers/containers.conf"
export CONTAINERS_STORAGE_CONF="$work/containers/storage.conf"

plinth_build() { (cd "$fleet" && "$plinth" build --platform "$platform" --pull never -k --format json "$@"); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }
# "finish" events of a `plinth build --format json` output: target, outcome, seconds, digest.
finished() { jq -r 'select(.event == "finish") | [.target, .outcome, .seconds, (.digest // "")] | @tsv' "$1"; }

load_at_start="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "setup: plinth build of the whole fleet (recipes and .debs cached from here on)" >&2
plinth_build >"$work/warm.json" || true
left_out="$(finished "$work/warm.json" | awk -F'\t' '$2 != "built" && $2 != "cached" {print $1}')"
python3 "$here/fleet_targets.py" "$plinth" "$fleet" "$platform" $left_out >"$work/targets.tsv"
grep -P '^dockerfile\t' "$work/targets.tsv" >"$work/dockerfiles.tsv"
echo "left out (unbuildable here): ${left_out:-none}" >&2

# Removes the cache keys that record the Dockerfile targets' images, so the next build makes them
# again while the recipe bases stay cache hits.
forget_dockerfile_targets() {
  local target digest
  while IFS=$'\t' read -r _ target _ _ _ _ _; do
    digest="$(finished "$work/last.json" | awk -F'\t' -v t="$target" '$1 == t {print $4}')"
    [ -n "$digest" ] && grep -lxF "$digest" "$store"/plinth/cache/keys/* | xargs -r rm -f
  done <"$work/dockerfiles.tsv"
}
cp "$work/warm.json" "$work/last.json"

# plinth: RUNS full builds in each mode (the cold ones first; they leave the unpacked trees the
# warm one finds). Per-target seconds from the -j 1 runs.
for mode in cold-jN cold-j1 warm-j1; do
  for ((run = 1; run <= runs; run++)); do
    forget_dockerfile_targets
    [ "${mode%-*}" = cold ] && rm -rf "$store/plinth/rootfs"
    start="$(now)"
    if [ "${mode#*-}" = j1 ]; then plinth_build -j 1 >"$work/last.json"; else plinth_build >"$work/last.json"; fi
    end="$(now)"
    built="$(finished "$work/last.json" | awk -F'\t' '$2 == "built"' | wc -l)"
    [ "$built" = "$(wc -l <"$work/dockerfiles.tsv")" ] ||
      { echo "plinth built $built targets, not $(wc -l <"$work/dockerfiles.tsv"):" >&2; cat "$work/last.json" >&2; exit 1; }
    echo "$end - $start" | bc >>"$work/plinth-$mode.times"
    [ "${mode#*-}" = j1 ] && finished "$work/last.json" >>"$work/plinth-$mode-targets.tsv"
  done
done

# buildah: the recipe bases into its storage (untimed), then each Dockerfile in phase order.
while IFS=$'\t' read -r kind _ store_name upstream; do
  [ "$kind" = recipe ] || continue
  skopeo copy --quiet "oci:$store:$store_name" "containers-storage:$upstream"
done <"$work/targets.tsv"
for ((run = 1; run <= runs; run++)); do
  while IFS=$'\t' read -r _ target image dockerfile context args _; do
    { echo "ARG TARGETARCH=$arch"; cat "$dockerfile"; } >"$work/Dockerfile"
    argv=(buildah build --quiet --pull=never --layers=false --format docker --platform "$platform"
          -f "$work/Dockerfile" -t "$image")
    if [ "$args" != - ]; then
      IFS=';' read -ra pairs <<<"$args"
      for pair in "${pairs[@]}"; do argv+=(--build-arg "$pair"); done
    fi
    start="$(now)"
    "${argv[@]}" "$context" >/dev/null 2>"$work/buildah.err" ||
      { echo "buildah build of $target failed:" >&2; cat "$work/buildah.err" >&2; exit 1; }
    end="$(now)"
    printf '%s\t%s\n' "$target" "$(echo "$end - $start" | bc)" >>"$work/buildah-targets.tsv"
  done <"$work/dockerfiles.tsv"
done

# no-op: nothing changed since the last plinth build.
plinth_build >"$work/noop.json"
[ "$(jq -r 'select(.event == "summary") | .built' "$work/noop.json")" = 0 ] ||
  { echo "the no-op build built something" >&2; exit 1; }
hyperfine --style none --warmup 2 --runs "$noop_runs" --export-json "$work/noop-hyperfine.json" \
  "cd '$fleet' && '$plinth' build --platform $platform --pull never -k >/dev/null" >/dev/null

# Report: medians over the runs; per target, the median of its times.
per_target_plinth() { awk -F'\t' -v t="$2" '$1 == t {print $3}' "$work/plinth-$1-targets.tsv" | median; }
per_target_buildah() { awk -F'\t' -v t="$1" '$1 == t {print $2}' "$work/buildah-targets.tsv" | median; }
sum() { paste -sd+ | bc -l; }
printf '\n%-36s %10s %10s %10s %8s %8s\n' "target (${platform})" "plinth" "plinth" "buildah" "ratio" "ratio"
printf '%-36s %10s %10s %10s %8s %8s\n' "(-j 1, median of $runs)" "cold" "warm" "" "cold" "warm"
: >"$work/rows.tsv"
while IFS=$'\t' read -r _ target _ _ _ _ runs_cmd; do
  c="$(per_target_plinth cold-j1 "$target")"
  w="$(per_target_plinth warm-j1 "$target")"
  b="$(per_target_buildah "$target")"
  printf '%-36s %9.3fs %9.3fs %9.3fs %7.1fx %7.1fx%s\n' "$target" "$c" "$w" "$b" \
    "$(echo "$b / $c" | bc -l)" "$(echo "$b / $w" | bc -l)" "$([ "$runs_cmd" = runs ] && echo '  RUN: backend')"
  printf '%s\t%s\t%s\t%s\n' "$runs_cmd" "$c" "$w" "$b" >>"$work/rows.tsv"
done <"$work/dockerfiles.tsv"
column_sum() { awk -F'\t' -v only="$1" -v col="$2" 'only == "" || $1 == only {print $col}' "$work/rows.tsv" | sum; }
all_c="$(column_sum "" 2)"; all_w="$(column_sum "" 3)"; all_b="$(column_sum "" 4)"
nat_c="$(column_sum native 2)"; nat_w="$(column_sum native 3)"; nat_b="$(column_sum native 4)"
pjn="$(median <"$work/plinth-cold-jN.times")"
pj1="$(median <"$work/plinth-cold-j1.times")"
pw1="$(median <"$work/plinth-warm-j1.times")"
noop_ms="$(jq '.results[0].median * 1000' "$work/noop-hyperfine.json")"
echo
echo "cold: plinth's cache of unpacked base trees (STORE/plinth/rootfs) emptied before each build;"
echo "warm: kept from the previous build (what a developer's machine has)."
printf 'full build, %d Dockerfile targets, wall: plinth cold %.2fs (-j %d), cold %.2fs (-j 1), warm %.2fs (-j 1); buildah %.2fs (sequential)\n' \
  "$(wc -l <"$work/dockerfiles.tsv")" "$pjn" "$(nproc)" "$pj1" "$pw1" "$all_b"
printf 'ratio buildah/plinth, all targets: %.1fx (cold, -j %d wall), %.1fx (cold, -j 1 per-target sums), %.1fx (warm, -j 1 per-target sums)\n' \
  "$(echo "$all_b / $pjn" | bc -l)" "$(nproc)" "$(echo "$all_b / $all_c" | bc -l)" "$(echo "$all_b / $all_w" | bc -l)"
printf 'ratio buildah/plinth, native-only targets: %.1fx cold (%.2fs vs %.2fs), %.1fx warm (%.2fs vs %.2fs), per-target sums\n' \
  "$(echo "$nat_b / $nat_c" | bc -l)" "$nat_b" "$nat_c" "$(echo "$nat_b / $nat_w" | bc -l)" "$nat_b" "$nat_w"
printf 'no-op plinth build of the fleet: median %.1f ms over %d runs (hyperfine)\n' "$noop_ms" "$noop_runs"
echo "runs: ${runs} per mode and tool; load average at start: $load_at_start, at end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
