// report::run_check, the CI gate's verdict, on profiles whose shares, sample counts and
// noise bounds are computed by hand (docs/ci.md has the formulas):
//   binomial bound = 100 * 3 * sqrt(p (1 - p) (1/nb + 1/nn)), p = pooled share
//   spread bound   = 3 * 1.4826 * MAD of the baselines' shares
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "pprofx/report/check.h"
#include "stacks.h"

using namespace pprofx;
using testing::stacks_profile;

namespace {

// main -> hot (hot of total) and main -> other (total - hot), samples/count.
model::Profile two_functions(int64_t hot, int64_t total, int64_t duration = 0) {
  return stacks_profile({{"samples", "count"}}, {{"main;hot", {hot}}, {"main;other", {total - hot}}}, duration);
}

const report::FunctionChange* find(const std::vector<report::FunctionChange>& v, const std::string& name) {
  for (const auto& f : v) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

// The functions that failed, in the result's order (worst first).
std::vector<report::FunctionChange> failed(const report::CheckResult& r) {
  std::vector<report::FunctionChange> out;
  for (const auto& f : r.judged) {
    if (f.verdict == report::Verdict::kFail) out.push_back(f);
  }
  return out;
}

report::CheckResult check(const std::vector<const model::Profile*>& bases, const model::Profile& next,
                          const report::CheckThresholds& t = {}) {
  auto r = report::run_check(bases, next, {}, t);
  REQUIRE(r.ok());
  return std::move(*r);
}

}  // namespace

TEST_CASE("check: a flat share growing past the threshold and the noise is a regression") {
  const auto base = two_functions(10, 100), next = two_functions(30, 100);
  const auto r = check({&base}, next);
  CHECK(r.type == "samples");
  CHECK(r.baselines.size() == 1);
  CHECK(r.regressed());
  CHECK(r.total == report::Verdict::kOk);
  CHECK(r.total_change_percent == 0);
  const auto regressions = failed(r);
  REQUIRE(regressions.size() == 1);
  const report::FunctionChange& f = regressions[0];
  CHECK(f.name == "hot");
  CHECK(f.measure == report::Measure::kFlat);
  CHECK(f.base_flat == doctest::Approx(10));
  CHECK(f.new_flat == doctest::Approx(30));
  // p = 0.2, n = 100 and 100: 300 * sqrt(0.2 * 0.8 * 0.02) = 16.97 points
  CHECK(f.bound_flat == doctest::Approx(16.9706).epsilon(1e-4));
  CHECK(f.threshold == 2.0);
  CHECK(f.reason == "flat share 10.00% -> 30.00% (+20.00 pt; threshold 2.00 pt, noise 16.97 pt)");
  // Every function at or over min_share is judged: regressions, improvements, the rest.
  REQUIRE(r.judged.size() == 3);
  CHECK(r.judged[0].name == "hot");
  CHECK(r.judged[1].name == "other");
  CHECK(r.judged[1].verdict == report::Verdict::kImproved);  // 90% -> 70%, past 2 points and the noise
  CHECK(r.judged[1].reason == "flat share 90.00% -> 70.00% (-20.00 pt; noise 16.97 pt)");
  CHECK(r.judged[2].name == "main");
  CHECK(r.judged[2].verdict == report::Verdict::kOk);
  CHECK(r.judged[2].reason.empty());
  CHECK(r.improvements() == 1);
  // One finding: hot, led by itself (its own code), nowhere further to go.
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].lead == "hot");
  CHECK(r.findings[0].path == std::vector<std::string>{"hot"});
}

TEST_CASE("check: the same shares from 10 samples are within the noise") {
  const auto base = two_functions(1, 10), next = two_functions(3, 10);
  const auto r = check({&base}, next);
  CHECK(!r.regressed());
  const report::FunctionChange* f = find(r.judged, "hot");
  REQUIRE(f != nullptr);
  // p = 0.2, n = 10 and 10: 300 * sqrt(0.2 * 0.8 * 0.2) = 53.67 points > the 20 points grown
  CHECK(f->bound_flat == doctest::Approx(53.6656).epsilon(1e-4));
  CHECK(f->reason.empty());
}

TEST_CASE("check: a relative growth alone needs 4 standard errors and 0.25 points") {
  // 2% -> 3.5%: +1.5 points (under the 2-point threshold) but +75% (over 50%).
  const auto base = two_functions(2'000, 100'000), next = two_functions(3'500, 100'000);
  auto r = check({&base}, next);
  REQUIRE(failed(r).size() == 1);
  CHECK(failed(r)[0].name == "hot");
  // p = 0.0275, n = 1e5 and 1e5: 0.2194 points, x 4/3 = 0.29 < 1.5
  CHECK(failed(r)[0].bound_flat == doctest::Approx(0.21941).epsilon(1e-3));
  CHECK(failed(r)[0].relative);
  CHECK(failed(r)[0].reason == "flat share 2.00% -> 3.50% (+75%; threshold +50%, noise 0.22 pt)");

  report::CheckThresholds t;
  t.max_relative_increase = 80;  // +75% is now within
  r = check({&base}, next, t);
  CHECK(!r.regressed());
}

