#!/usr/bin/env bash
# Installs what is needed, builds with warnings as errors, and runs every test
# (unit, conformance against go tool pprof and pprof's profile package, golden
# files, the browser, CLI, atomic writes, symbolization with real producers,
# fetching from a live Go service, cross, convert against speedscope, the
# installed man page and completions, docs, fuzz-corpus replay) twice: in a
# normal build and in an AddressSanitizer + UndefinedBehaviorSanitizer build;
# and, in the normal build, the unit tests once more with the corpus hidden.
# This is the README's test command and exactly what CI runs.
#   SANITIZE=0 scripts/test.sh   skips the sanitizer pass (quicker, local use)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${BUILD_DIR:-build}"
scripts/install-deps.sh --tests
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPPROFX_WERROR=ON >/dev/null
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure
# A new user's clone has no ../shared: the unit tests must pass without the corpus too.
echo "== the unit tests once more without the corpus (PPROFX_SHARED_DIR pointed at a missing folder)" >&2
PPROFX_SHARED_DIR="$build/no-such-shared-dir" "$build/tests/pprofx_unit_tests"
if [[ "${SANITIZE:-1}" != 0 ]]; then
  echo "== the same tests under AddressSanitizer + UndefinedBehaviorSanitizer" >&2
  cmake -S . -B "$build-asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPPROFX_WERROR=ON -DPPROFX_SANITIZE=ON >/dev/null
  cmake --build "$build-asan" -j"$(nproc)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    LSAN_OPTIONS=suppressions="$PWD/tests/lsan.supp":print_suppressions=0 PPROFX_SANITIZED=1 \
    ctest --test-dir "$build-asan" --output-on-failure
fi
