// Options shared by every command that folds a profile (top, and later flame,
// fold, diff): sample type, granularity and pprof's filters.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "pprofx/base/result.h"
#include "pprofx/fold/diff.h"
#include "pprofx/fold/options.h"

namespace pprofx::cli {

struct ReportArgs {
  fold::Filters filters;
  std::string sample_index;
  std::string legacy_sample_index;  // from -inuse_space and friends; the first one wins
  bool mean = false;
  std::string granularity = "functions";
  std::string granularity_flag;     // from --lines, --files, ...
  bool noinlines = false;
};

void add_report_options(CLI::App& cmd, ReportArgs& args);

// --minwidth: "0.1" (px) or "0.5%" (of the total).
Status parse_min_width(const std::string& text, double* value, bool* percent);

// The same for commands comparing profiles (no --mean there).
Status to_diff_options(const ReportArgs& args, fold::DiffOptions* options);

Status apply_report_args(const ReportArgs& args, fold::Filters* filters, std::string* sample_index, bool* mean,
                         fold::Granularity* granularity, bool* noinlines);

}  // namespace pprofx::cli
