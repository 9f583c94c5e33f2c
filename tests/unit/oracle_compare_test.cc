// tests/support/oracle_compare (the corpus oracle test's and the differential fuzzer's
// judge): it agrees on a profile using every field, and notices a change to any one.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "oracle_compare.h"
#include "pprofx/decode/decode.h"
#include "profile_builder.h"

using namespace pprofx;

namespace {

struct Decoded {
  perftools::profiles::Profile oracle;
  model::Profile mine;
};

// Two mappings (every has_* flag used), locations linked to each, to none and to an
// undefined mapping id; string, numeric (with and without unit) and dropped labels;
// period type, doc_url, comments.
Decoded every_field() {
  testing::ProfileBuilder b;
  b.sample_type("alloc_objects", "count").sample_type("alloc_space", "bytes");
  const uint64_t m1 = b.mapping("/bin/app", 0x400000, 0x500000);
  const uint64_t m2 = b.mapping("/lib/libc.so", 0x7f0000, 0x7f8000);
  auto& pm1 = *b.proto().mutable_mapping(0);
  pm1.set_has_functions(true);
  pm1.set_has_filenames(true);
  pm1.set_has_line_numbers(false);
  pm1.set_has_inline_frames(true);
  pm1.set_build_id(b.str("abc123"));
  auto& pm2 = *b.proto().mutable_mapping(1);
  pm2.set_has_line_numbers(true);
  const uint64_t f = b.function("main.work", "main.go", 12);
  const uint64_t g = b.function("libc_malloc", "malloc.c", 3);
  const uint64_t in_app = b.location({{f, 7}}, m1, 0x401000);
  const uint64_t in_libc = b.location({{g, 9}}, m2, 0x7f0100);
  const uint64_t dangling = b.location({{g, 10}}, 99, 0x7f0200);  // mapping 99 is not defined
  const uint64_t bare = b.location({{f, 8}}, 0, 0x1234);
  auto& s = b.sample({in_libc, dangling, in_app, bare}, {1, 4096});
  b.label(s, "span", "x").num_label(s, "bytes", 4096, "bytes").num_label(s, "n", -5).num_label(s, "zero", 0);
  b.sample({in_app}, {2, 64});
  auto& pt = *b.proto().mutable_period_type();
  pt.set_type(b.str("space"));
  pt.set_unit(b.str("bytes"));
  b.proto().set_period(524288);
  b.proto().set_doc_url(b.str("https://example.com/doc"));
  b.proto().add_comment(b.str("c1"));
  b.proto().set_default_sample_type(b.str("alloc_space"));
  Decoded d;
  d.oracle = b.proto();
  auto p = decode::decode_profile(b.bytes(), "t.pb");
  REQUIRE(p.ok());
  d.mine = std::move(*p);
  return d;
}

}  // namespace

TEST_CASE("oracle_compare: the same profile compares equal, and every field is compared") {
  Decoded d = every_field();
  REQUIRE(testing::compare_with_oracle(d.mine, d.oracle) == "");
  REQUIRE(d.mine.dangling_mapping_refs == 1);
  REQUIRE(d.mine.dropped_zero_labels == 1);
  const model::StrId other = d.mine.sample_types[0].type;  // some string the fields do not hold
  // Locations in file order: 0 in the app, 1 in libc, 2 dangling, 3 without mapping.
  const std::vector<std::pair<std::string, std::function<void(model::Profile&)>>> mutations = {
      {"mapping has_filenames", [](model::Profile& p) { p.mappings[0].has_filenames = false; }},
      {"mapping has_line_numbers", [](model::Profile& p) { p.mappings[1].has_line_numbers = false; }},
      {"mapping has_functions", [](model::Profile& p) { p.mappings[0].has_functions = false; }},
      {"mapping has_inline_frames", [](model::Profile& p) { p.mappings[0].has_inline_frames = false; }},
      {"mapping build_id", [&](model::Profile& p) { p.mappings[0].build_id = other; }},
      {"label num_unit", [](model::Profile& p) { p.labels[1].num_unit = model::kEmptyStr; }},
      {"label num", [](model::Profile& p) { p.labels[2].num = 5; }},
      {"string label with a num", [](model::Profile& p) { p.labels[0].num = 1; }},
      {"period_type.unit", [&](model::Profile& p) { p.period_type.unit = other; }},
      {"period_type.type", [&](model::Profile& p) { p.period_type.type = other; }},
      {"doc_url", [](model::Profile& p) { p.doc_url = model::kEmptyStr; }},
      {"default_sample_type", [&](model::Profile& p) { p.default_sample_type = other; }},
      // One dangling mapping must not excuse a wrong link elsewhere.
      {"a location linked to the wrong mapping", [](model::Profile& p) { p.locations[0].mapping = model::MappingId(1); }},
      {"a location linked to none", [](model::Profile& p) { p.locations[1].mapping = model::kNone; }},
      {"a location without mapping linked to one", [](model::Profile& p) { p.locations[3].mapping = model::MappingId(0); }},
      {"the dangling location linked to a mapping", [](model::Profile& p) { p.locations[2].mapping = model::MappingId(1); }},
      {"dangling_mapping_refs", [](model::Profile& p) { p.dangling_mapping_refs = 2; }},
      {"dropped_zero_labels", [](model::Profile& p) { p.dropped_zero_labels = 0; }},
  };
  for (const auto& [what, mutate] : mutations) {
    INFO(what);
    model::Profile changed = every_field().mine;
    mutate(changed);
    const std::string diff = testing::compare_with_oracle(changed, d.oracle);
    CHECK(diff.rfind("mismatch: ", 0) == 0);
  }
  // With compare_period_type=false (arbitrary bytes), the period type is not compared.
  model::Profile changed = every_field().mine;
  changed.period_type.unit = other;
  CHECK(testing::compare_with_oracle(changed, d.oracle, false) == "");
}
