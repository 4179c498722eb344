#!/usr/bin/env bash
# Times a full build of the Lucid example fleet (examples/lucid, one platform) with plinth against
# `buildah build` of the same Dockerfiles, in one run on the same data, then a no-op rebuild:
#
#   setup (untimed)  a copy of examples/lucid; `plinth build` of everything once, so the Debian
#                    recipes (the distroless bases) and their .debs are built and cached.
#   plinth           the cache keys of every Dockerfile target are removed from the store (the
#                    recipes' stay), and so is its cache of unpacked base trees (STORE/plinth/
#                    rootfs), then `plinth build` (-j cores, and again with -j 1): every
#                    Dockerfile target is built again, the recipe bases are cache hits. Repeated
#                    RUNS times (default 3), median. Stages that RUN (blockchain-engine's
#                    builder) go through plinth's buildah backend, as by default.
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

# plinth: RUNS full builds at -j cores and at -j 1; per-target seconds from the -j 1 runs.
for jobs in 0 1; do
  for ((run = 1; run <= runs; run++)); do
    forget_dockerfile_targets
    rm -rf "$store/plinth/rootfs"
    start="$(now)"
    if [ "$jobs" = 1 ]; then plinth_build -j 1 >"$work/last.json"; else plinth_build >"$work/last.json"; fi
    end="$(now)"
    built="$(finished "$work/last.json" | awk -F'\t' '$2 == "built"' | wc -l)"
    [ "$built" = "$(wc -l <"$work/dockerfiles.tsv")" ] ||
      { echo "plinth built $built targets, not $(wc -l <"$work/dockerfiles.tsv"):" >&2; cat "$work/last.json" >&2; exit 1; }
    echo "$end - $start" | bc >>"$work/plinth-j$jobs.times"
    [ "$jobs" = 1 ] && finished "$work/last.json" >>"$work/plinth-targets.tsv"
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

# Report: medians over the runs; per target, median of its times.
# Median seconds of one target: column 3 of plinth's finish events, column 2 of buildah's times.
per_target_plinth() { awk -F'\t' -v t="$1" '$1 == t {print $3}' "$work/plinth-targets.tsv" | median; }
per_target_buildah() { awk -F'\t' -v t="$1" '$1 == t {print $2}' "$work/buildah-targets.tsv" | median; }
printf '\n%-34s %10s %10s %8s\n' "target (${platform})" "plinth -j1" "buildah" "ratio"
total_p=0; total_b=0; native_p=0; native_b=0
while IFS=$'\t' read -r _ target _ _ _ _ runs_cmd; do
  p="$(per_target_plinth "$target")"
  b="$(per_target_buildah "$target")"
  printf '%-34s %9.3fs %9.3fs %7.1fx%s\n' "$target" "$p" "$b" "$(echo "$b / $p" | bc -l)" \
    "$([ "$runs_cmd" = runs ] && echo '  (RUN: backend)')"
  total_p="$(echo "$total_p + $p" | bc -l)"; total_b="$(echo "$total_b + $b" | bc -l)"
  if [ "$runs_cmd" != runs ]; then
    native_p="$(echo "$native_p + $p" | bc -l)"; native_b="$(echo "$native_b + $b" | bc -l)"
  fi
done <"$work/dockerfiles.tsv"
buildah_wall="$total_b"
pj="$(median <"$work/plinth-j0.times")"
p1="$(median <"$work/plinth-j1.times")"
noop_ms="$(jq '.results[0].median * 1000' "$work/noop-hyperfine.json")"
echo
printf 'full build, all %d Dockerfile targets: plinth %.2fs (-j %d), %.2fs (-j 1); buildah %.2fs (sum of per-target medians)\n' \
  "$(wc -l <"$work/dockerfiles.tsv")" "$pj" "$(nproc)" "$p1" "$buildah_wall"
printf 'ratio buildah/plinth overall: %.1fx (vs plinth -j %d), %.1fx (vs plinth -j 1, per-target sums)\n' \
  "$(echo "$buildah_wall / $pj" | bc -l)" "$(nproc)" "$(echo "$total_b / $total_p" | bc -l)"
printf 'ratio buildah/plinth, native-only targets: %.1fx (buildah %.2fs, plinth %.2fs, per-target sums)\n' \
  "$(echo "$native_b / $native_p" | bc -l)" "$native_b" "$native_p"
printf 'no-op plinth build of the fleet: median %.1f ms over %d runs (hyperfine)\n' "$noop_ms" "$noop_runs"
echo "runs: ${runs} per tool; load average at start: $load_at_start, at end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
