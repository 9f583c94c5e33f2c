// The wire writer against libprotobuf's serializer (the oracle: the generated
// classes filled field by field), the streamed gzip writer, and the streaming
// merge (units that change mid-merge, self-merges).
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <random>

#include <zlib.h>

#include "pprofx/decode/decode.h"
#include "pprofx/encode/encode.h"
#include "pprofx/io/gzip.h"
#include "pprofx/io/input.h"
#include "pprofx/model/merge.h"
#include "corpus.h"
#include "profile_builder.h"
#include "proto/profile.pb.h"
#include "zlib_reference.h"

using namespace pprofx;
namespace fs = std::filesystem;

namespace {

std::string oracle_encode(const model::Profile& p) {
  perftools::profiles::Profile o;
  for (model::StrId i : ids<model::StrId>(p.strings.size())) o.add_string_table(std::string(p.str(i)));
  for (const model::ValueType& vt : p.sample_types) {
    auto* t = o.add_sample_type();
    t->set_type(vt.type.value());
    t->set_unit(vt.unit.value());
  }
  for (size_t s = 0; s < p.samples.size(); ++s) {
    auto* os = o.add_sample();
    for (model::LocationId l : p.stack(p.samples[s])) os->add_location_id(p.locations[l].file_id);
    for (int64_t v : p.sample_values(s)) os->add_value(v);
    for (const model::Label& l : p.sample_labels(p.samples[s])) {
      auto* ol = os->add_label();
      ol->set_key(l.key.value());
      if (l.str != model::kEmptyStr) {
        ol->set_str(l.str.value());
      } else {
        ol->set_num(l.num);
        ol->set_num_unit(l.num_unit.value());
      }
    }
  }
  for (const model::Mapping& m : p.mappings) {
    auto* om = o.add_mapping();
    om->set_id(m.file_id);
    om->set_memory_start(m.memory_start);
    om->set_memory_limit(m.memory_limit);
    om->set_file_offset(m.file_offset);
    om->set_filename(m.filename.value());
    om->set_build_id(m.build_id.value());
    om->set_has_functions(m.has_functions);
    om->set_has_filenames(m.has_filenames);
    om->set_has_line_numbers(m.has_line_numbers);
    om->set_has_inline_frames(m.has_inline_frames);
  }
  for (const model::Location& l : p.locations) {
    auto* ol = o.add_location();
    ol->set_id(l.file_id);
    if (l.mapping != model::kNone) ol->set_mapping_id(p.mappings[l.mapping].file_id);
    ol->set_address(l.address);
    ol->set_is_folded(l.is_folded);
    for (const model::Line& ln : p.location_lines(l)) {
      auto* line = ol->add_line();
      line->set_function_id(p.functions[ln.function].file_id);
      line->set_line(ln.line);
      line->set_column(ln.column);
    }
  }
  for (const model::Function& f : p.functions) {
    auto* of = o.add_function();
    of->set_id(f.file_id);
    of->set_name(f.name.value());
    of->set_system_name(f.system_name.value());
    of->set_filename(f.filename.value());
    of->set_start_line(f.start_line);
  }
  o.set_drop_frames(p.drop_frames.value());
  o.set_keep_frames(p.keep_frames.value());
  o.set_time_nanos(p.time_nanos);
  o.set_duration_nanos(p.duration_nanos);
  o.mutable_period_type()->set_type(p.period_type.type.value());
  o.mutable_period_type()->set_unit(p.period_type.unit.value());
  o.set_period(p.period);
  for (model::StrId c : p.comments) o.add_comment(c.value());
  o.set_default_sample_type(p.default_sample_type.value());
  o.set_doc_url(p.doc_url.value());
  return o.SerializeAsString();
}

model::Profile decode_bytes(const std::string& bytes) {
  auto p = decode::decode_profile(bytes, "test");
  REQUIRE(p);
  return std::move(*p);
}

// The repo's testdata, and the corpus's real profiles when there is a corpus.
std::vector<fs::path> profile_files(const std::optional<fs::path>& corpus) {
  std::vector<fs::path> dirs = {fs::path(PPROFX_SOURCE_DIR) / "testdata"};
  if (corpus) dirs.push_back(*corpus / "real");
  std::vector<fs::path> files;
  for (const fs::path& dir : dirs) {
    REQUIRE(fs::is_directory(dir));
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (e.is_regular_file()) files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("the wire writer writes libprotobuf's bytes") {
  testing::ProfileBuilder b;
  b.sample_type("alloc_objects", "count").sample_type("alloc_space", "bytes");
  const uint64_t m = b.mapping("/bin/app", 0x400000, 0x500000);
  const uint64_t f = b.function("main.work", "main.go", 12);
  const uint64_t g = b.function("", "", -3);  // empty name, negative start line
  const uint64_t inl = b.location({{f, 7}, {g, 0}}, m, 0x401000);
  const uint64_t bare = b.location({}, 0, 0xffffffffffffffffull);
  auto& s1 = b.sample({inl, bare}, {-1, -9223372036854775807LL});  // negative values: ten-byte varints
  b.label(s1, "span", "x").num_label(s1, "bytes", 4096, "bytes").num_label(s1, "n", -5);
  b.sample({}, {0, 0});  // empty stack, zero values
  b.proto().mutable_location(0)->set_is_folded(true);
  b.proto().mutable_location(0)->mutable_line(0)->set_column(3);
  b.proto().set_time_nanos(-1);
  b.proto().add_comment(b.str("c1"));
  b.proto().add_comment(0);
  b.proto().set_doc_url(b.str("https://example.com/doc"));
  const model::Profile p = decode_bytes(b.bytes());
  CHECK(encode::encode_profile(p) == oracle_encode(p));
  // The pieces handed to the sink join to the same bytes.
  std::string joined;
  size_t pieces = 0;
  encode::write_profile(p, [&](std::string_view s) {
    joined.append(s);
    ++pieces;
  });
  CHECK(joined == oracle_encode(p));
  CHECK(pieces >= 1);
}

TEST_CASE("the wire writer agrees with libprotobuf on every shipped and corpus profile") {
  const auto corpus = testing::corpus_dir();  // none: the repo's testdata only, with a message
  int compared = 0;
  for (const fs::path& f : profile_files(corpus)) {
    auto bytes = io::read_profile_bytes(f.string(), io::kDefaultMaxInflated);
    if (!bytes) continue;
    auto decoded = decode::decode_any(bytes->data, f.string());
    if (!decoded) continue;
    INFO(f.string());
    const std::string want = oracle_encode(*decoded);
    std::string got;
    size_t pieces = 0;
    encode::write_profile(*decoded, [&](std::string_view s) {
      got.append(s);
      ++pieces;
    });
    CHECK(got.size() == want.size());
    CHECK(got == want);
    CHECK(pieces <= want.size() / 65536 + 1);  // about 64 kB at a time, every piece but the last full
    ++compared;
  }
  MESSAGE("encoded " << compared << " profiles, compared with libprotobuf");
  CHECK(compared >= (corpus ? 80 : 10));  // testdata has 14, the corpus's real/ adds about 70
}

using testing::zlib_member;

TEST_CASE("the streamed gzip writer: one member, the same bytes however the input is cut and on any thread count") {
  std::mt19937 rng(7);
  std::string data;  // 5 MB: several batches of blocks, so windows cross batch boundaries
  for (int i = 0; i < 5'000'000; ++i) data.push_back(static_cast<char>("abcdefgh\n"[rng() % 9] + (rng() % 50 == 0)));
  for (int level : {1, 6, 9}) {
    INFO("level " << level);
    const std::string whole = io::gzip(data, level);
    for (auto [piece, threads] : {std::pair<size_t, unsigned>{1, 1}, {7, 2}, {4096, 3}, {3'000'000, 2}, {5'000'000, 8}}) {
      std::string out;
      io::GzipWriter w(level, [&](std::string_view s) { out.append(s); }, threads);
      for (size_t i = 0; i < data.size(); i += piece) w.write(std::string_view(data).substr(i, piece));
      w.finish();
      CHECK(out == whole);
    }
    auto back = io::gunzip(whole, io::kDefaultMaxInflated);
    REQUIRE(back);
    CHECK(*back == data);
    CHECK(whole.size() < data.size() / 2);  // it compresses (the blocks share their windows)
  }
  // zlib's own single stream: sizes within 1% of it.
  const std::string reference = zlib_member(data);
  CHECK(io::gzip(data, 6).size() < reference.size() * 101 / 100);
  CHECK(io::gzip("", 6) != "");
  CHECK(io::gunzip(io::gzip("", 6), 100).value() == "");
  CHECK(io::gunzip(io::gzip("x", 6), 100).value() == "x");
  CHECK(io::gzip("small input", 6) == zlib_member("small input"));  // one block: what zlib writes
}

namespace {

// One sample per call: stack leaf first by function names, a value per type.
model::Profile cpu_profile(const std::string& unit, std::vector<std::pair<std::vector<std::string>, int64_t>> samples) {
  testing::ProfileBuilder b;
  b.sample_type("samples", "count").sample_type("cpu", unit);
  b.proto().mutable_period_type()->set_type(b.str("cpu"));
  b.proto().mutable_period_type()->set_unit(b.str(unit));
  std::map<std::string, uint64_t> frames;
  for (auto& [stack, v] : samples) {
    std::vector<uint64_t> ids;
    for (const std::string& f : stack) {
      if (!frames.count(f)) frames[f] = b.frame(f);
      ids.push_back(frames[f]);
    }
    b.sample(ids, {1, v});
  }
  return decode_bytes(b.bytes());
}

std::map<std::string, std::vector<int64_t>> by_stack(const model::Profile& p) {
  std::map<std::string, std::vector<int64_t>> out;
  for (size_t s = 0; s < p.samples.size(); ++s) {
    std::string key;
    for (model::LocationId l : p.stack(p.samples[s])) {
      key += std::string(p.str(p.functions[p.location_lines(p.locations[l])[0].function].name)) + ";";
    }
    auto v = p.sample_values(s);
    out[key].assign(v.begin(), v.end());
  }
  return out;
}

}  // namespace

TEST_CASE("merging: a finer unit met mid-merge rescales what was summed (pprof scales every input to it)") {
  const model::Profile ms = cpu_profile("milliseconds", {{{"a", "main"}, 3}, {{"b", "main"}, 1}});
  const model::Profile us = cpu_profile("microseconds", {{{"a", "main"}, 5}, {{"c", "main"}, 7}});
  const model::Profile ns = cpu_profile("nanoseconds", {{{"a", "main"}, 11}, {{"b", "main"}, 13}});
  const model::Profile s = cpu_profile("seconds", {{{"c", "main"}, 2}});
  model::Merger m;
  for (const model::Profile* p : {&ms, &us, &ns, &s}) REQUIRE(m.add(*p, "x"));
  const model::Profile out = m.finish();
  CHECK(out.str(out.sample_types[1].unit) == "nanoseconds");
  const auto got = by_stack(out);
  CHECK(got.at("a;main;") == std::vector<int64_t>{3, 3'000'000 + 5'000 + 11});
  CHECK(got.at("b;main;") == std::vector<int64_t>{2, 1'000'000 + 13});
  CHECK(got.at("c;main;") == std::vector<int64_t>{2, 7'000 + 2'000'000'000});
  // The order of the inputs changes ids, not sums.
  model::Merger back;
  for (const model::Profile* p : {&s, &ns, &us, &ms}) REQUIRE(back.add(*p, "x"));
  CHECK(by_stack(back.finish()) == got);
}

TEST_CASE("merging a profile with itself doubles its values and keeps its entities") {
  const auto corpus = testing::corpus_dir();  // none: the repo's testdata only, with a message
  int merged = 0;
  for (const fs::path& f : profile_files(corpus)) {
    auto bytes = io::read_profile_bytes(f.string(), io::kDefaultMaxInflated);
    if (!bytes) continue;
    auto p = decode::decode_any(bytes->data, f.string());
    if (!p || p->samples.empty()) continue;
    INFO(f.string());
    auto once = model::merge({&*p}, {"a"});
    auto twice = model::merge({&*p, &*p}, {"a", "b"});
    REQUIRE(once);
    REQUIRE(twice);
    CHECK(twice->samples.size() == once->samples.size());
    CHECK(twice->locations.size() == once->locations.size());
    CHECK(twice->functions.size() == once->functions.size());
    CHECK(twice->mappings.size() == once->mappings.size());
    bool doubled = twice->values.size() == once->values.size();
    for (size_t i = 0; doubled && i < once->values.size(); ++i) doubled = twice->values[i] == 2 * once->values[i];
    CHECK(doubled);
    CHECK(twice->duration_nanos == 2 * once->duration_nanos);
    ++merged;
  }
  MESSAGE("merged " << merged << " profiles with themselves");
  CHECK(merged >= (corpus ? 80 : 10));  // testdata has 14, the corpus's real/ adds about 70
}
