#!/usr/bin/env bash
# Installs what is needed, builds with warnings as errors, and runs every test
# (unit, conformance against go tool pprof goldens, CLI). This is the README's
# test command and exactly what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${BUILD_DIR:-build}"
scripts/install-deps.sh
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPPROFX_WERROR=ON >/dev/null
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure
