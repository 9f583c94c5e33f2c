// The differential flame graph, shared by `diff -o x.svg` and `check --flame`.
#pragma once

#include <string>

#include "options_common.h"
#include "pprofx/fold/diff.h"
#include "pprofx/model/profile.h"
#include "pprofx/report/diff_report.h"

namespace pprofx::cli {

struct DiffGraphArgs {
  std::string width = "new", color_by = "self";
  std::string title, subtitle, min_width = "0.1";
  double image_width = 1200;
  size_t max_frames = 20000;
  bool inverted = false;
};

// Writes the graph (format "svg" or "png") to output; returns an exit code.
int write_diff_graph(const DiffGraphArgs& a, const ReportArgs& report_args, const std::string& base_path,
                     const std::string& new_path, const std::string& output, const fold::DiffTable& table,
                     report::Normalize normalize, const model::Profile& base, const model::Profile& next,
                     const std::string& format);

}  // namespace pprofx::cli
