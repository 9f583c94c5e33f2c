// pprofx trend: the statistics on known values, and the verdicts on series
// built as goroutine dumps (exact counts, so no sampling noise) with a leak, a
// slower leak, a shrinking pool, a steady pool, a spike and a fluctuation.
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "pprofx/decode/decode.h"
#include "pprofx/trend/statistics.h"
#include "pprofx/trend/trend.h"
#include "profile_builder.h"

namespace pprofx {
namespace {

// A debug=2 dump with counts[f] goroutines blocked in function f.
model::Profile dump(const std::map<std::string, int>& counts) {
  std::string text;
  int id = 1;
  for (const auto& [f, n] : counts) {
    for (int i = 0; i < n; ++i) {
      text += "goroutine " + std::to_string(id++) + " [chan receive]:\n" + f + "(0x1)\n\t/app/main.go:7 +0x1\n" +
              "created by main.main\n\t/app/main.go:3 +0x2\n\n";
    }
  }
  if (text.empty()) text = "goroutine 1 [running]:\nmain.main()\n\t/app/main.go:1 +0x1\n";
  auto r = decode::decode_any(text, "d");
  REQUIRE(r.ok());
  return std::move(*r);
}

struct Series5 {
  std::vector<model::Profile> profiles;
  std::vector<trend::Snapshot> snapshots;
};

// Five snapshots of the named series (function -> its five counts).
Series5 five(const std::map<std::string, std::vector<int>>& series) {
  Series5 s;
  for (size_t i = 0; i < 5; ++i) {
    std::map<std::string, int> counts;
    for (const auto& [f, v] : series) counts[f] = v[i];
    s.profiles.push_back(dump(counts));
  }
  for (size_t i = 0; i < 5; ++i) s.snapshots.push_back({&s.profiles[i], "snap" + std::to_string(i + 1)});
  return s;
}

const trend::Series& row(const trend::Report& r, std::string_view prefix) {
  for (const trend::Series& s : r.rows) {
    if (s.name.rfind(prefix, 0) == 0) return s;
  }
  FAIL("no row " << prefix);
  return r.rows.front();
}

}  // namespace

TEST_CASE("Theil-Sen's slope is the median pairwise slope, an outlier does not move it") {
  const std::vector<double> t = {0, 1, 2, 3, 4};
  CHECK(trend::theil_sen_slope(t, std::vector<double>{1, 2, 3, 4, 100}) == doctest::Approx(1.0));
  CHECK(trend::theil_sen_slope(t, std::vector<double>{5, 5, 5, 5, 5}) == 0.0);
  // Ten pairwise slopes: the mean of the middle two.
  CHECK(trend::theil_sen_slope(t, std::vector<double>{0, 2, 1, 3, 2}) == doctest::Approx(0.5));
  CHECK(trend::theil_sen_slope(std::vector<double>{0, 0, 0}, std::vector<double>{1, 2, 3}) == 0.0);
}

TEST_CASE("Mann-Kendall's S, tie-corrected variance and one-sided p-values") {
  const trend::MannKendall up = trend::mann_kendall(std::vector<double>{1, 2, 3, 4, 5});
  CHECK(up.s == 10);
  CHECK(up.variance == doctest::Approx(50.0 / 3));
  CHECK(up.z == doctest::Approx(9 / std::sqrt(50.0 / 3)));
  CHECK(up.p_increase == doctest::Approx(0.01374).epsilon(0.001));
  CHECK(up.p_decrease > 0.98);
  const trend::MannKendall tied = trend::mann_kendall(std::vector<double>{1, 1, 2});
  CHECK(tied.s == 2);
  CHECK(tied.variance == doctest::Approx((66.0 - 18.0) / 18));
  const trend::MannKendall flat = trend::mann_kendall(std::vector<double>{4, 4, 4, 4});
  CHECK(flat.s == 0);
  CHECK(flat.p_increase == 1.0);
}

TEST_CASE("leaks grow, pools and spikes and fluctuations are steady, a draining pool shrinks") {
  Series5 s = five({{"main.leak", {3, 6, 9, 12, 15}},
                    {"main.slowLeak", {2, 4, 3, 6, 8}},
                    {"main.pool", {8, 8, 8, 8, 8}},
                    {"main.spike", {0, 0, 20, 0, 0}},
                    {"main.fluctuating", {3, 1, 4, 1, 5}},
                    {"main.draining", {10, 8, 6, 4, 2}}});
  trend::Options o;
  o.by_stack = true;
  auto r = trend::trend(s.snapshots, o);
  REQUIRE(r.ok());
  CHECK_FALSE(r->timed);  // dumps carry no time
  CHECK(r->rows[0].name == "main.leak (created by main.main)");
  CHECK(r->rows[0].verdict == trend::Verdict::kGrowsEverySnapshot);
  CHECK(r->rows[0].slope == doctest::Approx(3.0));
  CHECK(r->rows[0].values == std::vector<int64_t>{3, 6, 9, 12, 15});
  CHECK(r->rows[1].name == "main.slowLeak (created by main.main)");
  CHECK(r->rows[1].verdict == trend::Verdict::kGrows);  // S = 8, p = 0.043
  CHECK(r->rows[1].mk_s == 8);
  CHECK(row(*r, "main.draining").verdict == trend::Verdict::kShrinks);
  CHECK(r->rows[2].name.rfind("main.draining", 0) == 0);  // shrinking rows after growing ones
  for (std::string_view steady : {"main.pool", "main.spike", "main.fluctuating"}) {
    INFO(steady);
    CHECK(row(*r, steady).verdict == trend::Verdict::kSteady);
  }
  CHECK(r->total.values == std::vector<int64_t>{26, 27, 50, 31, 38});
}

TEST_CASE("growth per minute from --interval or the profiles' time fields; out-of-order times refused") {
  Series5 s = five({{"main.leak", {3, 6, 9, 12, 15}}});
  trend::Options o;
  o.by_stack = true;
  o.interval_nanos = 30'000'000'000;  // 30 s
  auto r = trend::trend(s.snapshots, o);
  REQUIRE(r.ok());
  CHECK(r->timed);
  CHECK(r->rows[0].slope == doctest::Approx(6.0));  // 3 per 30 s
  o.interval_nanos = 0;
  for (size_t i = 0; i < 5; ++i) s.profiles[i].time_nanos = 1'700'000'000'000'000'000 + int64_t(i) * 120'000'000'000;
  r = trend::trend(s.snapshots, o);
  REQUIRE(r.ok());
  CHECK(r->time_source == "the profiles' time fields");
  CHECK(r->minutes == doctest::Approx(8.0));
  CHECK(r->rows[0].slope == doctest::Approx(1.5));
  std::swap(s.profiles[1].time_nanos, s.profiles[2].time_nanos);
  r = trend::trend(s.snapshots, o);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "snap3 was taken before snap2 (by the profiles' time fields): give the snapshots in time "
                             "order");
}

