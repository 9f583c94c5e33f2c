#!/usr/bin/env bash
# Regenerates the profiles in testdata/ from testdata/workload (needs golang-go).
# The profiles are committed; tests and the README use them as they are.
set -euo pipefail
cd "$(dirname "$0")/../testdata"
main_seconds="${SECONDS_TO_RUN:-3}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd workload && GOFLAGS=-mod=mod GO111MODULE=off go build -o "$tmp/workload" main.go)
if [[ "${ONLY_DIFF:-0}" != 1 ]]; then
  "$tmp/workload" -cpu workload.cpu.pb.gz -heap workload.heap.pb.gz -prefix workload -seconds "$main_seconds"
fi
# Pairs for pprofx diff: an A/A rerun, a regression, a leak (testdata/diff).
# Longer runs: about 800 CPU samples each, so real changes clear the noise bound.
SECONDS_TO_RUN="${DIFF_SECONDS:-8}"
mkdir -p diff
"$tmp/workload" -cpu diff/base.cpu.pb.gz -heap diff/base.heap.pb.gz -prefix diff/base -seconds "${SECONDS_TO_RUN:-3}"
"$tmp/workload" -cpu diff/aa.cpu.pb.gz -heap diff/aa.heap.pb.gz -seconds "${SECONDS_TO_RUN:-3}"
"$tmp/workload" -cpu diff/slow.cpu.pb.gz -heap diff/slow.heap.pb.gz -slow -seconds "${SECONDS_TO_RUN:-3}"
"$tmp/workload" -cpu diff/leak.cpu.pb.gz -heap diff/leak.heap.pb.gz -prefix diff/leak -leak -parked 400 \
  -seconds "${SECONDS_TO_RUN:-3}"
rm -f diff/*.mutex.pb.gz diff/*.block.pb.gz diff/leak.cpu.pb.gz
# Two independent regressions (check: two findings), from the quality benchmark's workload
# (bench/check_workload): main.share5 3x and main.share20 2x slower. 6 s of CPU at 250 Hz:
# about 1,500 samples each, so both clear the noise bound.
mkdir -p "$tmp/cw"
cp ../bench/check_workload/main.go "$tmp/cw/"
(cd "$tmp/cw" && printf 'module checkworkload\n\ngo 1.19\n' > go.mod && GOFLAGS=-mod=mod go build -o "$tmp/check_workload" .)
"$tmp/check_workload" -cpuprofile diff/two.base.cpu.pb.gz -duration 6s -hz 250
"$tmp/check_workload" -cpuprofile diff/two.slow.cpu.pb.gz -duration 6s -hz 250 -slow share5=3 -slow share20=2
ls -l workload.*.pb.gz diff
