#include <doctest/doctest.h>

#include "pprofx/decode/decode.h"
#include "pprofx/report/top.h"
#include "profile_builder.h"

using namespace pprofx;
using testing::ProfileBuilder;

TEST_CASE("top: header, trimming, sorting and --mean") {
  ProfileBuilder b;
  b.sample_type("contentions", "count").sample_type("delay", "nanoseconds");
  const uint64_t lock = b.frame("sync.(*Mutex).Lock"), a = b.frame("main.a"), c = b.frame("main.c");
  b.sample({lock, a}, {4, 4000000});
  b.sample({lock, c}, {1, 9000000});
  b.sample({c}, {1, 10});
  b.proto().set_duration_nanos(1000000000);
  auto p = decode::decode_profile(b.bytes(), "t.pb");
  REQUIRE(p.ok());

  report::TopOptions o;
  auto t = report::top_table(*p, o);
  REQUIRE(t.ok());
  CHECK(t->total == 13000010);
  REQUIRE(t->rows.size() == 3);  // main.c's own 10ns is under the cutoff, but its cum is not
  CHECK(t->rows[0].name == "sync.(*Mutex).Lock");
  CHECK(t->rows[0].flat == 13000000);
  const std::string text = report::format_top_text(*t);
  // Verified against go tool pprof -top on the same bytes: one unit for the
  // report, fine enough that the 10ns node shows as 0.01us.
  CHECK(text ==
        "Type: delay\n"
        "Duration: 1s, Total samples = 13000.01us ( 1.30%)\n"
        "Showing nodes accounting for 13000.01us, 100% of 13000.01us total\n"
        "      flat  flat%   sum%        cum   cum%\n"
        "   13000us   100%   100%    13000us   100%  sync.(*Mutex).Lock\n"
        "    0.01us 7.7e-05%   100%  9000.01us 69.23%  main.c\n"
        "         0     0%   100%     4000us 30.77%  main.a\n");

  o.sort_by_cum = true;
  o.node_count = 1;
  t = report::top_table(*p, o);
  REQUIRE(t.ok());
  REQUIRE(t->rows.size() == 1);
  CHECK(t->rows[0].name == "sync.(*Mutex).Lock");
  CHECK(report::format_top_text(*t).find("Showing top 1 nodes out of 3") != std::string::npos);

  o = {};
  o.mean = true;
  t = report::top_table(*p, o);
  REQUIRE(t.ok());
  CHECK(t->header[0] == "Type: mean_delay");
  CHECK(t->rows[0].flat == 13000000 / 5);  // mean delay per contention
}

TEST_CASE("top: filters are listed and unmatched ones warned about") {
  ProfileBuilder b;
  b.sample_type("samples", "count");
  b.sample({b.frame("main.a")}, {3});
  auto p = decode::decode_profile(b.bytes(), "t.pb");
  REQUIRE(p.ok());
  report::TopOptions o;
  o.filters.focus = "nothing";
  auto t = report::top_table(*p, o);
  REQUIRE(t.ok());
  CHECK(t->rows.empty());
  REQUIRE(t->warnings.size() == 1);
  CHECK(t->warnings[0] == "Focus expression matched no samples");
  const std::string text = report::format_top_text(*t);
  CHECK(text.find("Active filters:\n   focus=nothing\nShowing nodes accounting for 0, 0% of 3 total\n") !=
        std::string::npos);
}
