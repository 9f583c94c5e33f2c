#include <doctest/doctest.h>

#include "pprofx/decode/decode.h"
#include "profile_builder.h"

using namespace pprofx;
using testing::ProfileBuilder;

namespace {

ProfileBuilder basic() {
  ProfileBuilder b;
  b.sample_type("samples", "count").sample_type("cpu", "nanoseconds");
  const uint64_t main_fn = b.frame("main.main", "/src/main.go");
  const uint64_t work = b.frame("main.work", "/src/main.go");
  b.sample({work, main_fn}, {2, 20});
  b.sample({main_fn}, {1, 10});
  return b;
}

std::string decode_error(const std::string& bytes) {
  auto r = decode::decode_profile(bytes, "t.pb");
  REQUIRE_FALSE(r.ok());
  return r.error().message;
}

}  // namespace

TEST_CASE("decode builds the flat model with dense indices and interned strings") {
  ProfileBuilder b = basic();
  auto r = decode::decode_profile(b.bytes(), "t.pb");
  REQUIRE(r.ok());
  const model::Profile& p = *r;
  REQUIRE(p.sample_types.size() == 2);
  CHECK(p.str(p.sample_types[1].type) == "cpu");
  REQUIRE(p.samples.size() == 2);
  CHECK(p.sample_values(0)[1] == 20);
  auto stack = p.stack(p.samples[0]);
  REQUIRE(stack.size() == 2);
  const model::Location& leaf = p.locations[stack[0]];
  CHECK(leaf.file_id == 2);
  CHECK(p.str(p.functions[p.location_lines(leaf)[0].function].name) == "main.work");
  // "/src/main.go" appears once in the table however many functions use it.
  model::StrId id;
  CHECK(p.strings.find("/src/main.go", &id));
  CHECK(p.functions[0].filename == p.functions[1].filename);
}

TEST_CASE("decode accepts unpacked repeated fields and unknown fields") {
  // Hand-written wire bytes: unpacked location ids and values, plus unknown fields 99 and 100.
  ProfileBuilder b = basic();
  std::string bytes = b.bytes();
  bytes += std::string("\x98\x06\x07", 3);          // field 99, varint 7
  bytes += std::string("\xa2\x06\x03" "abc", 6);     // field 100, bytes "abc"
  // A sample with unpacked location_id (field 1, varint) and value (field 2, varint).
  const std::string sample("\x08\x01\x10\x05\x10\x32", 6);
  bytes += "\x12" + std::string(1, static_cast<char>(sample.size())) + sample;
  auto r = decode::decode_profile(bytes, "t.pb");
  REQUIRE(r.ok());
  REQUIRE(r->samples.size() == 3);
  CHECK(r->sample_values(2)[0] == 5);
  CHECK(r->sample_values(2)[1] == 50);
}

TEST_CASE("decode remaps sparse ids such as addresses") {
  ProfileBuilder b;
  b.sample_type("samples", "count");
  const uint64_t fn = b.function("f");
  auto* loc = b.proto().add_location();
  loc->set_id(0x7f0000123456);
  loc->add_line()->set_function_id(fn);
  b.sample({0x7f0000123456}, {3});
  auto r = decode::decode_profile(b.bytes(), "t.pb");
  REQUIRE(r.ok());
  CHECK(r->locations[r->stack(r->samples[0])[0]].file_id == 0x7f0000123456);
}

TEST_CASE("labels: string, numeric with unit, and pprof's dropped zero label") {
  ProfileBuilder b = basic();
  auto& s = *b.proto().mutable_sample(0);
  b.label(s, "span", "abc").num_label(s, "bytes", 512, "bytes").num_label(s, "zero", 0);
  auto r = decode::decode_profile(b.bytes(), "t.pb");
  REQUIRE(r.ok());
  auto labels = r->sample_labels(r->samples[0]);
  REQUIRE(labels.size() == 2);
  CHECK(r->str(labels[0].str) == "abc");
  CHECK(labels[1].num == 512);
  CHECK(r->str(labels[1].num_unit) == "bytes");
  CHECK(r->dropped_zero_labels == 1);
}

TEST_CASE("validation rejects with a message that says where") {
  SUBCASE("dangling location") {
    ProfileBuilder b = basic();
    b.sample({99}, {1, 1});
    CHECK(decode_error(b.bytes()) == "t.pb: not a valid pprof profile: sample 2: location id 99 does not exist");
  }
  SUBCASE("value count") {
    ProfileBuilder b = basic();
    b.sample({1}, {1});
    CHECK(decode_error(b.bytes()).find("sample 2: has 1 values but the profile has 2 sample types") !=
          std::string::npos);
  }
  SUBCASE("function id 0 and duplicate ids") {
    ProfileBuilder b = basic();
    b.proto().mutable_function(0)->set_id(0);
    CHECK(decode_error(b.bytes()).find("function 0: id 0 is reserved") != std::string::npos);
    ProfileBuilder c = basic();
    c.proto().mutable_location(1)->set_id(1);
    CHECK(decode_error(c.bytes()).find("location id 1 is defined twice") != std::string::npos);
  }
  SUBCASE("dangling function") {
    ProfileBuilder b = basic();
    b.proto().mutable_location(0)->mutable_line(0)->set_function_id(9);
    CHECK(decode_error(b.bytes()).find("line 0 references function id 9, which does not exist") !=
          std::string::npos);
  }
  SUBCASE("string index out of range") {
    ProfileBuilder b = basic();
    b.proto().mutable_function(1)->set_name(1000);
    CHECK(decode_error(b.bytes()).find("function 1: string index 1000 is out of range") != std::string::npos);
  }
  SUBCASE("string_table[0] not empty") {
    ProfileBuilder b = basic();
    b.proto().set_string_table(0, "x");
    CHECK(decode_error(b.bytes()).find("string_table[0] must be \"\"") != std::string::npos);
  }
  SUBCASE("concatenated profiles") {
    ProfileBuilder b = basic();
    b.proto().set_time_nanos(5);
    CHECK(decode_error(b.bytes() + b.bytes()).find("concatenated profiles detected") != std::string::npos);
  }
  SUBCASE("samples without sample types") {
    ProfileBuilder b = basic();
    b.proto().clear_sample_type();
    CHECK(decode_error(b.bytes()).find("no sample_type") != std::string::npos);
  }
  SUBCASE("empty input") { CHECK(decode_error("") == "t.pb: empty input (no profile data)"); }
  SUBCASE("legacy text is named") {
    CHECK(decode_error("heap profile: 1: 2 [3: 4] @ heap_v2/524288\n").find("legacy heap profile") !=
          std::string::npos);
  }
}

TEST_CASE("a dangling mapping id is accepted and counted, as pprof does") {
  ProfileBuilder b = basic();
  b.proto().mutable_location(0)->set_mapping_id(5);
  auto r = decode::decode_profile(b.bytes(), "t.pb");
  REQUIRE(r.ok());
  CHECK(r->dangling_mapping_refs == 1);
  CHECK(r->locations[0].mapping == model::kNone);
}
