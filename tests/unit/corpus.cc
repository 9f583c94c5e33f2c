#include "corpus.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

namespace fs = std::filesystem;

namespace pprofx::testing {

std::optional<fs::path> corpus_dir() {
  const char* env = std::getenv("PPROFX_SHARED_DIR");
  const fs::path shared = env != nullptr && *env != '\0' ? fs::path(env) : fs::path(PPROFX_SHARED_DIR);
  std::error_code ec;
  if (!fs::exists(shared, ec)) {
    MESSAGE("skipped the corpus part: " << shared.string()
                                        << " not found (the corpus lives in ../shared, or PPROFX_SHARED_DIR)");
    return std::nullopt;
  }
  const fs::path corpus = shared / "corpus";
  for (const char* part : {"real", "synthetic", "external"}) {
    const fs::path dir = corpus / part;
    INFO("the shared folder " << shared.string() << " is present, so its corpus must be complete");
    REQUIRE_MESSAGE(fs::is_directory(dir, ec), dir.string() << " is missing");
    bool any_file = false;
    for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
      if (e.is_regular_file()) {
        any_file = true;
        break;
      }
    }
    REQUIRE_MESSAGE(any_file, dir.string() << " holds no files");
  }
  return corpus;
}

}  // namespace pprofx::testing