TEST_CASE("a move smaller than --min-growth of the largest total is steady") {
  Series5 s = five({{"main.tiny", {0, 1, 2, 3, 4}}, {"main.pool", {1000, 1000, 1000, 1000, 1000}}});
  trend::Options o;
  o.by_stack = true;
  auto r = trend::trend(s.snapshots, o);
  REQUIRE(r.ok());
  CHECK(row(*r, "main.tiny").verdict == trend::Verdict::kSteady);  // 4 < 1% of 1004
  o.min_growth = 0.001;
  r = trend::trend(s.snapshots, o);
  REQUIRE(r.ok());
  CHECK(row(*r, "main.tiny").verdict == trend::Verdict::kGrowsEverySnapshot);
}

TEST_CASE("trend's errors: too few snapshots, profiles of different kinds") {
  Series5 s = five({{"main.leak", {1, 2, 3, 4, 5}}});
  std::vector<trend::Snapshot> two(s.snapshots.begin(), s.snapshots.begin() + 2);
  auto r = trend::trend(two, {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("three or more snapshots") != std::string::npos);
  testing::ProfileBuilder b;
  b.sample_type("cpu", "nanoseconds");
  b.sample({b.frame("main.f")}, {10});
  auto cpu = decode::decode_profile(b.bytes(), "cpu.pb");
  REQUIRE(cpu.ok());
  s.snapshots[1] = {&*cpu, "cpu.pb"};
  r = trend::trend(s.snapshots, {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "cpu.pb is a different kind of profile (cpu) from snap5 (goroutine): give snapshots of "
                             "one kind");
}

TEST_CASE("trend's reports escape names for their medium") {
  Series5 s = five({{"main.`x|y`", {1, 2, 3, 4, 5}}, {"main.bad\xff", {1, 2, 3, 4, 5}}});
  trend::Options o;
  o.by_stack = true;
  auto r = trend::trend(s.snapshots, o);
  REQUIRE(r.ok());
  const std::string text = trend::format_text(*r, 20, false);
  CHECK(text.find("main.bad\\xff") != std::string::npos);
  CHECK(text.find("grows in every snapshot") != std::string::npos);
  const std::string md = trend::format_markdown(*r, 20, false);
  CHECK(md.find("| ``main.`x\\|y` (created by main.main)`` |") != std::string::npos);
  const std::string json = trend::format_json(*r);
  CHECK(json.find("main.bad\xef\xbf\xbd") != std::string::npos);  // invalid UTF-8 replaced
  CHECK(json.find("\"schema\": \"pprofx-trend/1\"") != std::string::npos);
}

}  // namespace pprofx
