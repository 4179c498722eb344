#!/usr/bin/env bash
# Runs plinth's libFuzzer targets (cmake/fuzz.cmake) one after the other and prints, per target,
# the executions, the time and whether it crashed.
#
#   scripts/fuzz.sh [--build-dir DIR] [--fresh] [--jobs N] [--seed S] [SECONDS | -runs=N] [TARGET...]
#
#   SECONDS     how long each target fuzzes (default 600); -runs=N: N executions instead
#   TARGET      e.g. oci_manifest, layer_extract (default: all; see build/fuzz/targets.tsv)
#   --fresh     start from the seeds alone (ctest does); otherwise the scratch corpus in
#               build/fuzz/corpus/TARGET grows from run to run
#   --jobs N    targets fuzzed at once (default 1)
#   --seed S    libFuzzer's random seed (default: a new one each run); ctest gives 1 with -runs,
#               so its runs are the same everywhere
#
# Seeds are read from the repository and never written to. A crashing input is kept as
# build/fuzz/crashes/TARGET/crash-*; reproduce it with `build/fuzz/TARGET_fuzzer FILE`, then add
# it to the target's seed folder and a unit test in the module's tests. Runs under `nice`.
# Builds the fuzzers first unless --build-dir is given (ctest passes it; the build is done).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="$root/build"
build=1
fresh=0
jobs=1
seed=""
limit="-max_total_time=600"
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir="$2"; build=0; shift 2 ;;
    --fresh) fresh=1; shift ;;
    --jobs) jobs="$2"; shift 2 ;;
    --seed) seed="-seed=$2"; shift 2 ;;
    -runs=*) limit="$1"; shift ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *)
      if [[ "$1" =~ ^[0-9]+$ ]]; then limit="-max_total_time=$1"; else targets+=("$1"); fi
      shift ;;
  esac
done

if [ "$build" = 1 ]; then
  cmake --build "$build_dir" --target fuzzers >/dev/null
fi
manifest="$build_dir/fuzz/targets.tsv"
[ -f "$manifest" ] || { echo "fuzz.sh: no $manifest (configure with clang++ installed)" >&2; exit 2; }

declare -A bin seeds dict max_len
all=()
while IFS=$'\t' read -r name b s d m; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  all+=("$name"); bin[$name]="$b"; seeds[$name]="$s"; dict[$name]="$d"; max_len[$name]="$m"
done <"$manifest"
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
for t in "${targets[@]}"; do
  [ -n "${bin[$t]:-}" ] || { echo "fuzz.sh: no target $t (have: ${all[*]})" >&2; exit 2; }
  [ -x "${bin[$t]}" ] || { echo "fuzz.sh: ${bin[$t]} is not built" >&2; exit 2; }
  [ -d "${seeds[$t]}" ] || { echo "fuzz.sh: missing seed corpus ${seeds[$t]}" >&2; exit 2; }
done

# One target: fuzzes into its scratch corpus, keeps the log, prints one summary line.
run_one() {
  local t="$1" corpus="$build_dir/fuzz/corpus/$1" crashes="$build_dir/fuzz/crashes/$1/"
  local log="$build_dir/fuzz/logs/$1.log" args=() start end rc=0
  [ "$fresh" = 1 ] && rm -rf "$corpus"
  mkdir -p "$corpus" "$crashes" "$(dirname "$log")"
  [ "${dict[$t]}" != "-" ] && args+=("-dict=${dict[$t]}")
  [ -n "$seed" ] && args+=("$seed")
  start=$(date +%s)
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    nice -n 10 "${bin[$t]}" "$corpus" "${seeds[$t]}" "${args[@]}" "$limit" \
    -max_len="${max_len[$t]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$crashes" >"$log" 2>&1 || rc=$?
  end=$(date +%s)
  local runs
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  printf '%-20s %12s runs %6ss  %s\n' "$t" "${runs:-?}" "$((end - start))" \
    "$([ $rc = 0 ] && echo ok || echo "CRASH (exit $rc): $log")"
  if [ $rc != 0 ]; then
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|artifact_prefix|Test unit written)' "$log" |
      head -n 8 >&2 || true
  fi
  return $rc
}

failed=0
if [ "$jobs" -le 1 ]; then
  for t in "${targets[@]}"; do run_one "$t" || failed=1; done
else
  pids=()
  for t in "${targets[@]}"; do
    if [ ${#pids[@]} -ge "$jobs" ]; then
      wait "${pids[0]}" || failed=1
      pids=("${pids[@]:1}")
    fi
    run_one "$t" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
fi
exit $failed
