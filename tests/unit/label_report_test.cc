// The label reports (pprof's -traces and -tags) on hand-built profiles, and
// the Go layout rules they depend on (text/tabwriter, rune counts).
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <ctime>

#include "../../src/report/label_text.h"
#include "pprofx/decode/decode.h"
#include "pprofx/report/raw.h"
#include "pprofx/report/traces.h"
#include "profile_builder.h"

using pprofx::report::go_tabwriter_align_right;

namespace {

pprofx::model::Profile decoded(const pprofx::testing::ProfileBuilder& b) {
  auto p = pprofx::decode::decode_profile(b.bytes(), "test");
  REQUIRE(p);
  return std::move(*p);
}

}  // namespace

TEST_CASE("go_tabwriter_align_right lays out cells as Go's tabwriter (expected texts printed by Go 1.19)") {
  CHECK(go_tabwriter_align_right("bytes:\t Total 10.0MB\n \t8.0MB (80.00%):\t 4kB\n \t2.0MB (20.00%):\t 512B\n\n"
                                 "key_long_name:\t Total 3\n \t2 (66.67%):\t x\n \t1 (33.33%):\t h\xc3\xa9llo\n\n") ==
        " bytes: Total 10.0MB\n        8.0MB (80.00%): 4kB\n        2.0MB (20.00%): 512B\n\n"
        " key_long_name: Total 3\n                2 (66.67%): x\n                1 (33.33%): h\xc3\xa9llo\n\n");
  CHECK(go_tabwriter_align_right("a\tb\tc\nlonger\tx\n\tyy\tzzz\nno tabs\n\t\tq\n") ==
        "      a bc\n longerx\n        yyzzz\nno tabs\n  q\n");
  CHECK(go_tabwriter_align_right("") == "");
}

TEST_CASE("go_rune_count counts runes as Go: each byte of invalid UTF-8 is one") {
  CHECK(pprofx::report::go_rune_count("h\xc3\xa9llo") == 5);
  CHECK(pprofx::report::go_rune_count("\xff\xfe") == 2);
  CHECK(pprofx::report::go_rune_count("\xed\xa0\x80") == 3);  // a surrogate: invalid in Go
  CHECK(pprofx::report::go_pad_left("\xe2\x82\xac", 3) == "  \xe2\x82\xac");
}

TEST_CASE("traces: labels sorted as pprof prints them, the value on the leaf, inline marks, escaping") {
  pprofx::testing::ProfileBuilder b;
  b.sample_type("cpu", "nanoseconds");
  const uint64_t leaf = b.function("leaf"), inl = b.function("inlined\x1b[31m"), root = b.function("main");
  const uint64_t l1 = b.location({{leaf, 0}, {inl, 0}});
  const uint64_t l2 = b.location({{root, 0}});
  auto& s = b.sample({l1, l2}, {1500});
  b.label(s, "zone", "eu").label(s, "a", "x").num_label(s, "bytes", 2048);
  b.sample({l1, l2}, {0});  // all zero: pprof's merge drops it
  const auto p = decoded(b);
  auto r = pprofx::report::traces_report(p, {});
  REQUIRE(r);
  CHECK(r->text ==
        "Type: cpu\n"
        "-----------+-------------------------------------------------------\n"
        "         a:  x\n"
        "      zone:  eu\n"
        "     bytes:  2kB\n"
        "    1.50us   leaf (inline)\n"
        "             inlined\\x1b[31m\n"
        "             main\n"
        "-----------+-------------------------------------------------------\n");
}

TEST_CASE("tags: values by magnitude, ties of opposite sign by name (pprof leaves them in map order)") {
  pprofx::testing::ProfileBuilder b;
  b.sample_type("space", "bytes");
  const uint64_t f = b.frame("f");
  b.label(b.sample({f}, {10}), "t", "b-pos");
  b.label(b.sample({f}, {-10}), "t", "a-neg");
  b.label(b.sample({f}, {30}), "t", "c");
  const auto p = decoded(b);
  auto r = pprofx::report::tags_report(p, {});
  REQUIRE(r);
  CHECK(r->text ==
        " t: Total 30.0B\n"
        "     30.0B (  100%): c\n"
        "    -10.0B (33.33%): a-neg\n"
        "     10.0B (33.33%): b-pos\n\n");
}

TEST_CASE("go_duration and go_time print as Go's time package") {
  using pprofx::report::go_duration;
  CHECK(go_duration(0) == "0s");
  CHECK(go_duration(999) == "999ns");
  CHECK(go_duration(1500) == "1.5\xc2\xb5s");
  CHECK(go_duration(1500000) == "1.5ms");
  CHECK(go_duration(3162820000) == "3.16282s");
  CHECK(go_duration(90'000'000'000) == "1m30s");
  CHECK(go_duration(3'661'000'000'000) == "1h1m1s");
  CHECK(go_duration(-1) == "-1ns");
  CHECK(go_duration(INT64_MIN) == "-2562047h47m16.854775808s");
  setenv("TZ", "UTC", 1);
  tzset();
  CHECK(pprofx::report::go_time(1537130863468834518) == "2018-09-16 20:47:43.468834518 +0000 UTC");
  CHECK(pprofx::report::go_time(1'000'000'000) == "1970-01-01 00:00:01 +0000 UTC");
}

TEST_CASE("raw: pprof's fake mapping for a profile without one, hidden lines gone, empty stacks left out") {
  pprofx::testing::ProfileBuilder b;
  b.sample_type("samples", "count");
  const uint64_t f = b.function("f", "f.go"), g = b.function("runtime.g", "g.go");
  const uint64_t l1 = b.location({{f, 3}, {g, 7}}, 0, 0x10);
  const uint64_t l2 = b.location({{g, 9}}, 0, 0x20);
  b.sample({l1}, {5});
  b.sample({l2}, {2});  // only runtime frames: hidden, so left out
  const auto p = decoded(b);
  pprofx::report::LabelReportOptions o;
  o.selection.filters.hide = "runtime";
  auto r = pprofx::report::raw_report(p, o);
  REQUIRE(r);
  CHECK(r->text ==
        "PeriodType:  \n"
        "Period: 0\n"
        "Samples:\n"
        "samples/count\n"
        "          5: 1 \n"
        "Locations\n"
        "     1: 0x10 M=1 f f.go:3 s=0\n"
        "     2: 0x20 M=1 \n"
        "Mappings\n"
        "1: 0x0/0x0/0x0   \n");
}
