// `pprofx top`: pprof's -top report (internal/report TextItems/printText).
#pragma once

#include <string>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/fold/options.h"
#include "pprofx/model/profile.h"

namespace pprofx::report {

struct TopOptions {
  fold::Filters filters;
  std::string sample_index;  // "" = pprof's default
  bool mean = false;
  fold::Granularity granularity = fold::Granularity::kFunctions;
  bool noinlines = false;
  int node_count = 0;            // 0 = all (pprof's default for -top)
  double node_fraction = 0.005;  // drop nodes with |cum| below this share of the flat sum
  double edge_fraction = 0.001;
  bool sort_by_cum = false;
  std::string unit = "minimum";  // pprof's -unit
  double divide_by = 1;          // pprof's -divide_by: values shown (not shares) divided by this
  unsigned threads = 2;          // at most this many build the graph (fold::GraphOptions::threads)
};

struct TopRow {
  std::string name;
  std::string inline_mark;  // "", "(inline)", "(partial-inline)"
  int64_t flat = 0;
  int64_t cum = 0;
};

struct TopTable {
  std::vector<std::string> header;  // pprof's header lines, in order
  std::vector<TopRow> rows;
  int64_t total = 0;
  std::string type;         // the value shown ("cpu", "mean_delay")
  std::string sample_unit;  // the profile's unit of the chosen value
  std::string output_unit;  // unit values are printed in
  double divide_by = 1;     // pprof's -divide_by (model::divided)
  std::vector<std::string> warnings;  // for stderr
  std::string format_value(int64_t v) const;
};

Result<TopTable> top_table(const model::Profile& p, const TopOptions& options);

// The table in pprof's layout: header, column titles, one line per row.
// color: header dimmed, rows with flat >= 10% red and >= 1% yellow.
std::string format_top_text(const TopTable& table, bool color = false);

// The same table for machines (--format), values in the sample unit, divided by divide_by:
// Markdown (the header as a paragraph, then a table for PR comments), JSON
// (docs/commands/top.md has the schema) and CSV (one row per function).
std::string format_top_markdown(const TopTable& table);
std::string format_top_json(const TopTable& table);
std::string format_top_csv(const TopTable& table);

}  // namespace pprofx::report
