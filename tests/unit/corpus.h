// Where the shared corpus is, for the unit tests (tests/support/corpus.py is the
// python twin, with the same rule).
#pragma once

#include <filesystem>
#include <optional>

namespace pprofx::testing {

// The shared folder is the environment's PPROFX_SHARED_DIR if set, else the one compiled
// in (CMake's PPROFX_SHARED_DIR, ../shared beside the repo). A folder that does not exist
// means "no corpus": nullopt, after a doctest MESSAGE saying so (the caller returns: the
// corpus part of the test is skipped). A folder that exists must hold corpus/real,
// corpus/synthetic and corpus/external, each with files; otherwise the calling test case
// fails (REQUIRE), as a half-copied corpus would pass by testing less.
// Returns the corpus folder, <shared>/corpus.
std::optional<std::filesystem::path> corpus_dir();

}  // namespace pprofx::testing
