#!/usr/bin/env bash
# Fuzzes the targets in tests/fuzz with libFuzzer (clang-14, libclang-rt-14-dev):
#   scripts/fuzz.sh SECONDS_PER_TARGET [TARGET...]
# Seeds: the committed corpus, testdata/, and the permissively licensed files of
# ../shared/corpus (never the AGPL ones, so nothing derived from them is kept).
# New coverage is merged, minimized, into tests/fuzz/corpus/<target> (at most
# 300 files of up to 16 kB, smallest first; never a copy of a shared corpus
# file); crashes are
# copied to tests/fuzz/crashers/<target>, where ctest replays them forever.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:?seconds per target}"
shift
targets=("$@")
((${#targets[@]})) || targets=(fuzz_read_path fuzz_decode_differential fuzz_folded)
shared="${SHARED:-../shared}"
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DPPROFX_FUZZ=ON -DPPROFX_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]}" >/dev/null
work=$(mktemp -d)
for t in "${targets[@]}"; do
  mkdir -p "$work/$t/seeds" "$work/$t/new" "$work/$t/crashes" "tests/fuzz/corpus/$t" "tests/fuzz/crashers/$t"
  cp -r "tests/fuzz/corpus/$t/." "$work/$t/seeds/" 2>/dev/null || true
  if [[ "$t" == fuzz_folded ]]; then
    cp testdata/*.folded tests/golden/flame/*.folded "$work/$t/seeds/"
  else
    cp testdata/*.pb.gz "$work/$t/seeds/"
    if [[ -d "$shared/corpus" ]]; then
      find "$shared/corpus/real" "$shared/corpus/synthetic" -type f -size -100k \
        ! -path '*pyroscope*' ! -name '*.tsv' ! -name '*.py' ! -name '*.string' -exec cp {} "$work/$t/seeds/" \;
      # Raw protobufs too: truncated gzip inflates to nothing, so raw seeds reach the decoder.
      for f in "$work/$t/seeds/"*; do
        if gzip -t "$f" 2>/dev/null; then gzip -dc "$f" > "$f.raw"; [[ "$t" == fuzz_decode_differential ]] && rm "$f"; fi
      done
    fi
  fi
  echo "== $t: ${secs}s" >&2
  (cd "$work/$t/crashes" && "$OLDPWD/build-fuzz/tests/fuzz/$t" -max_total_time="$secs" -max_len=131072 -timeout=10 \
     -rss_limit_mb=2048 -print_final_stats=1 "$work/$t/new" "$work/$t/seeds") 2>&1 | tail -n 25 || true
  # Keep a minimized corpus: new inputs that add coverage over the committed ones.
  mkdir -p "$work/$t/merged"
  build-fuzz/tests/fuzz/$t -merge=1 "$work/$t/merged" "tests/fuzz/corpus/$t" "$work/$t/new" >/dev/null 2>&1 || true
  hashes=$(find "$shared/corpus" -type f -exec sha256sum {} + 2>/dev/null | awk '{print $1}' | sort -u || true)
  rm -f "tests/fuzz/corpus/$t/"*
  kept=0
  while read -r size f; do
    h=$(sha256sum "$f" | awk '{print $1}')
    if ((size <= 16384 && kept < 300)) && ! grep -q "$h" <<<"$hashes"; then
      cp "$f" "tests/fuzz/corpus/$t/$h"
      kept=$((kept + 1))
    fi
  done < <(find "$work/$t/merged" -type f -printf '%s %p\n' | sort -n)
  for f in "$work/$t/crashes/"crash-* "$work/$t/crashes/"leak-* "$work/$t/crashes/"timeout-* "$work/$t/crashes/"oom-*; do
    [[ -f "$f" ]] && cp "$f" "tests/fuzz/crashers/$t/" && echo "FINDING: $t $(basename "$f")" >&2
  done
  echo "$t: corpus now $(ls "tests/fuzz/corpus/$t" | wc -l) files" >&2
done
