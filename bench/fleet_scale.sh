#!/usr/bin/env bash
# How plinth's cost grows with the fleet (issue 19). For each variant and size, a synthetic fleet
# (bench/make_scale_fleet.py: bases FROM scratch, services of 20 small files each, nothing that
# RUNs or needs a registry) is written to a temp folder, then timed:
#
#   cold    `plinth build` into an empty store (every target built natively), once;
#   no-op   `plinth build` again with nothing changed (every target cached), median of RUNS;
#   plan    `plinth plan` (every target cached), median of RUNS;
#   rss     the peak RSS of the no-op build and of plan (/usr/bin/time -v), in MB.
#
# Variants: "1p" one base, linux/amd64; "2p" one base, linux/amd64 and linux/arm64 (twice the
# targets, and an OCI index per service); "fan" 20 bases, linux/amd64. Figures are printed per
# target (targets = (services + bases) × platforms), so growth with the fleet shows at a glance:
# a linear plinth keeps each column flat from the smallest size to the largest.
#
#   usage: bench/fleet_scale.sh [BUILD_DIR]
#   env:   SIZES (default "50 200 800"; add 2000 for the issue's full table), VARIANTS
#          (default "1p 2p fan"), RUNS (default 3), JOBS (plinth build -j, default 2)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="$(cd "${1:-$here/../build}" && pwd)"
plinth="$build/plinth"
sizes="${SIZES:-50 200 800}"
variants="${VARIANTS:-1p 2p fan}"
runs="${RUNS:-3}"
jobs="${JOBS:-2}"
work="$(mktemp -d /tmp/plinth-scale-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=0

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Runs a command in the fleet's folder; prints "SECONDS PEAK_RSS_KB". Fails if the command fails.
timed() {
  local fleet="$1"
  shift
  (cd "$fleet" && /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out" 2>"$work/err") ||
    { echo "failed in $fleet: $*" >&2; cat "$work/err" "$work/out" >&2; exit 1; }
  cat "$work/time"
}
# Wall seconds with more precision than /usr/bin/time's %e, and its peak RSS.
measure() {
  local fleet="$1" start end rss
  shift
  start="$(date +%s.%N)"
  rss="$(timed "$fleet" "$@" | awk '{print $2}')"
  end="$(date +%s.%N)"
  echo "$(echo "$end - $start" | bc -l) $rss"
}

printf '%-5s %6s %7s %12s %12s %12s %9s %9s\n' variant svcs targets "cold ms/t" "no-op ms/t" \
  "plan ms/t" "no-op MB" "plan MB"
for variant in $variants; do
  case "$variant" in
    1p) gen=(--bases 1 --platforms linux/amd64); bases=1; platforms=1 ;;
    2p) gen=(--bases 1 --platforms linux/amd64,linux/arm64); bases=1; platforms=2 ;;
    fan) gen=(--bases 20 --platforms linux/amd64); bases=20; platforms=1 ;;
    *) echo "unknown variant $variant (1p, 2p or fan)" >&2; exit 2 ;;
  esac
  for n in $sizes; do
    fleet="$work/$variant-$n"
    python3 "$here/make_scale_fleet.py" "$fleet" "$n" "${gen[@]}"
    targets=$(((n + bases) * platforms))
    build_cmd=("$plinth" build --pull never -j "$jobs" --progress plain)
    read -r cold _ < <(measure "$fleet" "${build_cmd[@]}")
    grep -q "built $targets," "$work/out" ||
      { echo "the cold build of $fleet did not build $targets targets:" >&2; tail -5 "$work/out" >&2; exit 1; }
    : >"$work/noop.times"
    : >"$work/plan.times"
    for ((run = 1; run <= runs; run++)); do
      read -r s noop_rss < <(measure "$fleet" "${build_cmd[@]}")
      grep -q "built 0, cached $targets," "$work/out" ||
        { echo "the no-op build of $fleet was not all cached:" >&2; tail -5 "$work/out" >&2; exit 1; }
      echo "$s" >>"$work/noop.times"
      read -r s plan_rss < <(measure "$fleet" "$plinth" plan)
      [ "$(grep -c '  cached' "$work/out")" = "$targets" ] ||
        { echo "plan of $fleet does not say every target is cached:" >&2; head -5 "$work/out" >&2; exit 1; }
      echo "$s" >>"$work/plan.times"
    done
    noop="$(median <"$work/noop.times")"
    plan="$(median <"$work/plan.times")"
    per() { echo "$1 * 1000 / $targets" | bc -l; }
    printf '%-5s %6d %7d %12.2f %12.2f %12.2f %9.1f %9.1f\n' "$variant" "$n" "$targets" \
      "$(per "$cold")" "$(per "$noop")" "$(per "$plan")" \
      "$(echo "$noop_rss / 1024" | bc -l)" "$(echo "$plan_rss / 1024" | bc -l)"
    rm -rf "$fleet"
  done
done
