#!/usr/bin/env bash
# Times `plinth lint` (issue 17's benchmark): the example fleet (examples/lucid) and every
# Dockerfile under tests/ (those lint reads: files that are bad input on purpose, exit 2, are
# left out), each with and without ShellCheck (--no-shellcheck), best of $RUNS runs (default 5).
# Prints milliseconds and the ratio against the targets: the example fleet under 100 ms
# without ShellCheck and under 1 s with it (the tests/ figures have no target; printed as such).
#
#   bench/lint.sh                 # uses build/plinth
#   PLINTH=/path/plinth RUNS=9 bench/lint.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
plinth=${PLINTH:-$root/build/plinth}
runs=${RUNS:-5}
[[ -x $plinth ]] || { echo "bench/lint.sh: no plinth binary at $plinth (build it, or set PLINTH)" >&2; exit 2; }
# The runs happen in other folders: a relative PLINTH would name nothing there.
plinth=$(realpath "$plinth")
command -v shellcheck >/dev/null || echo "bench/lint.sh: shellcheck is not installed; the 'with' runs measure lint alone" >&2

# The example fleet, copied without any store a build left in it.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$root/examples" --exclude=.plinth -cf - lucid | tar -C "$work" -xf -

mapfile -t candidates < <(cd "$root" && find tests -type f \( -name Dockerfile -o -name 'Dockerfile.*' \
  -o -name '*.Dockerfile' -o -name '*.dockerfile' \) -not -path '*/fuzz/*' | sort)
files=()
for f in "${candidates[@]}"; do
  rc=0
  (cd "$root" && "$plinth" lint --no-shellcheck "$f" >/dev/null 2>&1) || rc=$?
  [[ $rc -le 1 ]] && files+=("$f")
done

now_ns() { date +%s%N; }

# best_ms DIR ARGS…: the fastest of $runs runs of `plinth lint ARGS…` in DIR, in ms.
best_ms() {
  local dir=$1; shift
  local best=""
  for ((i = 0; i < runs; i++)); do
    local start end ms
    start=$(now_ns)
    (cd "$dir" && "$plinth" lint "$@" >/dev/null 2>&1) || true
    end=$(now_ns)
    ms=$(( (end - start) / 1000000 ))
    [[ -z $best || $ms -lt $best ]] && best=$ms
  done
  echo "$best"
}

report() {  # NAME MS TARGET_MS (0: none)
  if [[ $3 -gt 0 ]]; then
    awk -v n="$1" -v ms="$2" -v t="$3" 'BEGIN { printf "%-44s %6d ms  target < %5d ms  ratio %.2f  %s\n", n, ms, t, ms / t, (ms < t ? "ok" : "OVER") }'
  else
    printf "%-44s %6d ms  (no target)\n" "$1" "$2"
  fi
}

echo "plinth lint, best of $runs runs ($(nproc) cores)"
report "example fleet, without ShellCheck" "$(best_ms "$work/lucid" --no-shellcheck)" 100
report "example fleet, with ShellCheck" "$(best_ms "$work/lucid")" 1000
report "tests/ (${#files[@]} Dockerfiles), without ShellCheck" "$(best_ms "$root" --no-shellcheck "${files[@]}")" 0
report "tests/ (${#files[@]} Dockerfiles), with ShellCheck" "$(best_ms "$root" "${files[@]}")" 0
