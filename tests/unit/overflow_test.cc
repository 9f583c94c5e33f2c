// The int64 rule on every path that sums or rescales values: merge (sums,
// unit rescaling, duration, period), diff, cross, scale() at the limits, tag
// ranges. Expectations are computed by hand.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <string>

#include "pprofx/base/checked.h"
#include "pprofx/decode/decode.h"
#include "pprofx/diff/tables.h"
#include "pprofx/fold/stack_trie.h"
#include "pprofx/fold/tag_filter.h"
#include "pprofx/model/merge.h"
#include "pprofx/model/units.h"
#include "pprofx/report/cross.h"
#include "pprofx/report/diff_report.h"
#include "profile_builder.h"

namespace pprofx {
namespace {

constexpr int64_t kMin = INT64_MIN, kMax = INT64_MAX;

struct Shape {
  std::string unit = "nanoseconds";
  std::string period_unit = "nanoseconds";
  int64_t period = 1;
  int64_t duration = 0;
};

// One sample type cpu/<unit>; samples {stack leaf first, value}.
model::Profile cpu(std::vector<std::pair<std::vector<std::string>, int64_t>> samples, const Shape& s = {}) {
  testing::ProfileBuilder b;
  b.sample_type("cpu", s.unit);
  b.proto().mutable_period_type()->set_type(b.str("cpu"));
  b.proto().mutable_period_type()->set_unit(b.str(s.period_unit));
  b.proto().set_period(s.period);
  b.proto().set_duration_nanos(s.duration);
  std::map<std::string, uint64_t> frames;
  for (auto& [stack, v] : samples) {
    std::vector<uint64_t> ids;
    for (const std::string& f : stack) {
      if (!frames.count(f)) frames[f] = b.frame(f);
      ids.push_back(frames[f]);
    }
    b.sample(ids, {v});
  }
  auto p = decode::decode_profile(b.bytes(), "test");
  REQUIRE(p);
  return std::move(*p);
}

Result<model::Profile> merge2(const model::Profile& a, const model::Profile& b) {
  return model::merge({&a, &b}, {"a.pb.gz", "b.pb.gz"});
}

std::string error_of(const Result<model::Profile>& r) { return r ? std::string("(merged)") : r.error().message; }

int64_t value_of(const model::Profile& p, const std::string& leaf) {
  for (size_t s = 0; s < p.samples.size(); ++s) {
    const auto stack = p.stack(p.samples[s]);
    const auto lines = p.location_lines(p.locations[stack[0]]);
    if (p.str(p.functions[lines[0].function].name) == leaf) return p.sample_values(s)[0];
  }
  FAIL("no sample with leaf " << leaf);
  return 0;
}

}  // namespace

TEST_CASE("checked: add, sub, mul, negate, abs, from_double at the int64 limits") {
  CHECK(checked_add(kMax - 1, 1) == kMax);
  CHECK_FALSE(checked_add(kMax, 1));
  CHECK_FALSE(checked_add(kMin, -1));
  CHECK(checked_add(kMax, kMin) == -1);
  CHECK(checked_sub(0, kMax) == kMin + 1);
  CHECK_FALSE(checked_sub(kMax, -1));
  CHECK_FALSE(checked_sub(-2, kMax));
  CHECK(checked_mul(kMin / 2, 2) == kMin);
  CHECK_FALSE(checked_mul(kMax / 2 + 1, 2));
  CHECK_FALSE(checked_mul(kMin, -1));
  CHECK_FALSE(checked_negate(kMin));
  CHECK(checked_negate(kMax) == kMin + 1);
  CHECK_FALSE(checked_abs(kMin));
  CHECK(checked_abs(kMin + 1) == kMax);
  CHECK(magnitude(kMin) == uint64_t{1} << 63);
  CHECK(magnitude(-5) == 5);
  CHECK(checked_from_double(-9223372036854775808.0) == kMin);
  CHECK_FALSE(checked_from_double(9223372036854775808.0));  // double(INT64_MAX) is 2^63
  CHECK_FALSE(checked_from_double(std::nan("")));
  CHECK_FALSE(checked_from_double(-1e19));
  CHECK(checked_from_double(-2.9) == -2);  // truncated toward zero, as Go's int64()
}

TEST_CASE("scale: INT64_MIN is converted as Go converts it (no negation, no readable unit), INT64_MAX normally") {
  const model::Scaled m = model::scale(kMin, "nanoseconds", "auto");
  CHECK(m.unit == "s");
  CHECK(m.value == -9223372036.854775808);
  CHECK(model::scaled_label(kMin, "bytes", "auto") == "-9223372036854775808B");
  CHECK(model::scaled_label(kMin + 1, "bytes", "auto") == "-8192PB");  // negated, then a readable unit
  CHECK(model::scaled_label(kMax, "bytes", "auto") == "8192PB");
  CHECK(model::scaled_label(kMin, "nanoseconds", "nanoseconds") == "-9223372036854775808ns");
  CHECK(model::scaled_label(kMin, "count", "minimum") == "-9223372036854775808");
}

TEST_CASE("merge: two values of 9.22e18 on one stack are refused, naming both inputs; INT64_MAX exactly is kept") {
  const model::Profile big = cpu({{{"main"}, 9'220'000'000'000'000'000}});
  CHECK(error_of(merge2(big, big)) ==
        "a.pb.gz and b.pb.gz: merging overflows int64: the cpu values (nanoseconds) add up past the int64 range");
  auto ok = merge2(cpu({{{"main"}, kMax - 1}}), cpu({{{"main"}, 1}}));
  REQUIRE(ok);
  CHECK(value_of(*ok, "main") == kMax);
  // More inputs: the one being added, how many before it, the first.
  const model::Profile small = cpu({{{"f"}, 1}});
  auto r = model::merge({&small, &small, &big, &big}, {"a", "b", "c", "d"});
  CHECK(error_of(r).find("d and the 3 profiles before it (from a): merging overflows int64") == 0);
}

TEST_CASE("merge: the merged |values| must add up within int64 (the decoder's rule), exactly") {
  // No single sum overflows, but |5e18| + |-5e18| does: totals and cum would.
  const model::Profile plus = cpu({{{"f", "main"}, 5'000'000'000'000'000'000}});
  const model::Profile minus = cpu({{{"g", "main"}, -5'000'000'000'000'000'000}});
  CHECK(error_of(merge2(plus, minus)).find("add up past the int64 range") != std::string::npos);
  // The same values on one stack cancel: nothing overflows, the zero sample is dropped.
  auto cancel = merge2(plus, cpu({{{"f", "main"}, -5'000'000'000'000'000'000}}));
  REQUIRE(cancel);
  CHECK(cancel->samples.empty());
  CHECK(model::value_sums_error(*cancel).empty());
}

TEST_CASE("merge: unit rescaling that leaves int64 is refused in either order; what fits is exact") {
  const model::Profile ns = cpu({{{"main"}, 1}});
  const model::Profile s10 = cpu({{{"main"}, 10'000'000'000}}, {.unit = "seconds"});
  CHECK(error_of(merge2(ns, s10)) ==
        "a.pb.gz and b.pb.gz: merging overflows int64: the cpu value 10000000000 seconds does not fit when converted "
        "to nanoseconds (sample 0)");
  CHECK(error_of(merge2(s10, ns)) ==
        "a.pb.gz and b.pb.gz: merging overflows int64: the cpu values merged so far, in seconds, do not fit when "
        "converted to nanoseconds");
  auto fits = merge2(cpu({{{"main"}, 9'000'000'000}}, {.unit = "seconds"}), ns);
  REQUIRE(fits);
  CHECK(value_of(*fits, "main") == 9'000'000'000'000'000'001);
}

TEST_CASE("merge: durations are summed with a check (pprof wraps to a negative duration)") {
  const model::Profile top = cpu({{{"main"}, 1}}, {.duration = kMax});
  const model::Profile one = cpu({{{"main"}, 1}}, {.duration = 1});
  CHECK(error_of(merge2(top, one)) == "a.pb.gz and b.pb.gz: merging overflows int64: the durations add up past the "
                                      "int64 range (9223372036854775807 ns + 1 ns)");
  const model::Profile bottom = cpu({{{"main"}, 1}}, {.duration = kMin});
  CHECK_FALSE(merge2(bottom, bottom));
  auto ok = merge2(top, bottom);
  REQUIRE(ok);
  CHECK(ok->duration_nanos == -1);
}

TEST_CASE("merge: periods converted to the first profile's unit must fit") {
  const model::Profile ns = cpu({{{"main"}, 1}});
  const model::Profile slow = cpu({{{"main"}, 1}}, {.period_unit = "seconds", .period = 10'000'000'000});
  CHECK(error_of(merge2(ns, slow)) == "a.pb.gz and b.pb.gz: merging overflows int64: the period 10000000000 seconds "
                                      "does not fit when converted to nanoseconds");
  auto fits = merge2(ns, cpu({{{"main"}, 1}}, {.period_unit = "seconds", .period = 9}));
  REQUIRE(fits);
  CHECK(fits->period == 9'000'000'000);
  // INT64_MIN (which scale() used to recurse on) merges; in one unit INT64_MAX stays exact (float64
  // would make it 2^63, outside int64); converted, it is refused.
  const model::Profile low = cpu({{{"main"}, 1}}, {.period = kMin});
  auto m = merge2(low, low);
  REQUIRE(m);
  CHECK(m->period == 0);  // the largest of 0 (the start) and INT64_MIN, as before
  const model::Profile high = cpu({{{"main"}, 1}}, {.period = kMax});
  auto h = merge2(high, high);
  REQUIRE(h);
  CHECK(h->period == kMax);
  const model::Profile high_us = cpu({{{"main"}, 1}}, {.period_unit = "microseconds", .period = kMax});
  CHECK(error_of(merge2(ns, high_us)).find("the period 9223372036854775807 microseconds does not fit") !=
        std::string::npos);
}

TEST_CASE("diff: a change past int64 is refused; large changes that fit are exact in JSON") {
  const model::Profile neg = cpu({{{"main"}, -9'000'000'000'000'000'000}});
  const model::Profile pos = cpu({{{"main"}, 9'000'000'000'000'000'000}});
  auto t = diff::diff_tables(neg, pos, {});
  REQUIRE_FALSE(t);
  CHECK(t.error().message ==
        "BASE and NEW: the change in main's flat value (-9000000000000000000 -> 9000000000000000000) overflows int64");
  auto fits = diff::diff_tables(cpu({{{"main"}, -1}}), pos, {});
  REQUIRE(fits);
  // A table made by hand (check and tests do) still prints the exact change.
  diff::DiffTable table;
  table.rows.push_back({"f", -kMax, -kMax, kMax, kMax});
  table.type = "cpu";
  table.unit = "nanoseconds";
  table.base_total = table.new_total = kMax;
  table.base_count = table.new_count = 10;
  const std::string json = report::format_diff_json(report::make_diff_report(table, diff::Normalize::kAbsolute,
                                                                             false, 0));
  CHECK(json.find("\"delta\": 18446744073709551614") != std::string::npos);
  table.rows[0] = {"f", kMax, kMax, -kMax, -kMax};
  const std::string down = report::format_diff_json(report::make_diff_report(table, diff::Normalize::kAbsolute,
                                                                             false, 0));
  CHECK(down.find("\"delta\": -18446744073709551614") != std::string::npos);
  CHECK_FALSE(diff::value_within_noise(-kMax, kMax, table));
  // Per second over a 1 ns duration: 9.2e27/s does not fit in int64 and is shown as a float.
  table.rows[0] = {"f", 0, 0, kMax, kMax};
  table.base_duration = table.new_duration = 1;
  const std::string text = report::format_diff_text(report::make_diff_report(table, diff::Normalize::kPerSecond,
                                                                             false, 0));
  CHECK(text.find("9.22e+27 nanoseconds/s") != std::string::npos);
}

TEST_CASE("differential flame graph: widths (BASE + NEW, or BASE scaled) that leave int64 are refused") {
  auto base = fold::parse_folded("main;f 5000000000000000000\nmain 1\n", "b", false);
  auto next = fold::parse_folded("main;f 5000000000000000000\nmain;g 3\n", "n", false);
  REQUIRE(base);
  REQUIRE(next);
  const std::string refused = "BASE and NEW: the differential flame graph's widths add up past the int64 range";
  diff::MergedTrie m = diff::merge_tries(*base, *next);
  auto status = diff::set_diff_widths(m, diff::DiffWidth::kSum, 1.0);
  REQUIRE_FALSE(status);
  CHECK(status.error().message == refused);
  CHECK_FALSE(diff::set_diff_widths(m, diff::DiffWidth::kBase, 2.0));   // 1e19
  CHECK_FALSE(diff::set_diff_widths(m, diff::DiffWidth::kBase, 1e300));  // past int64 before rounding
  REQUIRE(diff::set_diff_widths(m, diff::DiffWidth::kNew, 1e300));      // BASE unused
  m.trie.finish();
  CHECK(m.trie.total() == 5'000'000'000'000'000'003);
  diff::MergedTrie half = diff::merge_tries(*base, *next);
  REQUIRE(diff::set_diff_widths(half, diff::DiffWidth::kSum, 0.5));  // 2.5e18 + 5e18 + 1 (0.5 rounds up) + 3
  half.trie.finish();
  CHECK(half.trie.total() == 7'500'000'000'000'000'004);
}

TEST_CASE("cross: contention delay released at an Unlock is lock delay even when doubling it leaves int64") {
  testing::ProfileBuilder b;
  b.sample_type("contentions", "count").sample_type("delay", "nanoseconds");
  b.sample({b.frame("sync.(*Mutex).Unlock"), b.frame("main")}, {1, 6'000'000'000'000'000'000});
  b.sample({b.frame("chanrecv")}, {1, 1'000'000'000'000'000'000});
  auto p = decode::decode_profile(b.bytes(), "c");
  REQUIRE(p);
  auto t = report::cross_table({{&*p, "contention.pb.gz", ""}}, {});
  REQUIRE(t);
  REQUIRE(t->columns.size() == 1);
  CHECK(t->columns[0].axis == report::Axis::kLockDelay);
}

TEST_CASE("tag ranges at INT64_MIN and INT64_MAX: bounds and labels") {
  testing::ProfileBuilder b;
  b.sample_type("alloc_space", "bytes");
  auto& lo = b.sample({b.frame("lo")}, {1});
  b.num_label(lo, "bytes", kMin, "bytes");
  auto& hi = b.sample({b.frame("hi")}, {2});
  b.num_label(hi, "bytes", kMax, "bytes");
  auto p = decode::decode_profile(b.bytes(), "t");
  REQUIRE(p);
  auto keeps = [&](const std::string& expr) {
    std::string note;
    auto pred = fold::compile_tag_filter(*p, "tagfocus", expr, &note);
    REQUIRE(pred);
    std::string out;
    for (const model::Sample& s : p->samples) out += (*pred)(s) ? "1" : "0";
    return out;
  };
  // Without a unit the bound is unit-less and matches no byte label (pprof's rule); it must not crash.
  CHECK(keeps("bytes=1:") == "00");
  CHECK(keeps("bytes=-9223372036854775808:") == "00");
  CHECK(keeps("bytes=1B:") == "01");
  CHECK(keeps("bytes=-9223372036854775808B:") == "11");
  CHECK(keeps("bytes=:-9223372036854775808B") == "10");
  CHECK(keeps("bytes=-9223372036854775808B:9223372036854775807B") == "11");
  CHECK(keeps("bytes=9223372036854775807B") == "01");
}

}  // namespace pprofx
