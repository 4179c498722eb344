#!/usr/bin/env bash
# Makes the two data sets of the layer benchmark (bench/layer_build.sh) under $1 (default
# /tmp/plinth-layer-bench):
#   A/  a copy of a Python standard library: ~1,400 files, a ~53 MB tar;
#   B/  ~300 MB in six large files: two of AES-CTR keystream (random, incompressible, but the
#       same bytes on every run), two of concatenated shared libraries, two of concatenated text.
# Idempotent: an existing data set is kept.
set -euo pipefail

out="${1:-/tmp/plinth-layer-bench}"
py="${PLINTH_BENCH_PYLIB:-/usr/lib/python3.11}"
mkdir -p "$out"

if [ ! -d "$out/A" ]; then
  mkdir -p "$out/A.tmp"
  (cd "$(dirname "$py")" && tar -cf - "$(basename "$py")") |
    tar -C "$out/A.tmp" -xf -
  mv "$out/A.tmp" "$out/A"
fi

# Fills file $1 with $2 MiB by repeating the output of the command that follows.
fill() {
  local file="$1" mib="$2"
  shift 2
  [ "$#" -gt 1 ] || { echo "make_layer_datasets: nothing to fill $file with" >&2; exit 1; }
  # A writer killed by SIGPIPE (head has enough) fails, which ends the loop.
  { while "$@"; do :; done; } 2>/dev/null | head -c "$((mib * 1024 * 1024))" >"$file" || true
}

if [ ! -d "$out/B" ]; then
  mkdir -p "$out/B.tmp"
  for i in 1 2; do
    openssl enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0$i \
      -iv 00000000000000000000000000000000 -in /dev/zero 2>/dev/null |
      head -c $((50 * 1024 * 1024)) >"$out/B.tmp/random$i.bin" || true
  done
  mapfile -t libs < <(find /usr/lib/x86_64-linux-gnu /usr/lib -maxdepth 1 -name '*.so*' -type f \
    -size +100k | sort)
  mapfile -t texts < <(find /usr/share/doc /usr/lib/python3.11 /usr/share/perl* -type f \
    \( -name '*.py' -o -name '*.txt' -o -name '*.pm' -o -name 'copyright' \) | sort)
  local_half=$((${#libs[@]} / 2))
  fill "$out/B.tmp/libs1.bin" 50 cat "${libs[@]:0:local_half}"
  fill "$out/B.tmp/libs2.bin" 50 cat "${libs[@]:local_half}"
  local_half=$((${#texts[@]} / 2))
  fill "$out/B.tmp/text1.txt" 50 cat "${texts[@]:0:local_half}"
  fill "$out/B.tmp/text2.txt" 50 cat "${texts[@]:local_half}"
  mv "$out/B.tmp" "$out/B"
fi

for d in A B; do
  printf '%s: %s files, %s\n' "$d" "$(find "$out/$d" -type f | wc -l)" "$(du -sh "$out/$d" | cut -f1)"
done
