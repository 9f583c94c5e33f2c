// `pprofx traces` and `pprofx tags`: pprof's -traces (every sample's stack,
// with its labels and value) and -tags (label values with their totals and
// shares), on the filtered profile at the chosen granularity.
#pragma once

#include <string>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/fold/options.h"
#include "pprofx/model/profile.h"

namespace pprofx::report {

struct LabelReportOptions {
  fold::Selection selection;     // filters, sample type, granularity (traces' frame names)
  bool mean = false;             // traces: each value divided by the sample's count, as pprof's -mean
  std::string unit = "minimum";  // pprof's -unit
};

struct LabelReport {
  std::string text;                   // the report, as pprof prints it (before terminal escaping)
  std::vector<std::string> warnings;  // for stderr ("no samples match the focus")
};

// pprof's printTraces: the profile header, then per sample a separator line,
// its string and numeric labels ("%10s:  values", sorted), and its stack
// leaf first ("%10s   name", the value on the first line, " (inline)" on
// frames inlined into the next one). Samples are those of the profile merged
// with itself, as pprof reads every profile: equal ones summed, all-zero ones gone.
Result<LabelReport> traces_report(const model::Profile& p, const LabelReportOptions& o);

// pprof's printTags: per label key (sorted), its total, then each value's
// total with its share of the key's total, largest first, right-aligned as
// Go's tabwriter does. Numeric values are shown in their key's unit.
Result<LabelReport> tags_report(const model::Profile& p, const LabelReportOptions& o);

}  // namespace pprofx::report
