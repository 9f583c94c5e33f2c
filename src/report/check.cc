#include "pprofx/report/check.h"

#include <fmt/format.h>

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>

#include "pprofx/report/ansi.h"

#include "pprofx/base/regex.h"
#include "pprofx/base/strings.h"
#include "pprofx/report/diff_report.h"

namespace pprofx::report {
namespace {

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// 3 robust standard deviations of the baselines' spread.
double spread_bound(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  const double m = median(v);
  std::vector<double> dev;
  for (double x : v) dev.push_back(std::fabs(x - m));
  return 3 * 1.4826 * median(dev);
}

double share(int64_t v, int64_t total) { return total ? 100.0 * static_cast<double>(v) / static_cast<double>(total) : 0; }

}  // namespace

Result<std::pair<std::string, double>> parse_allow(std::string_view text) {
  const size_t eq = text.rfind('=');
  const std::string points(eq == std::string_view::npos ? "" : text.substr(eq + 1));
  char* end = nullptr;
  const double v = points.empty() ? 0 : std::strtod(points.c_str(), &end);
  if (points.empty() || std::isspace(static_cast<unsigned char>(points[0])) != 0 ||
      end != points.c_str() + points.size() || !std::isfinite(v)) {
    return Error{fmt::format("--allow \"{}\": expected REGEX=POINTS", text)};
  }
  return std::pair{std::string(text.substr(0, eq)), v};
}

Result<CheckResult> run_check(const std::vector<const model::Profile*>& baselines, const model::Profile& next,
                              const fold::Selection& options, const CheckThresholds& t) {
  if (baselines.empty()) return Error{"no baseline profile"};
  std::vector<std::shared_ptr<const RE2>> ignore;
  for (const std::string& re : t.ignore) {
    auto r = compile_regex(re);
    if (!r) return Error{fmt::format("parsing ignore regexp: {}", r.error().message)};
    ignore.push_back(std::move(*r));
  }
  std::vector<std::pair<std::shared_ptr<const RE2>, double>> allow;
  for (const auto& [re, points] : t.allow) {
    auto r = compile_regex(re);
    if (!r) return Error{fmt::format("parsing allow regexp: {}", r.error().message)};
    allow.emplace_back(std::move(*r), points);
  }

  CheckResult out;
  out.baselines = baselines.size();
  struct Shares {
    std::vector<double> base_flat, base_cum;
    double new_flat = 0, new_cum = 0;
  };
  std::map<std::string, Shares> by_name;
  std::vector<double> base_totals;
  std::vector<int64_t> base_counts;
  int64_t new_count = 0;
  double new_total = 0;
  for (size_t b = 0; b < baselines.size(); ++b) {
    auto table = diff::diff_tables(*baselines[b], next, options);
    if (!table) return Error{fmt::format("baseline {}: {}", b + 1, table.error().message)};
    out.type = table->type;
    out.unit = table->unit;
    for (const diff::DiffRow& row : table->rows) {
      Shares& s = by_name[row.name];
      s.base_flat.resize(baselines.size(), 0);
      s.base_cum.resize(baselines.size(), 0);
      s.base_flat[b] = share(row.base_flat, table->base_total);
      s.base_cum[b] = share(row.base_cum, table->base_total);
      s.new_flat = share(row.new_flat, table->new_total);
      s.new_cum = share(row.new_cum, table->new_total);
    }
    auto per_second = [](int64_t total, int64_t duration) {
      return duration > 0 ? static_cast<double>(total) * 1e9 / static_cast<double>(duration) : static_cast<double>(total);
    };
    const bool durations = table->base_duration > 0 && table->new_duration > 0;
    base_totals.push_back(durations ? per_second(table->base_total, table->base_duration)
                                    : static_cast<double>(table->base_total));
    new_total = durations ? per_second(table->new_total, table->new_duration) : static_cast<double>(table->new_total);
    base_counts.push_back(table->base_count);
    new_count = table->new_count;
    out.tables.push_back(std::move(*table));
  }
  std::vector<double> counts(base_counts.begin(), base_counts.end());
  const auto base_count = static_cast<int64_t>(median(counts));
  const double base_total = median(base_totals);
  out.total_change_percent = base_total > 0 ? 100.0 * (new_total - base_total) / base_total : 0;
  out.total_regressed = out.total_change_percent > t.max_total_increase;

  for (auto& [name, s] : by_name) {
    s.base_flat.resize(baselines.size(), 0);
    s.base_cum.resize(baselines.size(), 0);
    Finding f;
    f.name = name;
    f.base_flat = median(s.base_flat);
    f.base_cum = median(s.base_cum);
    f.new_flat = s.new_flat;
    f.new_cum = s.new_cum;
    if (std::max(f.base_cum, f.new_cum) < t.min_share) continue;
    bool ignored = false;
    for (const auto& re : ignore) ignored = ignored || RE2::PartialMatch(name, *re);
    if (ignored) continue;
    f.threshold_flat = t.max_flat_increase;
    for (const auto& [re, points] : allow) {
      if (RE2::PartialMatch(name, *re)) f.threshold_flat = points;
    }
    // Exact counts (goroutines) have no sampling noise; several baselines' spread still bounds them.
    const diff::DiffTable& t0 = out.tables.front();
    f.bound_flat = std::max(diff::share_noise_points(t0, f.base_flat, f.new_flat, base_count, new_count), spread_bound(s.base_flat));
    f.bound_cum = std::max(diff::share_noise_points(t0, f.base_cum, f.new_cum, base_count, new_count), spread_bound(s.base_cum));
    auto relative = [](double before, double after) { return before > 0 ? 100.0 * (after - before) / before : INFINITY; };
    const double df = f.new_flat - f.base_flat, dc = f.new_cum - f.base_cum;
    // Either limit triggers. A change judged by its relative size alone must
    // clear 4 standard errors (not 3) and 0.25 points: small functions jitter
    // most in relative terms, and many are judged at once.
    const bool allowed = f.threshold_flat != t.max_flat_increase;
    auto relative_trigger = [&](double before, double after, double bound) {
      return !allowed && relative(before, after) > t.max_relative_increase && after - before > bound * 4 / 3 &&
             after - before >= 0.25;
    };
    if (df > f.threshold_flat && df > f.bound_flat) {
      f.reason = fmt::format("flat share {:.2f}% -> {:.2f}% (+{:.2f} pt; threshold {:.2f} pt, noise {:.2f} pt)",
                             f.base_flat, f.new_flat, df, f.threshold_flat, f.bound_flat);
    } else if (relative_trigger(f.base_flat, f.new_flat, f.bound_flat)) {
      f.reason = fmt::format("flat share {:.2f}% -> {:.2f}% ({:+.0f}%; threshold +{:.0f}%, noise {:.2f} pt)", f.base_flat,
                             f.new_flat, relative(f.base_flat, f.new_flat), t.max_relative_increase, f.bound_flat);
    } else if (dc > t.max_cum_increase && dc > f.bound_cum) {
      f.reason = fmt::format("cum share {:.2f}% -> {:.2f}% (+{:.2f} pt; threshold {:.2f} pt, noise {:.2f} pt)",
                             f.base_cum, f.new_cum, dc, t.max_cum_increase, f.bound_cum);
    } else if (relative_trigger(f.base_cum, f.new_cum, f.bound_cum)) {
      f.reason = fmt::format("cum share {:.2f}% -> {:.2f}% ({:+.0f}%; threshold +{:.0f}%, noise {:.2f} pt)", f.base_cum,
                             f.new_cum, relative(f.base_cum, f.new_cum), t.max_relative_increase, f.bound_cum);
    }
    if (!f.reason.empty()) out.regressions.push_back(f);
    out.judged.push_back(f);
  }
  auto worse = [](const Finding& a, const Finding& b) {
    const double da = a.new_flat - a.base_flat, db = b.new_flat - b.base_flat;
    if (da != db) return da > db;
    const double ca = a.new_cum - a.base_cum, cb = b.new_cum - b.base_cum;
    if (ca != cb) return ca > cb;
    return a.name < b.name;
  };
  std::sort(out.regressions.begin(), out.regressions.end(), worse);
  std::sort(out.judged.begin(), out.judged.end(), worse);
  return out;
}

std::string format_check_text(const CheckResult& r, const CheckThresholds& t, bool color) {
  using ansi::paint;
  std::string out;
  if (r.regressed()) {
    out += paint(fmt::format("FAIL: {} regression{} in {} against {} baseline{}", r.regressions.size() + r.total_regressed,
                             r.regressions.size() + r.total_regressed == 1 ? "" : "s", text_escaped(r.type),
                             r.baselines, r.baselines == 1 ? "" : "s"),
                 ansi::kBoldRed, color);
  } else {
    out += paint(fmt::format("PASS: no regression in {} against {} baseline{} ({} functions judged)", text_escaped(r.type),
                             r.baselines, r.baselines == 1 ? "" : "s", r.judged.size()),
                 ansi::kBoldGreen, color);
  }
  out += '\n';
  out += fmt::format("Total {:+.1f}% (threshold +{:.0f}%){}\n", r.total_change_percent, t.max_total_increase,
                     r.total_regressed ? "  REGRESSION" : "");
  for (const Finding& f : r.regressions) {
    out += paint(fmt::format("  REGRESSION {}: {}", text_escaped(f.name), f.reason), ansi::kRed, color) + "\n";
  }
  out += fmt::format("{:>10} {:>10} {:>9} {:>8}  {}\n", "flat base", "flat new", "Δ pt", "noise", "function");
  size_t shown = 0;
  for (const Finding& f : r.judged) {
    if (++shown > 10) break;
    out += fmt::format("{:>9.2f}% {:>9.2f}% {:>+9.2f} {:>8.2f}  {}{}\n", f.base_flat, f.new_flat, f.new_flat - f.base_flat,
                       f.bound_flat, text_escaped(f.name), f.reason.empty() ? "" : "  <- regression");
  }
  return out;
}

std::string format_check_markdown(const CheckResult& r, const CheckThresholds& t) {
  std::string out = r.regressed()
                        ? fmt::format("### ❌ pprofx check: {} regression{} in {}\n\n", r.regressions.size() + r.total_regressed,
                                      r.regressions.size() + r.total_regressed == 1 ? "" : "s",
                                      markdown_code_span(r.type, false))
                        : fmt::format("### ✅ pprofx check: no regression in {}\n\n", markdown_code_span(r.type, false));
  out += fmt::format("Compared with {} baseline{}; total {:+.1f}% (threshold +{:.0f}%){}.\n\n", r.baselines,
                     r.baselines == 1 ? "" : "s", r.total_change_percent, t.max_total_increase,
                     r.total_regressed ? " **regressed**" : "");
  out += "| function | flat share before | after | Δ | cum share before | after | Δ | verdict |\n"
         "|---|---:|---:|---:|---:|---:|---:|---|\n";
  size_t shown = 0;
  for (const Finding& f : r.judged) {
    if (++shown > 15) break;
    out += fmt::format("| {} | {:.2f}% | {:.2f}% | {:+.2f} pt | {:.2f}% | {:.2f}% | {:+.2f} pt | {} |\n",
                       markdown_code_span(f.name, true), f.base_flat,
                       f.new_flat, f.new_flat - f.base_flat, f.base_cum, f.new_cum, f.new_cum - f.base_cum,
                       f.reason.empty() ? "ok" : "**regression**");
  }
  out += fmt::format("\nThresholds: flat +{:.2f} pt, cum +{:.2f} pt, relative +{:.0f}%, judged from {:.2f}% cum share; "
                     "a change must also exceed the sampling noise.\n",
                     t.max_flat_increase, t.max_cum_increase, t.max_relative_increase, t.min_share);
  return out;
}

std::string format_check_json(const CheckResult& r, const CheckThresholds& t) {
  std::string out = fmt::format(
      "{{\n  \"verdict\": \"{}\",\n  \"type\": \"{}\",\n  \"baselines\": {},\n  \"total_change_percent\": {},\n"
      "  \"total_regressed\": {},\n  \"thresholds\": {{\"max_flat_increase\": {}, \"max_cum_increase\": {}, "
      "\"max_relative_increase\": {}, \"max_total_increase\": {}, \"min_share\": {}}},\n  \"functions\": [",
      r.regressed() ? "fail" : "pass", json_escaped(r.type), r.baselines, json_number(r.total_change_percent, 4),
      r.total_regressed ? "true" : "false", json_number(t.max_flat_increase), json_number(t.max_cum_increase),
      json_number(t.max_relative_increase), json_number(t.max_total_increase), json_number(t.min_share));
  for (size_t i = 0; i < r.judged.size(); ++i) {
    const Finding& f = r.judged[i];
    out += fmt::format(
        "{}\n    {{\"name\": \"{}\", \"flat\": {{\"base\": {}, \"new\": {}, \"noise\": {}}}, "
        "\"cum\": {{\"base\": {}, \"new\": {}, \"noise\": {}}}, \"regression\": {}{}}}",
        i ? "," : "", json_escaped(f.name), json_number(f.base_flat, 4), json_number(f.new_flat, 4),
        json_number(f.bound_flat, 4), json_number(f.base_cum, 4), json_number(f.new_cum, 4), json_number(f.bound_cum, 4),
        f.reason.empty() ? "false" : "true", f.reason.empty() ? "" : fmt::format(", \"reason\": \"{}\"", json_escaped(f.reason)));
  }
  out += "\n  ]\n}\n";
  return out;
}

std::string format_check_junit(const CheckResult& r, const CheckThresholds& t) {
  const size_t failures = r.regressions.size() + r.total_regressed;
  std::string out = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n<testsuite name=\"pprofx check ({})\" tests=\"{}\" "
      "failures=\"{}\" errors=\"0\">\n",
      xml_text_escaped(r.type), r.judged.size() + 1, failures);
  out += fmt::format("  <testcase classname=\"pprofx.{}\" name=\"total\">", xml_text_escaped(r.type));
  if (r.total_regressed) {
    out += fmt::format("<failure message=\"total {:+.1f}% (threshold +{:.0f}%)\"/>", r.total_change_percent,
                       t.max_total_increase);
  }
  out += "</testcase>\n";
  for (const Finding& f : r.judged) {
    out += fmt::format("  <testcase classname=\"pprofx.{}\" name=\"{}\">", xml_text_escaped(r.type),
                       xml_text_escaped(f.name));
    if (!f.reason.empty()) out += fmt::format("<failure message=\"{}\"/>", xml_text_escaped(f.reason));
    out += "</testcase>\n";
  }
  out += "</testsuite>\n</testsuites>\n";
  return out;
}

