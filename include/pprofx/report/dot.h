// `pprofx dot`: pprof's -dot call graph (internal/report GetDOT and
// internal/graph ComposeDot): the graph trimmed as pprof does for visual
// output (node and edge fractions, nodes ordered by pprof's entropy score and
// limited to --nodecount counting their label boxes, redundant residual
// edges removed), nodes sized and coloured by their values, label and
// `bytes` boxes ("nodelets") beside them, the legend. Byte for byte with
// go tool pprof -dot, except that names are escaped for DOT wherever pprof's
// output would not parse (a '"', a trailing '\', a control character).
#pragma once

#include <string>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/model/profile.h"
#include "pprofx/report/top.h"

namespace pprofx::report {

struct DotReport {
  std::string text;  // the DOT graph
  std::vector<std::string> warnings;
};

// Options as for tree (node_count 80 by default, pprof's for -dot); sort_by_cum has no effect (pprof's).
Result<DotReport> dot_report(const model::Profile& p, const TopOptions& options);

// pprof's dotColor: a score in [-1, 1] as a colour from green through grey to
// red, light for a background (isBackground) or dark for lines and text.
std::string dot_color(double score, bool background);

}  // namespace pprofx::report
