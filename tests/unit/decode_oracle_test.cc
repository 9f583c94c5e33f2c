// The wire reader against libprotobuf's generated parser, on every corpus file
// the wire reader accepts: both must see the same profile.
#include <doctest/doctest.h>

#include <filesystem>

#include "pprofx/decode/decode.h"
#include "pprofx/io/input.h"
#include "corpus.h"
#include "oracle_compare.h"
#include "proto/profile.pb.h"

using namespace pprofx;
namespace fs = std::filesystem;

TEST_CASE("the wire reader agrees with libprotobuf on every corpus file") {
  const auto corpus = testing::corpus_dir();
  if (!corpus) return;  // no corpus: skipped, with a message
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(*corpus)) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  int compared = 0;
  for (const fs::path& f : files) {
    auto bytes = io::read_profile_bytes(f.string(), io::kDefaultMaxInflated);
    if (!bytes) continue;
    auto decoded = decode::decode_profile(bytes->data, f.string());
    if (!decoded) continue;
    perftools::profiles::Profile oracle;
    INFO(f.string());
    REQUIRE(oracle.ParseFromString(bytes->data));
    CHECK(testing::compare_with_oracle(*decoded, oracle) == "");
    ++compared;
  }
  MESSAGE("compared " << compared << " corpus profiles with libprotobuf");
  CHECK(compared >= 60);
}
