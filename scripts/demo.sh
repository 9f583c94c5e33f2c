#!/usr/bin/env bash
# Installs what is needed, builds pprofx, and runs it on a profile the repo
# ships. Extra arguments go to pprofx instead of the default command.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${BUILD_DIR:-build}"
scripts/install-deps.sh
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
if (($#)); then
  "$build/pprofx" "$@"
else
  "$build/pprofx" top -n 15 testdata/workload.cpu.pb.gz
fi
