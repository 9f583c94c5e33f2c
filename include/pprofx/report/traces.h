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
  double divide_by = 1;          // pprof's -divide_by: traces' values (tags and raw, as pprof's, are not divided)
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

// The same report as data: keys sorted by name, each key's values in pprof's
// order (largest |total| first), totals in the sample unit.
struct TagValue {
  std::string name;  // the value as pprof prints it (numbers in their key's unit)
  int64_t total = 0;
};
struct TagKey {
  std::string key;
  int64_t total = 0;
  std::vector<TagValue> values;
};
struct TagsTable {
  std::string type;         // the value summed ("cpu")
  std::string sample_unit;  // its unit
  std::string unit;         // pprof's -unit, for the text's totals
  std::vector<TagKey> keys;
  std::vector<std::string> warnings;
};
Result<TagsTable> tags_table(const model::Profile& p, const LabelReportOptions& o);
std::string format_tags_text(const TagsTable& t);
// --format: Markdown (a table per key), JSON (docs/commands/tags.md), CSV (one row per key and value).
std::string format_tags_markdown(const TagsTable& t);
std::string format_tags_json(const TagsTable& t);
std::string format_tags_csv(const TagsTable& t);

}  // namespace pprofx::report
