// The delta table of `pprofx diff`: per function, flat and cum before and
// after, the change, the change in share points and the relative change.
#pragma once

#include <string>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/diff/noise.h"
#include "pprofx/diff/tables.h"

namespace pprofx::report {

struct DiffRowView {
  const diff::DiffRow* row;
  double base_flat, new_flat, base_cum, new_cum;  // in the normalized metric
  double delta_flat, delta_cum;
  double delta_flat_points, delta_cum_points;     // change of the share of the total, in points
  bool noise;                                     // the change is within sampling noise (flat and cum)
};

struct DiffReport {
  diff::DiffTable table;
  diff::Normalize normalize;
  std::vector<DiffRowView> rows;  // sorted by the size of the change
  std::string base_name, new_name;
};

// Orders rows by |change| of flat (or cum), in the normalized metric.
DiffReport make_diff_report(diff::DiffTable table, diff::Normalize normalize, bool sort_by_cum, size_t max_rows);

// color: changes beyond noise red (growth) or green (shrinkage), noise dimmed.
std::string format_diff_text(const DiffReport& r, bool color = false);
std::string format_diff_markdown(const DiffReport& r);
std::string format_diff_json(const DiffReport& r);

}  // namespace pprofx::report