TEST_CASE("check: several baselines: the median share, and their spread as a noise bound") {
  // hot's share in three baselines: 10%, 12% and an outlier 40%; NEW 30%.
  const auto b1 = two_functions(100, 1000), b2 = two_functions(120, 1000), b3 = two_functions(400, 1000);
  const auto next = two_functions(300, 1000);
  auto r = check({&b1, &b2, &b3}, next);
  CHECK(r.baselines.size() == 3);
  CHECK(r.baselines[2].name == "baseline 3");
  REQUIRE(failed(r).size() == 1);
  const report::FunctionChange f = failed(r)[0];
  CHECK(f.name == "hot");
  CHECK(f.base_flat == doctest::Approx(12));  // the median, not the mean (20.67)
  // deviations from 12: 2, 0, 28 -> MAD 2 -> 3 * 1.4826 * 2 = 8.90 points, over the binomial 5.46
  CHECK(f.bound_flat == doctest::Approx(8.8956).epsilon(1e-4));
  CHECK(f.reason == "flat share 12.00% -> 30.00% (+18.00 pt; threshold 2.00 pt, noise 8.90 pt)");

  // Baselines spread 5%, 12%, 20%: MAD 7 -> 31.13 points, so +18 points is within.
  const auto c1 = two_functions(50, 1000), c3 = two_functions(200, 1000);
  r = check({&c1, &b2, &c3}, next);
  CHECK(!r.regressed());
  const report::FunctionChange* g = find(r.judged, "hot");
  REQUIRE(g != nullptr);
  CHECK(g->base_flat == doctest::Approx(12));
  CHECK(g->bound_flat == doctest::Approx(31.1346).epsilon(1e-4));
}

TEST_CASE("check: ignore and allow lists, min_share") {
  const auto base = two_functions(10, 100), next = two_functions(30, 100);
  report::CheckThresholds t;
  t.ignore = {"^ho"};
  auto r = check({&base}, next, t);
  CHECK(!r.regressed());
  CHECK(find(r.judged, "hot") == nullptr);  // never judged
  CHECK(find(r.judged, "other") != nullptr);

  // hot's flat share 10% -> 14% while its cum stays 20% (its callee shrinks): +4 points,
  // over the default 2-point threshold and the noise (p = 0.12, n = 1e4: 1.38 points).
  const auto a = stacks_profile({{"samples", "count"}},
                                {{"main;hot", {1000}}, {"main;hot;child", {1000}}, {"main;other", {8000}}});
  const auto b = stacks_profile({{"samples", "count"}},
                                {{"main;hot", {1400}}, {"main;hot;child", {600}}, {"main;other", {8000}}});
  r = check({&a}, b);
  REQUIRE(failed(r).size() == 1);
  CHECK(failed(r)[0].reason == "flat share 10.00% -> 14.00% (+4.00 pt; threshold 2.00 pt, noise 1.38 pt)");
  t = {};
  t.allow = {{"^h", 5.0}};  // its own flat threshold, and no relative rule
  r = check({&a}, b, t);
  CHECK(!r.regressed());
  REQUIRE(find(r.judged, "hot") != nullptr);
  CHECK(find(r.judged, "hot")->threshold == 5.0);
  CHECK(find(r.judged, "other")->threshold == 2.0);
  t.allow = {{"^h", 3.0}};
  r = check({&a}, b, t);
  REQUIRE(failed(r).size() == 1);
  CHECK(failed(r)[0].reason == "flat share 10.00% -> 14.00% (+4.00 pt; threshold 3.00 pt, noise 1.38 pt)");

  t = {};
  t.min_share = 40;  // hot is 10% -> 30%: under 40% before and after, not judged
  r = check({&base}, next, t);
  CHECK(!r.regressed());
  CHECK(find(r.judged, "hot") == nullptr);

  t = {};
  t.ignore = {"("};
  auto bad = report::run_check({&base}, next, {}, t);
  REQUIRE(!bad.ok());
  CHECK(bad.error().message.find("parsing ignore regexp: ") == 0);
  CHECK(!report::run_check({}, next, {}, {}).ok());
}

TEST_CASE("check: the total, per second when both durations are known") {
  const auto base = two_functions(10, 100, 1'000'000'000);
  // The same 100 samples in half the time: +100% per second, over the 15% limit.
  auto next = two_functions(10, 100, 500'000'000);
  auto r = check({&base}, next);
  CHECK(r.total_change_percent == doctest::Approx(100));
  CHECK(r.total == report::Verdict::kFail);
  CHECK(r.total_per_second);
  CHECK(r.regressed());
  CHECK(r.failures() == 1);
  CHECK(r.findings.empty());
  // In 0.9 s: +11.1%, within.
  next = two_functions(10, 100, 900'000'000);
  r = check({&base}, next);
  CHECK(r.total_change_percent == doctest::Approx(11.111).epsilon(1e-3));
  CHECK(!r.regressed());
  // Without durations the totals themselves: 100 -> 120 is +20%.
  const auto plain = two_functions(10, 100), more = two_functions(12, 120);
  r = check({&plain}, more);
  CHECK(r.total_change_percent == doctest::Approx(20));
  CHECK(r.total == report::Verdict::kFail);
  CHECK(!r.total_per_second);
}
