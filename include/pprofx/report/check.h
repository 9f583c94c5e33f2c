// `pprofx check`: does NEW regress against one or more baselines?
//
// Shares of the total are compared (so runs of different lengths compare),
// each function's flat and cum, against the median over the baselines. A
// function regresses when a share grows past a threshold (points, or percent
// relative) and past what sampling explains: 3 standard errors of a
// difference of shares (binomial, from the sample counts) and, with several
// baselines, 3 robust standard deviations of their spread (1.4826 x MAD); a
// change judged on its relative size alone needs 4 of them and 0.25 points.
// docs/ci.md has the formulas.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/io/formats.h"
#include "pprofx/diff/tables.h"
#include "pprofx/model/profile.h"

namespace pprofx::report {

struct CheckThresholds {
  double max_flat_increase = 2.0;      // share points a function's flat may grow
  double max_cum_increase = 5.0;       // share points its cum may grow
  double max_relative_increase = 50;   // % a judged share may grow relative to the baseline
  double max_total_increase = 15;      // % the total (per second when durations are known) may grow
  double min_share = 1.0;              // functions under this cum share (before and after) are not judged
  std::vector<std::string> ignore;     // regexes of functions never judged
  std::vector<std::pair<std::string, double>> allow;  // regex -> its own max flat increase (points); no relative rule
};

// --allow's "REGEX=POINTS" (the last '=' splits): the regex and its points.
Result<std::pair<std::string, double>> parse_allow(std::string_view text);

struct Finding {
  std::string name;
  double base_flat = 0, new_flat = 0, base_cum = 0, new_cum = 0;  // shares of the total, %
  double bound_flat = 0, bound_cum = 0;  // the noise bound, in points
  double threshold_flat = 0;             // the flat threshold that applied
  std::string reason;                    // why it is a regression ("" if not)
};

struct CheckResult {
  std::string type, unit;
  size_t baselines = 0;
  std::vector<Finding> regressions;   // worst first
  std::vector<Finding> judged;        // every judged function, by change of flat share, largest first
  double total_change_percent = 0;    // NEW's total against the baselines' median (per second if known)
  bool total_regressed = false;
  std::vector<diff::DiffTable> tables;  // each baseline against NEW, in the baselines' order
  bool regressed() const { return total_regressed || !regressions.empty(); }
};

Result<CheckResult> run_check(const std::vector<const model::Profile*>& baselines, const model::Profile& next,
                              const fold::Selection& options, const CheckThresholds& thresholds);

// color: the verdict bold red (FAIL) or green (PASS), regressions red.
std::string format_check_text(const CheckResult& r, const CheckThresholds& t, bool color = false);
std::string format_check_markdown(const CheckResult& r, const CheckThresholds& t);
std::string format_check_json(const CheckResult& r, const CheckThresholds& t);
std::string format_check_junit(const CheckResult& r, const CheckThresholds& t);

// What a check with no baseline stored yet says (--if-no-baseline pass, a project's first run):
// that it passed without a comparison, in the report's format (text, markdown, JSON with the
// verdict "no-baseline", JUnit with one skipped test case).
std::string format_check_no_baseline(io::Format format, std::string_view store, std::string_view name);

}  // namespace pprofx::report
