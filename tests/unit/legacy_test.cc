// pprof's legacy formats on small hand-made inputs: values, un-sampling,
// address adjustment, memory maps and pprof's error texts.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "pprofx/legacy/legacy.h"

namespace pprofx {
namespace {

model::Profile parse_ok(const std::string& text) {
  auto r = legacy::parse_legacy(text, "t");
  REQUIRE(r.has_value());
  INFO((r->ok() ? std::string() : r->error().message));
  REQUIRE(r->ok());
  return std::move(**r);
}

std::string parse_error(const std::string& text) {
  auto r = legacy::parse_legacy(text, "t");
  REQUIRE(r.has_value());
  REQUIRE_FALSE(r->ok());
  return r->error().message;
}

std::vector<uint64_t> addresses(const model::Profile& p, size_t sample) {
  std::vector<uint64_t> out;
  for (model::LocationId l : p.stack(p.samples[sample])) out.push_back(p.locations[l].address);
  return out;
}

// A gperftools CPU profile in 32-bit big-endian words.
std::string cpu_profile_be32(const std::vector<uint32_t>& words) {
  std::string b;
  for (uint32_t w : words) {
    for (int shift = 24; shift >= 0; shift -= 8) b += static_cast<char>((w >> shift) & 0xff);
  }
  return b;
}

}  // namespace

TEST_CASE("text that is no legacy format is left to the caller") {
  CHECK_FALSE(legacy::parse_legacy("hello\nworld\n", "t").has_value());
  CHECK_FALSE(legacy::parse_legacy("", "t").has_value());
}

TEST_CASE("heap_v2 samples are un-sampled and named like pprof's") {
  const model::Profile p = parse_ok(
      "heap profile:   2:   2048 [   4:   4096] @ heap_v2/524288\n"
      "   1:   1024 [   2:   2048] @ 0x1001 0x2001\n"
      "   1:   1024 [   2:   2048] @ 0x1001 0x3001\n"
      "--- Memory map: ---\n"
      "00001000-00004000 r-xp 00000000 00:00 0 /bin/prog\n");
  REQUIRE(p.sample_types.size() == 4);
  CHECK(p.str(p.sample_types[0].type) == "alloc_objects");
  CHECK(p.str(p.sample_types[3].type) == "inuse_space");
  CHECK(p.period == 524288);
  // inuse: count 1, size 1024 scaled by 1/(1-exp(-1024/524288)).
  const double scale = 1 / (1 - std::exp(-1024.0 / 524288));
  CHECK(p.sample_values(0)[2] == static_cast<int64_t>(1 * scale));
  CHECK(p.sample_values(0)[3] == static_cast<int64_t>(1024 * scale));
  CHECK(addresses(p, 0) == std::vector<uint64_t>{0x1000, 0x2000});  // every frame -1
  CHECK(p.locations.size() == 3);  // 0x1000 shared
  REQUIRE(p.mappings.size() == 1);
  CHECK(p.str(p.mappings[0].filename) == "/bin/prog");
  CHECK(p.str(p.drop_frames).find("tc_malloc") != std::string_view::npos);
  REQUIRE(p.sample_labels(p.samples[0]).size() == 1);
  CHECK(p.sample_labels(p.samples[0])[0].num == 1024);
  CHECK(parse_error("heap profile: 1: 1 [1: 1] @ heap_v2/2\n 0: 5 [0: 0] @ 0x1\n") ==
        "t: legacy heap profile: inuse count was 0 but inuse bytes was 5");
}

TEST_CASE("contention text scales delays by period and cycles per second") {
  const model::Profile p = parse_ok(
      "--- contentionz 1 ---\n"
      "cycles/second = 2000000000\n"
      "sampling period = 10\n"
      "ms since reset = 1000\n"
      "  4000 3 @ 0x10 0x20\n");
  CHECK(p.duration_nanos == 1'000'000'000);
  CHECK(p.sample_values(0)[0] == 30);                     // contentions x period
  CHECK(p.sample_values(0)[1] == 4000 * 10 / 2);          // cycles x period / GHz
  CHECK(p.str(p.drop_frames).find("RecordLockProfileData") != std::string_view::npos);
  // A Java attribute makes it not this format: pprof's Java parser takes it.
  const model::Profile j = parse_ok("--- contentionz 1 ---\nformat = java\nresolution = usec\n 1 2 @ 0x1\n");
  CHECK(j.str(j.sample_types[1].unit) == "usec");
  CHECK(j.sample_values(0)[0] == 2);  // fields reversed
  CHECK(j.locations[0].address == 0);
}

TEST_CASE("threadz counts repeated stacks; Go count profiles adjust every frame") {
  const model::Profile t = parse_ok(
      "--- threadz 1 ---\n\n"
      "--- Thread 1 (name: main/1) stack: ---\n  PC: 0x10: f\n  0x20: main\n"
      "--- Thread 2 (name: w/2) stack: ---\n  same as previous thread\n"
      "--- Memory map: ---\n");
  REQUIRE(t.samples.size() == 1);
  CHECK(t.sample_values(0)[0] == 2);
  CHECK(addresses(t, 0) == std::vector<uint64_t>{0x10, 0x1f});  // the leaf is not adjusted

  const model::Profile g = parse_ok("goroutine profile: total 4\n3 @ 0x11 0x21\n1 @ 0x31\n");
  CHECK(g.str(g.sample_types[0].type) == "goroutine");
  CHECK(addresses(g, 0) == std::vector<uint64_t>{0x10, 0x20});
  CHECK(g.sample_values(1)[0] == 1);
  CHECK(parse_error("goroutine profile: total 4\nthree @ 0x11\n") ==
        "t: legacy Go count profile: line 2: malformed profile format (expected \"COUNT @ 0xADDR...\", got "
        "\"three @ 0x11\")");
}

TEST_CASE("gperftools binary CPU profile, 32-bit big-endian, with its memory map") {
  std::string b = cpu_profile_be32({0, 3, 0, 10000, 0,          // header: period 10 ms
                                    5, 2, 0x1010, 0x2020,       // 5 x [0x1010, 0x2020]
                                    1, 1, 0x1030,               // 1 x [0x1030]
                                    0, 1, 0});                  // trailer
  b += "00001000-00003000 r-xp 00000000 00:00 0 /bin/cpu\n"
       "logs/x.cc:12] 00005000-00006000 r-xp 00000000 00:00 0 $dir/libz.so\n"
       "dir=/opt\n";
  const model::Profile p = parse_ok(b);
  CHECK(p.period == 10'000'000);
  CHECK(p.sample_values(0)[0] == 5);
  CHECK(p.sample_values(0)[1] == 50'000'000);
  CHECK(addresses(p, 0) == std::vector<uint64_t>{0x1010, 0x201f});
  REQUIRE(p.mappings.size() == 2);
  CHECK(p.str(p.mappings[0].filename) == "/bin/cpu");
  CHECK(p.str(p.mappings[1].filename) == "$dir/libz.so");  // $attr applies only to later lines
  CHECK(p.str(p.drop_frames).find("ProfileData::Add") != std::string_view::npos);
}

TEST_CASE("Java heapz: reversed fields, symbol table, addresses dropped") {
  const model::Profile p = parse_ok(
      "--- heapz 1 ---\n"
      "format = java\n"
      "resolution = bytes\n"
      "  1024 2 @ 0xa 0xb\n"
      "0x0000000a com.example.Foo.alloc (Foo.java:12)\n"
      "0x0000000b com.example.Main.main (Main.java:-1)\n");
  CHECK(p.str(p.sample_types[1].type) == "inuse_space");
  CHECK(p.str(p.sample_types[1].unit) == "bytes");
  CHECK(p.locations[0].address == 0);
  const auto lines = p.location_lines(p.locations[0]);
  REQUIRE(lines.size() == 1);
  CHECK(p.str(p.functions[lines[0].function].name) == "com.example.Foo.alloc");
  CHECK(lines[0].line == 12);
  CHECK(p.location_lines(p.locations[1])[0].line == 0);  // negative lines are dropped
  CHECK(parse_error("--- heapz 1 ---\n0 0 @ 0\n") ==
        "t: legacy Java profile: parsing sample 0 0 @ 0: second value must be non-zero");
}

}  // namespace pprofx

namespace pprofx {

TEST_CASE("a memory map whose $attributes would expand a line to gigabytes is refused at once") {
  std::string text = "heap profile: 1: 1 [1: 1] @ heap_v2/2\n 1: 1 [1: 1] @ 0x1\n--- Memory map: ---\na=";
  text += std::string(60000, 'x') + "\n0-1000 r-xp 00000000 00:00 0 ";
  for (int i = 0; i < 30000; ++i) text += "$a";  // 30,000 x 60 kB = 1.8 GB if expanded
  text += "\n";
  auto r = legacy::parse_legacy(text, "t");
  REQUIRE(r.has_value());
  REQUIRE_FALSE(r->ok());
  CHECK(r->error().message ==
        "t: legacy heap profile: memory map line 2: longer than 1048576 bytes once its $attributes are substituted");
}

}  // namespace pprofx
