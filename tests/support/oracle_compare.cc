#include "oracle_compare.h"

#include <cstdint>
#include <string>
#include <unordered_map>

namespace pprofx::testing {

std::string compare_with_oracle(const model::Profile& m, const perftools::profiles::Profile& o,
                                bool compare_period_type) {
  // Each CHECK below returns the first difference as text.
#define CHECK(cond) \
  if (!(cond)) return std::string("mismatch: ") + #cond
#define REQUIRE(cond) CHECK(cond)
  auto s = [&](int64_t i) { return std::string_view(o.string_table(static_cast<int>(i))); };
  auto ms = [&](model::StrId id) { return m.str(id); };
  REQUIRE(m.sample_types.size() == static_cast<size_t>(o.sample_type_size()));
  for (int i = 0; i < o.sample_type_size(); ++i) {
    CHECK(ms(m.sample_types[i].type) == s(o.sample_type(i).type()));
    CHECK(ms(m.sample_types[i].unit) == s(o.sample_type(i).unit()));
  }
  REQUIRE(m.mappings.size() == static_cast<size_t>(o.mapping_size()));
  for (int i = 0; i < o.mapping_size(); ++i) {
    const auto& om = o.mapping(i);
    const auto& mm = m.mappings[i];
    CHECK(mm.file_id == om.id());
    CHECK(mm.memory_start == om.memory_start());
    CHECK(mm.memory_limit == om.memory_limit());
    CHECK(mm.file_offset == om.file_offset());
    CHECK(ms(mm.filename) == s(om.filename()));
    CHECK(ms(mm.build_id) == s(om.build_id()));
    CHECK(mm.has_functions == om.has_functions());
    CHECK(mm.has_filenames == om.has_filenames());
    CHECK(mm.has_line_numbers == om.has_line_numbers());
    CHECK(mm.has_inline_frames == om.has_inline_frames());
  }
  // Mapping ids the file defines (the decoder rejects an id defined twice).
  std::unordered_map<uint64_t, model::MappingId> mapping_index;
  for (size_t i = 0; i < m.mappings.size(); ++i) {
    mapping_index.emplace(m.mappings[i].file_id, id_at<model::MappingId>(i));
  }
  uint64_t dangling = 0;
  REQUIRE(m.functions.size() == static_cast<size_t>(o.function_size()));
  for (int i = 0; i < o.function_size(); ++i) {
    const auto& of = o.function(i);
    CHECK(m.functions[i].file_id == of.id());
    CHECK(ms(m.functions[i].name) == s(of.name()));
    CHECK(ms(m.functions[i].system_name) == s(of.system_name()));
    CHECK(ms(m.functions[i].filename) == s(of.filename()));
    CHECK(m.functions[i].start_line == of.start_line());
  }
  REQUIRE(m.locations.size() == static_cast<size_t>(o.location_size()));
  for (int i = 0; i < o.location_size(); ++i) {
    const auto& ol = o.location(i);
    const auto& ml = m.locations[i];
    CHECK(ml.file_id == ol.id());
    CHECK(ml.address == ol.address());
    CHECK(ml.is_folded == ol.is_folded());
    // Every link checked on its own: a defined mapping id must lead to that mapping; an
    // undefined one (pprof drops it) to none, and it is counted in dangling_mapping_refs.
    if (ol.mapping_id() == 0) {
      CHECK(ml.mapping == model::kNone);
    } else if (auto it = mapping_index.find(ol.mapping_id()); it != mapping_index.end()) {
      CHECK(ml.mapping == it->second);
    } else {
      CHECK(ml.mapping == model::kNone);
      ++dangling;
    }
    auto lines = m.location_lines(ml);
    REQUIRE(lines.size() == static_cast<size_t>(ol.line_size()));
    for (int k = 0; k < ol.line_size(); ++k) {
      CHECK(m.functions[lines[k].function].file_id == ol.line(k).function_id());
      CHECK(lines[k].line == ol.line(k).line());
      CHECK(lines[k].column == ol.line(k).column());
    }
  }
  CHECK(m.dangling_mapping_refs == dangling);
  REQUIRE(m.samples.size() == static_cast<size_t>(o.sample_size()));
  uint64_t dropped_labels = 0;
  for (int i = 0; i < o.sample_size(); ++i) {
    const auto& os = o.sample(i);
    auto stack = m.stack(m.samples[i]);
    REQUIRE(stack.size() == static_cast<size_t>(os.location_id_size()));
    for (int k = 0; k < os.location_id_size(); ++k) {
      CHECK(m.locations[stack[k]].file_id == os.location_id(k));
    }
    auto values = m.sample_values(i);
    REQUIRE(values.size() == static_cast<size_t>(os.value_size()));
    for (int k = 0; k < os.value_size(); ++k) REQUIRE(values[k] == os.value(k));
    auto labels = m.sample_labels(m.samples[i]);
    size_t next = 0;
    for (const auto& ol : os.label()) {
      if (ol.str() == 0 && ol.num() == 0 && ol.num_unit() == 0) {  // pprof drops these
        ++dropped_labels;
        continue;
      }
      REQUIRE(next < labels.size());
      CHECK(ms(labels[next].key) == s(ol.key()));
      CHECK(ms(labels[next].str) == s(ol.str()));
      if (ol.str() == 0) {
        CHECK(labels[next].num == ol.num());
        CHECK(ms(labels[next].num_unit) == s(ol.num_unit()));
      } else {
        // A string label keeps only its string (model::Label): num and unit are not stored.
        CHECK(labels[next].num == 0);
        CHECK(labels[next].num_unit == model::kEmptyStr);
      }
      ++next;
    }
    CHECK(next == labels.size());
  }
  CHECK(m.dropped_zero_labels == dropped_labels);
  CHECK(ms(m.drop_frames) == s(o.drop_frames()));
  CHECK(ms(m.keep_frames) == s(o.keep_frames()));
  CHECK(m.time_nanos == o.time_nanos());
  CHECK(m.duration_nanos == o.duration_nanos());
  CHECK(m.period == o.period());
  CHECK(!compare_period_type || ms(m.period_type.type) == s(o.period_type().type()));
  CHECK(!compare_period_type || ms(m.period_type.unit) == s(o.period_type().unit()));
  CHECK(ms(m.default_sample_type) == s(o.default_sample_type()));
  CHECK(ms(m.doc_url) == s(o.doc_url()));
  REQUIRE(m.comments.size() == static_cast<size_t>(o.comment_size()));
  for (int i = 0; i < o.comment_size(); ++i) CHECK(ms(m.comments[i]) == s(o.comment(i)));
  return {};
#undef CHECK
#undef REQUIRE
}

}  // namespace pprofx::testing
