// pprofx trend: what keeps growing over three or more snapshots.
#include <fmt/format.h>

#include <cctype>
#include <cstdlib>
#include <utility>

#include "commands.h"
#include "options_common.h"
#include "pprofx/diff/tables.h"
#include "pprofx/io/output.h"
#include "pprofx/trend/trend.h"

namespace pprofx::cli {
namespace {

struct TrendArgs {
  std::vector<std::string> snapshots;
  std::string output, format, by, own_code, interval;
  load::Options load;
  ReportArgs report;
  size_t rows = 20;
  bool cum = false, show_all = false, fail_on_growth = false;
  double min_growth = 1;  // percent of the largest total
};

// "5m", "30s", "1h30m", "250ms", "90" (seconds): Go's duration syntax, positive.
bool parse_interval(std::string_view text, int64_t* nanos) {
  if (text.empty()) return false;
  double total = 0;
  bool bare = true;
  for (std::string_view s = text; !s.empty();) {
    size_t digits = 0;
    while (digits < s.size() && ((s[digits] >= '0' && s[digits] <= '9') || s[digits] == '.')) ++digits;
    if (digits == 0) return false;
    const std::string number(s.substr(0, digits));
    char* end = nullptr;
    const double v = std::strtod(number.c_str(), &end);
    if (end != number.c_str() + number.size()) return false;
    s.remove_prefix(digits);
    size_t letters = 0;
    while (letters < s.size() && (std::isalpha(static_cast<unsigned char>(s[letters])) != 0 ||
                                  static_cast<unsigned char>(s[letters]) >= 0x80)) {
      ++letters;  // "µs" too
    }
    const std::string_view unit = s.substr(0, letters);
    s.remove_prefix(letters);
    static constexpr std::pair<std::string_view, double> kUnits[] = {
        {"ns", 1}, {"us", 1e3}, {"\u00b5s", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"min", 60e9}, {"h", 3600e9}};
    double scale = 0;
    if (unit.empty()) {
      if (!s.empty() || !bare) return false;  // a bare number is seconds, alone
      scale = 1e9;
    }
    for (const auto& [name, ns] : kUnits) {
      if (unit == name) scale = ns;
    }
    if (scale == 0) return false;
    bare = false;
    total += v * scale;
  }
  if (!(total >= 1) || total > 9e18) return false;
  *nanos = static_cast<int64_t>(total);
  return true;
}

int run_trend(const TrendArgs& a) {
  auto format = io::output_format("trend", a.output, a.format);
  if (!format) return usage_fail(format.error().message);
  if (a.snapshots.size() < 3) {
    return usage_fail(fmt::format("trend needs three or more snapshots in time order (got {}); pprofx diff "
                                  "compares two",
                                  a.snapshots.size()));
  }
  if (!(a.min_growth >= 0 && a.min_growth <= 100)) return usage_fail("--min-growth: a percentage from 0 to 100");
  trend::Options o;
  if (!a.interval.empty() && !parse_interval(a.interval, &o.interval_nanos)) {
    return usage_fail(fmt::format("--interval: \"{}\" is not a duration (5m, 30s, 1h30m, 250ms)", a.interval));
  }
  auto selection = to_selection(a.report, kMeanInDiff);
  if (!selection) return fail(selection.error().message);
  o.selection = *selection;
  o.cum = a.cum;
  o.own_code = a.own_code;
  o.min_growth = a.min_growth / 100;
  std::vector<load::Loaded> loaded;
  loaded.reserve(a.snapshots.size());
  for (const std::string& path : a.snapshots) {
    auto l = load::load_profile(path, a.load);
    if (!l) return fail(l.error().message);
    loaded.push_back(std::move(*l));
  }
  o.by_stack = a.by == "stack";
  if (a.by.empty()) {
    const model::Profile& last = loaded.back().profile;
    auto index = diff::sample_index_for(last, o.selection.sample_index);
    o.by_stack = index && diff::by_stack_by_default(last.str(last.sample_types[*index].type));
  }
  if (o.by_stack && a.cum) return usage_fail("--cum goes with --by function (a group of stacks has one value)");
  std::vector<trend::Snapshot> snapshots;
  for (const load::Loaded& l : loaded) snapshots.push_back({&l.profile, l.input.name});
  auto report = trend::trend(snapshots, o);
  if (!report) return fail(report.error().message);
  const std::string text = *format == io::Format::kMarkdown ? trend::format_markdown(*report, a.rows, a.show_all)
                           : *format == io::Format::kJson   ? trend::format_json(*report)
                                                            : trend::format_text(*report, a.rows, a.show_all);
  if (Status s = io::write_output(a.output.empty() ? "-" : a.output, text); !s) return fail(s.error().message);
  if (a.fail_on_growth) {
    for (const trend::Series& s : report->rows) {
      if (s.verdict == trend::Verdict::kGrows || s.verdict == trend::Verdict::kGrowsEverySnapshot) {
        return kExitRegression;
      }
    }
  }
  return kExitOk;
}

}  // namespace

Runner add_trend_command(CLI::App& app) {
  auto a = std::make_shared<TrendArgs>();
  CLI::App* cmd = app.add_subcommand(
      "trend",
      "What keeps growing over three or more snapshots of one program in time order (profiles or Go goroutine\n"
      "dumps, any sample type): per function, or per group of stacks for goroutine profiles (named by their\n"
      "deepest frame of the project's own code and their creation site), the series of values, Theil-Sen's\n"
      "slope (per minute from the profiles' time fields or --interval, else per snapshot), the Mann-Kendall\n"
      "test and a verdict: grows in every snapshot, grows, steady or shrinks; ranked by growth. A change within\n"
      "sampling noise, or smaller than --min-growth of the largest total, is steady. docs/leak-hunting.md has the rules.");
  cmd->add_option("snapshots", a->snapshots, "Three or more profiles, oldest first")->required();
  cmd->add_option("-o,--output", a->output, "Output file (.md, .json or text; default: stdout)");
  cmd->add_option("--format", a->format, "text, markdown or json");
  add_load_options(*cmd, a->load);
  add_report_options(*cmd, a->report, a->load);
  cmd->add_option("--by", a->by,
                  "Rows per function, or per group of stacks (default: stack for goroutine and threadcreate "
                  "profiles, else function)")
      ->check(CLI::IsMember({"function", "stack"}));
  cmd->add_option("--own-code", a->own_code, "With --by stack: regex of the project's functions (name or file)");
  cmd->add_flag("--cum", a->cum, "Per function: the series of cum values (default flat)");
  cmd->add_option("--interval", a->interval,
                  "The time between snapshots (5m, 30s, 1h): growth per minute for dumps, which carry no time");
  cmd->add_option("--min-growth", a->min_growth,
                  "Percent of the largest snapshot's total a trend must move to count (default 1)");
  cmd->add_option("-n,--nodecount", a->rows, "Show at most this many growing or shrinking rows (0: all)")
      ->capture_default_str();
  cmd->add_flag("--show-all", a->show_all, "Also list the steady rows");
  cmd->add_flag("--fail-on-growth", a->fail_on_growth,
                "Exit 3 when a row grows (CI soak tests); the report is written first");
  return [a] { return run_trend(*a); };
}

}  // namespace pprofx::cli
