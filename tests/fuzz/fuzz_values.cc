// Fuzz target: the arithmetic on values. Decodes the input, then prints its
// header and info (durations and periods through scale()), filters by numeric
// tag ranges at the int64 limits, merges it with itself (sums, duration,
// period) and diffs it against that merge. A merge that succeeds must keep the
// decoder's int64 rule and double each type's sum and the duration exactly
// (else abort: a sum wrapped around). Use tests/fuzz/values.dict, which has
// the extreme varints (scripts/fuzz.sh does).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pprofx/base/checked.h"
#include "pprofx/decode/decode.h"
#include "pprofx/diff/tables.h"
#include "pprofx/fold/stack_trie.h"
#include "pprofx/fold/view.h"
#include "pprofx/io/input.h"
#include "pprofx/model/merge.h"
#include "pprofx/report/cross.h"
#include "pprofx/report/diff_report.h"
#include "pprofx/report/info.h"
#include "pprofx/report/top.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pprofx;
  auto in = io::profile_bytes(std::string(reinterpret_cast<const char*>(data), size), "fuzz", 64 << 20);
  if (!in) return 0;
  auto p = decode::decode_profile(in->data, "fuzz");
  if (!p) return 0;
  (void)report::format_info(*p, {});
  for (const char* range : {"bytes=1:", "bytes=-9223372036854775808:", "bytes=:9223372036854775807B", "1B:2kB"}) {
    report::TopOptions top;
    top.filters.tag_focus = range;
    (void)report::top_table(*p, top);
  }
  (void)report::cross_table({{&*p, "fuzz", ""}}, {});
  auto merged = model::merge({&*p, &*p}, {"a", "b"});
  if (!merged) return 0;
  if (!model::value_sums_error(*merged).empty()) std::abort();
  // Each sample type sums to twice p's sum (a wrapped value would be off by 2^64).
  for (size_t t = 0; t < p->num_types(); ++t) {
    long double once = 0, magnitudes = 0, got = 0;
    for (size_t i = t; i < p->values.size(); i += p->num_types()) {
      once += static_cast<long double>(p->values[i]);
      magnitudes += std::fabs(static_cast<long double>(p->values[i]));
    }
    for (size_t i = t; i < merged->values.size(); i += p->num_types()) got += static_cast<long double>(merged->values[i]);
    if (std::fabs(got - 2 * once) > 1e-9L * magnitudes + 1) std::abort();
  }
  const std::optional<int64_t> twice = checked_add(p->duration_nanos, p->duration_nanos);
  if (!twice || *twice != merged->duration_nanos) std::abort();  // a wrapped duration was let through
  (void)report::format_info(*merged, {});
  (void)report::top_table(*merged, {});
  auto value = fold::choose_value(*merged, "", false);
  if (value) {
    auto view = fold::build_view(*merged, {});
    if (view) (void)fold::build_trie(*view, {.granularity = fold::Granularity::kFunctions, .value = *value});
  }
  auto table = diff::diff_tables(*p, *merged, {});
  if (table) {
    const report::DiffReport r = report::make_diff_report(std::move(*table), diff::Normalize::kAbsolute, false, 0);
    (void)report::format_diff_json(r);
    (void)report::format_diff_text(r);
  }
  return 0;
}
