// The delta table of `pprofx diff`: per function, flat and cum before and
// after, the change, the change in share points and the relative change.
#pragma once

#include <string>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/fold/diff.h"

namespace pprofx::report {

enum class Normalize { kShare, kAbsolute, kPerSecond };

Result<Normalize> parse_normalize(std::string_view s);
// pprofx's default per profile kind: CPU-like (time) types compare by share,
// so profiles of different lengths compare; heap, goroutine, mutex and block
// by absolute value.
Normalize default_normalize(const fold::DiffTable& t);

struct DiffRowView {
  const fold::DiffRow* row;
  double base_flat, new_flat, base_cum, new_cum;  // in the normalized metric
  double delta_flat, delta_cum;
  double delta_flat_points, delta_cum_points;     // change of the share of the total, in points
  bool noise;                                     // the change is within sampling noise (flat and cum)
};

struct DiffReport {
  fold::DiffTable table;
  Normalize normalize;
  std::vector<DiffRowView> rows;  // sorted by the size of the change
  std::string base_name, new_name;
};

// Orders rows by |change| of flat (or cum), in the normalized metric.
DiffReport make_diff_report(fold::DiffTable table, Normalize normalize, bool sort_by_cum, size_t max_rows);

// The noise bound on a change of share, in share points: 3 standard errors of
// the difference of two proportions, from the estimated sample counts
// (docs/diff.md). Zero when a profile has no samples.
double share_noise_points(double base_share, double new_share, int64_t base_count, int64_t new_count);

// For absolute comparisons: is new - base within 3 standard errors of the
// sampling noise (Poisson sample counts, estimated from the totals)? Never
// for unsampled counts (goroutine, threadcreate profiles).
bool value_within_noise(int64_t base_value, int64_t new_value, const fold::DiffTable& t);

// color: changes beyond noise red (growth) or green (shrinkage), noise dimmed.
std::string format_diff_text(const DiffReport& r, bool color = false);
std::string format_diff_markdown(const DiffReport& r);
std::string format_diff_json(const DiffReport& r);

}  // namespace pprofx::report
