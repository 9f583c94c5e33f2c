#!/usr/bin/env bash
# Fuzzes the targets in tests/fuzz with libFuzzer (clang-14, libclang-rt-14-dev):
#   scripts/fuzz.sh SECONDS_PER_TARGET [TARGET...]
# Seeds: the committed corpus, testdata/, and the permissively licensed files of
# ../shared/corpus (never the AGPL ones, so nothing derived from them is kept).
# The corpus is then minimized with libFuzzer's -merge=1 over the inputs of
# up to 16 kB (which keep ~95% of the edges, at a tenth of the bytes) into
# tests/fuzz/corpus/<target>, never keeping a copy of a shared corpus file;
# crashes are
# copied to tests/fuzz/crashers/<target>, where ctest replays them forever.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:?seconds per target}"
shift
targets=("$@")
((${#targets[@]})) || targets=(fuzz_read_path fuzz_decode_differential fuzz_folded fuzz_legacy fuzz_values fuzz_goroutine_dump)
shared="${SHARED:-../shared}"
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DPPROFX_FUZZ=ON -DPPROFX_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]}" >/dev/null
work=$(mktemp -d)
for t in "${targets[@]}"; do
  mkdir -p "$work/$t/seeds" "$work/$t/new" "$work/$t/crashes" "tests/fuzz/corpus/$t" "tests/fuzz/crashers/$t"
  cp -r "tests/fuzz/corpus/$t/." "$work/$t/seeds/" 2>/dev/null || true
  if [[ "$t" == fuzz_folded ]]; then
    for f in testdata/*.folded tests/golden/flame/*.folded; do cp "$f" "$work/$t/seeds/$(echo "$f" | tr / _)"; done
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
  # profile.proto targets: extreme varints in every field (tests/fuzz/values.dict).
  dict=()
  case "$t" in
    fuzz_read_path | fuzz_decode_differential | fuzz_values) dict=(-dict="$PWD/tests/fuzz/values.dict") ;;
  esac
  (cd "$work/$t/crashes" && "$OLDPWD/build-fuzz/tests/fuzz/$t" "${dict[@]}" -max_total_time="$secs" -max_len=131072 -timeout=10 \
     -rss_limit_mb=2048 -print_final_stats=1 "$work/$t/new" "$work/$t/seeds") 2>&1 | tail -n 25 || true
  # Keep a minimized corpus: the coverage of every input of up to 16 kB.
  mkdir -p "$work/$t/small" "$work/$t/merged"
  find "tests/fuzz/corpus/$t" "$work/$t/new" -type f -size -16k -exec cp {} "$work/$t/small/" \;
  build-fuzz/tests/fuzz/$t -merge=1 "$work/$t/merged" "$work/$t/small" >/dev/null 2>&1 || true
  hashes=$(find "$shared/corpus" -type f -exec sha256sum {} + 2>/dev/null | awk '{print $1}' | sort -u || true)
  rm -f "tests/fuzz/corpus/$t/"*
  for f in "$work/$t/merged/"*; do
    [[ -f "$f" ]] || continue
    h=$(sha256sum "$f" | awk '{print $1}')
    grep -q "$h" <<<"$hashes" || cp "$f" "tests/fuzz/corpus/$t/$h"
  done
  for f in "$work/$t/crashes/"crash-* "$work/$t/crashes/"leak-* "$work/$t/crashes/"timeout-* "$work/$t/crashes/"oom-*; do
    [[ -f "$f" ]] && cp "$f" "tests/fuzz/crashers/$t/" && echo "FINDING: $t $(basename "$f")" >&2
  done
  echo "$t: corpus now $(ls "tests/fuzz/corpus/$t" | wc -l) files" >&2
done
