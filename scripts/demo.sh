#!/usr/bin/env bash
# Installs what is needed, builds pprofx, and renders a flame graph of a
# profile the repo ships (workload.cpu.svg in the current directory; open it
# in a browser). Extra arguments go to pprofx instead of the default command.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${BUILD_DIR:-build}"
scripts/install-deps.sh
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
if (($#)); then
  "$build/pprofx" "$@"
else
  "$build/pprofx" flame testdata/workload.cpu.pb.gz
fi