std::string format_check_no_baseline(io::Format format, std::string_view store, std::string_view name) {
  switch (format) {
    case io::Format::kMarkdown:
      return fmt::format("### ✅ pprofx check: no baseline yet\n\nNo baseline is stored under {} in {}: this run passed "
                         "without a comparison. The next run compares with the baselines `main` saves.\n",
                         markdown_code_span(name, false), markdown_code_span(store, false));
    case io::Format::kJson:
      return fmt::format("{{\n  \"verdict\": \"no-baseline\",\n  \"store\": \"{}\",\n  \"name\": \"{}\",\n  \"baselines\": 0\n}}\n",
                         json_escaped(store), json_escaped(name));
    case io::Format::kJunit:
      return fmt::format(
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n<testsuite name=\"pprofx check\" tests=\"1\" "
          "failures=\"0\" errors=\"0\" skipped=\"1\">\n  <testcase classname=\"pprofx\" name=\"baseline {}\"><skipped "
          "message=\"no baseline stored yet in {}\"/></testcase>\n</testsuite>\n</testsuites>\n",
          xml_text_escaped(name), xml_text_escaped(store));
    default:
      return fmt::format("PASS: no baseline stored under \"{}\" in {} yet: nothing to compare with\n", text_escaped(name),
                         text_escaped(store));
  }
}

}  // namespace pprofx::report
