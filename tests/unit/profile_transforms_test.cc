// What load does to a profile on request, on hand-built profiles: pprof's
// -tagroot / -tagleaf frames (model/label_frames.h: names, order, ids, depth,
// matches) and -divide_by (model::divide_values). Both through every report
// are checked against go tool pprof by the conformance goldens.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "pprofx/decode/decode.h"
#include "pprofx/model/label_frames.h"
#include "pprofx/model/profile.h"
#include "profile_builder.h"

namespace {

using pprofx::model::Profile;

Profile decoded(const pprofx::testing::ProfileBuilder& b) {
  auto p = pprofx::decode::decode_profile(b.bytes(), "test");
  REQUIRE(p);
  return std::move(*p);
}

// Sample s's stack, leaf first: each frame as "file_id:name@file".
std::vector<std::string> frames(const Profile& p, size_t s) {
  std::vector<std::string> out;
  for (pprofx::model::LocationId l : p.stack(p.samples[s])) {
    const auto& loc = p.locations[l];
    const auto& fn = p.functions[p.lines[pprofx::model::LineId(loc.lines_begin)].function];
    out.push_back(std::to_string(loc.file_id) + ":" + std::string(p.str(fn.name)) + "@" +
                  std::string(p.str(fn.filename)) + (loc.is_label_frame ? "" : "(real)"));
  }
  return out;
}

}  // namespace

TEST_CASE("add_label_frames: values joined, numbers in their units, first root key outermost, last leaf key innermost") {
  pprofx::testing::ProfileBuilder b;
  b.sample_type("cpu", "nanoseconds");
  const uint64_t leaf = b.frame("leaf", "a.go"), root = b.frame("root", "a.go");
  auto& s1 = b.sample({leaf, root}, {10});
  b.label(s1, "tenant", "acme").label(s1, "tenant", "b").num_label(s1, "size", 1536, "bytes").num_label(s1, "size", 10);
  auto& s2 = b.sample({root}, {5});
  b.num_label(s2, "size", 7);
  Profile p = decoded(b);
  auto m = pprofx::model::add_label_frames(p, {.root = "tenant,size", .leaf = ",size,nosuch,", .unit = "minimum"});
  REQUIRE(m);
  CHECK(m->root);
  CHECK(m->leaf);
  // Ids after the largest (2): made per sample, root keys then leaf keys, each list last key first.
  CHECK(frames(p, 0) == std::vector<std::string>{"5:@nosuch", "3:1.50kB,10@size", "1:leaf@a.go(real)",
                                                   "2:root@a.go(real)", "3:1.50kB,10@size", "4:acme,b@tenant"});
  // No unit among a key's values: plain numbers; no value: an empty name (pprof shows "<unknown>").
  CHECK(frames(p, 1) == std::vector<std::string>{"5:@nosuch", "6:7@size", "2:root@a.go(real)", "6:7@size",
                                                   "7:@tenant"});
  CHECK(pprofx::model::label_frame_warnings({.root = "tenant", .leaf = "x"}, *m).empty());
}

TEST_CASE("add_label_frames: warnings as pprof's, also for a list of empty keys; a unit for numbers") {
  pprofx::testing::ProfileBuilder b;
  b.sample_type("cpu", "nanoseconds");
  auto& s = b.sample({b.frame("f")}, {1});
  b.num_label(s, "latency", 1500000, "nanoseconds");
  Profile p = decoded(b);
  const pprofx::model::LabelFrames frames_asked{.root = "nosuch", .leaf = ",", .unit = "ms"};
  auto m = pprofx::model::add_label_frames(p, frames_asked);
  REQUIRE(m);
  CHECK(pprofx::model::label_frame_warnings(frames_asked, *m) ==
        std::vector<std::string>{"TagRoot expression matched no samples", "TagLeaf expression matched no samples"});
  CHECK(frames(p, 0) == std::vector<std::string>{"1:f@(real)", "2:@nosuch"});

  Profile q = decoded(b);
  REQUIRE(pprofx::model::add_label_frames(q, {.root = "latency", .leaf = "", .unit = "ms"}));
  CHECK(frames(q, 0) == std::vector<std::string>{"1:f@(real)", "2:1.50ms@latency"});
  CHECK(pprofx::model::split_label_keys(",a,,b,") == std::vector<std::string>{"a", "b"});
  CHECK(pprofx::model::split_label_keys("").empty());
}

TEST_CASE("divide_values: every sample value divided as pprof's -proto output has it; what does not fit is refused") {
  pprofx::testing::ProfileBuilder b;
  b.sample_type("cpu", "nanoseconds");
  b.sample_type("samples", "count");
  const uint64_t f = b.frame("f");
  b.sample({f}, {1999, 3});
  b.sample({f}, {-2500, 1});
  Profile p = decoded(b);
  CHECK(pprofx::model::divide_values(p, 1000).empty());
  CHECK(p.values == std::vector<int64_t>{1, 0, -2, 0});
  Profile q = decoded(b);
  CHECK(pprofx::model::divide_values(q, 1e-17).find("outside the int64 range") != std::string::npos);
  pprofx::testing::ProfileBuilder big;
  big.sample_type("cpu", "nanoseconds");
  const uint64_t g = big.frame("g");
  for (int i = 0; i < 3; ++i) big.sample({g}, {INT64_MAX / 4});  // fits; twice each does not add up
  Profile r = decoded(big);
  CHECK(pprofx::model::divide_values(r, 0.5).find("add up past the int64 range") != std::string::npos);
}
