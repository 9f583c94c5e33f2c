// `pprofx check`: does NEW regress against one or more baselines?
//
// Shares of the total are compared (so runs of different lengths compare),
// each function's flat and cum, against the median over the baselines. A
// function regresses when a share grows past a threshold (points, or percent
// relative) and past what sampling explains: 3 standard errors of a
// difference of shares (binomial, from the sample counts) and, with several
// baselines, 3 robust standard deviations of their spread (1.4826 x MAD); a
// change judged on its relative size alone needs 4 of them and 0.25 points.
// Two tiers: past the fail thresholds a regression fails the check, past only
// the warn thresholds it is a warning (exit 0). Regressions that are one
// cause seen at several depths are grouped into one finding (check_findings).
// docs/ci.md has the formulas.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/diff/own_code.h"
#include "pprofx/diff/tables.h"
#include "pprofx/io/formats.h"
#include "pprofx/model/profile.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace pprofx::report {

// One tier's limits: share points a function's flat or cum may grow, percent
// a share may grow relative to itself, percent the total may grow.
struct Limits {
  double flat = 2.0, cum = 5.0, relative = 50, total = 15;
};

// A --warn-threshold / --fail-threshold rule, "flat=3,cum=6,relative=40,total=10"
// (any of them; "relative=off" turns that rule off), for one sample type
// ("type=alloc_space") and/or the functions a regex matches ("function=REGEX",
// last: the regex is the rest of the text, commas and all).
struct ThresholdRule {
  bool warn = false;
  std::string type;      // "" = every sample type
  std::string function;  // "" = every function
  std::optional<double> flat, cum, relative, total;
};
Result<ThresholdRule> parse_threshold_rule(std::string_view spec, bool warn);

struct CheckThresholds {
  double max_flat_increase = 2.0;  // the fail tier for every type and function (--max-*)
  double max_cum_increase = 5.0;
  double max_relative_increase = 50;
  double max_total_increase = 15;   // % the total (per second when durations are known) may grow
  double min_share = 1.0;           // functions under this cum share (before and after) are not judged
  std::vector<std::string> ignore;  // regexes of functions never judged
  std::vector<std::pair<std::string, double>> allow;  // regex -> its own max flat increase (points); no relative rule
  std::vector<ThresholdRule> rules;  // in order; the most specific rule setting a limit wins, then the last
  std::string own_code;              // regex of the project's functions (name or file); "" = the default rule
};

// --allow's "REGEX=POINTS" (the last '=' splits): the regex and its points.
Result<std::pair<std::string, double>> parse_allow(std::string_view text);

enum class Verdict : uint8_t { kOk, kImproved, kWarn, kFail };
enum class Measure : uint8_t { kFlat, kCum };
const char* verdict_name(Verdict v);  // "ok", "improvement", "warning", "regression"
const char* measure_name(Measure m);  // "flat", "cum"

// One judged function: its shares (% of the total) before (the baselines'
// median) and after, their noise bounds, and its verdict with the measure it
// is about (for kOk, the share that changed most).
struct FunctionChange {
  std::string name, file;
  double base_flat = 0, new_flat = 0, base_cum = 0, new_cum = 0;
  double bound_flat = 0, bound_cum = 0;  // the noise bound, in points
  Verdict verdict = Verdict::kOk;
  Measure measure = Measure::kFlat;
  double threshold = 0;   // of the rule that applied: points, or percent when relative
  bool relative = false;  // judged by the relative rule
  std::string reason;     // "flat share 4.69% -> 10.29% (+5.60 pt; threshold 2.00 pt, noise 4.03 pt)"
  double before() const { return measure == Measure::kFlat ? base_flat : base_cum; }
  double after() const { return measure == Measure::kFlat ? new_flat : new_cum; }
  double change() const { return after() - before(); }
  double noise() const { return measure == Measure::kFlat ? bound_flat : bound_cum; }
};

// One cause: the regressions that are the same samples seen at several
// depths, led by the frame where the increase enters (the deepest of the
// project's own frames on the path that carries it).
struct Finding {
  Verdict verdict = Verdict::kFail;  // kFail or kWarn: the worst of its members
  std::string lead;
  std::vector<std::string> path;  // lead -> ... -> the leaf where the time is spent
  double path_increase = 0;       // share points carried along the whole path
  size_t headline = 0;            // index in CheckResult::judged: the change quoted (the lead's if it regressed)
  std::vector<size_t> members;    // indices in judged: the regressions it explains, headline first
};

// A call's share of the total (%, the baselines' median and NEW's): the
// paths along which an increase travels, for grouping.
struct CallChange {
  std::string caller, callee;
  double before = 0, after = 0;
};

struct BaselineInfo {
  std::string name;        // as the user gave it, or its path in the store
  int64_t time_nanos = 0;  // when it was recorded (0: unknown)
  int64_t ops = 0;         // per op: the operations it ran
};

struct CheckResult {
  std::string type, unit;
  std::vector<BaselineInfo> baselines;
  std::vector<FunctionChange> judged;  // every judged function: regressions, warnings, improvements, then the rest
  std::vector<Finding> findings;       // failures, then warnings; each group by size of its change
  double total_change_percent = 0;     // NEW's total against the baselines' median (per second if known)
  bool total_per_second = false;
  bool per_op = false;           // compared per operation: totals per op, shares of the baselines' per-op total
  Verdict total = Verdict::kOk;  // kFail, kWarn or kOk
  double total_threshold = 0, total_warn_threshold = 0;
  double total_noise = 0;               // percent: 3 robust deviations of the baselines' totals (0 with one)
  std::vector<CallChange> calls;        // every call between functions in either side, by (caller, callee)
  std::vector<diff::DiffTable> tables;  // each baseline against NEW, in the baselines' order
  size_t failures() const;              // failing findings, and the total when it failed
  size_t warnings() const;
  size_t improvements() const;
  bool regressed() const { return failures() > 0; }
};

// What check knows of the profiles besides their content.
struct CheckSides {
  std::vector<std::string> names;  // the baselines' names, for the reports (missing ones are numbered)
  // Per operation (--normalize per-op) when new_ops > 0: each baseline's count and NEW's. Shares are
  // then of the baselines' median total per operation, so a uniformly slower run grows them all.
  std::vector<int64_t> base_ops;
  int64_t new_ops = 0;
};

Result<CheckResult> run_check(const std::vector<const model::Profile*>& baselines, const model::Profile& next,
                              const fold::Selection& options, const CheckThresholds& thresholds,
                              const CheckSides& sides = {});

// Groups r.judged's regressions and warnings into r.findings (run_check does).
void group_findings(CheckResult& r, const re2::RE2* own_code);

struct ReportOptions {
  bool show_all = false;  // also the functions that neither regressed nor improved
  bool color = false;     // text: the verdict bold red (FAIL) or green (PASS), regressions red
};
std::string format_check_text(const CheckResult& r, const ReportOptions& o = {});
std::string format_check_markdown(const CheckResult& r, const ReportOptions& o = {});
std::string format_check_json(const CheckResult& r, const CheckThresholds& t);
std::string format_check_junit(const CheckResult& r);
// GitHub Actions workflow commands: one ::error (failures) or ::warning per
// finding, and the total's, each on one line; ::notice when all passed.
std::string format_check_github(const CheckResult& r);

// What a check with no baseline stored yet says (--if-no-baseline pass, a project's first run):
// that it passed without a comparison, in the report's format (text, markdown, JSON with the
// verdict "no-baseline", JUnit with one skipped test case, a GitHub notice).
std::string format_check_no_baseline(io::Format format, std::string_view store, std::string_view name);

}  // namespace pprofx::report
