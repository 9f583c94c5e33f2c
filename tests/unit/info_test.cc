#include <doctest/doctest.h>

#include "pprofx/decode/decode.h"
#include "pprofx/report/info.h"
#include "profile_builder.h"

using namespace pprofx;

TEST_CASE("info names the default sample type, totals, labels and symbolization per mapping") {
  testing::ProfileBuilder b;
  b.sample_type("alloc_space", "bytes").sample_type("inuse_space", "bytes");
  const uint64_t m = b.mapping("/usr/bin/app");
  const uint64_t named = b.location({{b.function("main.f"), 3}}, m, 0x1100);
  const uint64_t bare = b.location({}, m, 0x1200);
  auto& s = b.sample({named, bare}, {2048, 1024});
  b.num_label(s, "bytes", 64, "bytes");
  b.proto().set_drop_frames(b.str("runtime\\..*"));
  b.proto().add_comment(b.str("built by test"));
  auto p = decode::decode_profile(b.bytes(), "t.pb");
  REQUIRE(p.ok());
  const std::string out = report::format_info(*p, {.name = "t.pb", .file_bytes = 100, .gzipped = true, .raw_bytes = 300});
  CHECK(out.find("Sample types:alloc_space/bytes, inuse_space/bytes [default]") != std::string::npos);
  CHECK(out.find("  inuse_space                         1kB  bytes  (default)") != std::string::npos);
  CHECK(out.find("  bytes                    numeric (bytes) on 1 samples") != std::string::npos);
  CHECK(out.find("symbolized: 1 of 2 locations have names") != std::string::npos);
  CHECK(out.find("Drop frames: runtime\\..*") != std::string::npos);
  CHECK(out.find("  built by test") != std::string::npos);
}
