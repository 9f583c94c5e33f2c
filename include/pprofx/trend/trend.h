// pprofx trend: three or more profiles of one program in time order, and what
// keeps growing. Per function (or per group of stacks, named like diff --by
// stack: goroutines by their own code and creation site) the series of
// values, Theil-Sen's slope, the Mann-Kendall test and a verdict, ranked by
// growth. docs/leak-hunting.md has the rules.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/fold/options.h"
#include "pprofx/model/profile.h"

namespace pprofx::trend {

struct Snapshot {
  const model::Profile* profile = nullptr;
  std::string name;
};

struct Options {
  fold::Selection selection;
  bool by_stack = false;  // rows per group of stacks (diff::TableOptions::by_stack)
  bool cum = false;       // per function: the series of cum values, not flat
  std::string own_code;   // with by_stack: regex of the project's functions
  // The time between snapshots in ns, when given (--interval); else the
  // profiles' time fields when every one has one, else none (per snapshot).
  int64_t interval_nanos = 0;
  double min_growth = 0.01;  // a trend must move at least this share of the largest total
  double alpha = 0.05;       // Mann-Kendall's one-sided significance level
};

enum class Verdict { kGrowsEverySnapshot, kGrows, kSteady, kShrinks };
std::string_view verdict_name(Verdict v);  // "grows in every snapshot", "grows", "steady", "shrinks"

struct Series {
  std::string name;
  std::vector<int64_t> values;  // one per snapshot
  double slope = 0;             // Theil-Sen, per minute when timed, else per snapshot
  int64_t mk_s = 0;             // Mann-Kendall's S
  double mk_p = 1;              // its one-sided p-value in the slope's direction
  bool within_noise = false;    // last - first is within the sampling noise of the two profiles
  Verdict verdict = Verdict::kSteady;
};

struct Report {
  std::string type, unit;
  std::vector<std::string> names;
  std::vector<int64_t> times;  // ns since the epoch per snapshot (profiles' time fields), or empty
  bool timed = false;          // slopes are per minute
  std::string time_source;     // "the profiles' time fields", "--interval 5m", or "" (per snapshot)
  double minutes = 0;          // from the first snapshot to the last, when timed
  Series total;
  std::vector<Series> rows;    // ranked: the largest fitted growth first, shrinking rows last
  bool by_stack = false;
};

// Errors name the snapshot: "b.pb.gz: no sample type \"alloc_space\" (...)",
// "c.pb.gz is older than b.pb.gz: give the snapshots in time order".
Result<Report> trend(const std::vector<Snapshot>& snapshots, const Options& o);

// max_rows: growing and shrinking rows shown (0: all); show_all: steady rows too.
std::string format_text(const Report& r, size_t max_rows, bool show_all);
std::string format_markdown(const Report& r, size_t max_rows, bool show_all);
std::string format_json(const Report& r);  // every row; schema pprofx-trend/1 (docs/leak-hunting.md)

}  // namespace pprofx::trend
