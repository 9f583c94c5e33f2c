#!/usr/bin/env bash
# Renders the pictures in README.md and docs/ with pprofx itself, from the
# profiles in testdata/. Run after changing the renderer; commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
px="${PPROFX:-build/pprofx}"
"$px" flame testdata/workload.cpu.pb.gz -o docs/images/workload-cpu.png --minwidth 0.2% >/dev/null
"$px" flame testdata/workload.cpu.pb.gz -o docs/images/workload-cpu-icicle-lang.png --inverted --colors lang \
  --minwidth 0.2% >/dev/null
"$px" flame testdata/workload.heap.pb.gz -o docs/images/workload-heap.png --colors mem --minwidth 0.5% >/dev/null
ls -l docs/images
