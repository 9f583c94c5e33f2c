// check's reports: text (the terminal), Markdown (a pull-request comment),
// JSON (docs/ci.md has its schema), JUnit, GitHub Actions workflow commands.
// Every report lists the findings first (failures, then warnings), then the
// improvements, then, on request, the other judged functions; names from the
// profile are escaped for each medium.
#include <fmt/format.h>

#include "pprofx/base/strings.h"
#include "pprofx/report/ansi.h"
#include "pprofx/report/check.h"
#include "pprofx/report/diff_report.h"
#include "pprofx/report/header.h"

namespace pprofx::report {
namespace {

std::string plural(size_t n, std::string_view word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

// The verdict line's numbers: "1 regression, 2 warnings".
std::string counts(const CheckResult& r) {
  std::string out = plural(r.failures(), "regression");
  if (r.warnings() > 0) out += ", " + plural(r.warnings(), "warning");
  return out;
}

std::string threshold_text(const FunctionChange& f) {
  if (f.verdict == Verdict::kImproved) return "";
  return f.relative ? fmt::format("+{:.0f}%", f.threshold) : fmt::format("{:.2f} pt", f.threshold);
}

// The judged functions a report lists: regressions, warnings and improvements; the rest with show_all.
std::vector<const FunctionChange*> listed(const CheckResult& r, bool show_all) {
  std::vector<const FunctionChange*> out;
  for (const FunctionChange& f : r.judged) {
    if (show_all || f.verdict != Verdict::kOk) out.push_back(&f);
  }
  return out;
}

std::string capitalized(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::string total_text(const CheckResult& r) {
  std::string out = fmt::format("total{} {:+.1f}% (threshold +{:.0f}%",
                                r.per_op             ? " per operation"
                                : r.total_per_second ? " per second"
                                                     : "",
                                r.total_change_percent, r.total_threshold);
  if (r.total_warn_threshold < r.total_threshold) out += fmt::format(", warn +{:.0f}%", r.total_warn_threshold);
  if (r.baselines.size() > 1) out += fmt::format(", noise {:.1f}%", r.total_noise);
  out += ")";
  return out;
}

// What else a finding explains: "crypto/sha256.block (flat +5.60 pt), ...", escaped by `name`.
template <typename Escape>
std::string same_cause(const CheckResult& r, const Finding& g, Escape name) {
  std::string out;
  for (size_t i = 1; i < g.members.size(); ++i) {
    const FunctionChange& m = r.judged[g.members[i]];
    out += fmt::format("{}{} ({} {:+.2f} pt)", i > 1 ? ", " : "", name(m.name), measure_name(m.measure), m.change());
  }
  return out;
}

template <typename Escape>
std::string path_text(const Finding& g, Escape name, std::string_view arrow) {
  std::string out;
  for (size_t i = 0; i < g.path.size(); ++i) out += (i ? std::string(arrow) : "") + name(g.path[i]);
  return out;
}

template <typename Escape>
std::string baselines_text(const CheckResult& r, Escape name) {
  std::string out;
  const size_t shown = std::min<size_t>(r.baselines.size(), 5);
  for (size_t i = 0; i < shown; ++i) {
    std::string when = format_utc_time(r.baselines[i].time_nanos);
    if (r.per_op) when += fmt::format("{}{} ops", when.empty() ? "" : ", ", r.baselines[i].ops);
    out += fmt::format("{}{}{}", i ? ", " : "", name(base_name(r.baselines[i].name)),
                       when.empty() ? "" : " (" + when + ")");
  }
  if (r.baselines.size() > shown) out += fmt::format(" and {} more", r.baselines.size() - shown);
  return out;
}

std::string_view upper_verdict(Verdict v) {
  switch (v) {
    case Verdict::kFail: return "REGRESSION";
    case Verdict::kWarn: return "WARNING";
    case Verdict::kImproved: return "IMPROVEMENT";
    default: return "OK";
  }
}

}  // namespace

std::string format_check_text(const CheckResult& r, const ReportOptions& o) {
  using ansi::paint;
  const bool color = o.color;
  std::string out;
  const std::string type = text_escaped(r.type);
  if (r.regressed()) {
    out += paint(fmt::format("FAIL: {} in {} against {}", counts(r), type, plural(r.baselines.size(), "baseline")),
                 ansi::kBoldRed, color);
  } else {
    out +=
        paint(fmt::format("PASS{}: no regression in {} against {} ({} judged{})", r.warnings() ? " with warnings" : "",
                          type, plural(r.baselines.size(), "baseline"), plural(r.judged.size(), "function"),
                          r.warnings() ? ", " + plural(r.warnings(), "warning") : ""),
              ansi::kBoldGreen, color);
  }
  out += '\n';
  out += fmt::format("Baseline{}: {}\n", r.baselines.size() == 1 ? "" : "s", baselines_text(r, text_escaped));
  out += capitalized(total_text(r)) +
         (r.total == Verdict::kFail   ? "  REGRESSION"
          : r.total == Verdict::kWarn ? "  WARNING"
                                      : "") +
         "\n";
  for (const Finding& g : r.findings) {
    const FunctionChange& h = r.judged[g.headline];
    const std::string_view style = g.verdict == Verdict::kFail ? ansi::kRed : ansi::kYellow;
    out += paint(fmt::format("  {} {}: {}{}", upper_verdict(g.verdict), text_escaped(g.lead),
                             h.name == g.lead ? "" : text_escaped(h.name) + " ", h.reason),
                 style, color) +
           "\n";
    if (g.path.size() > 1) {
      out += fmt::format("      path: {} ({:+.2f} pt along it)\n", path_text(g, text_escaped, " -> "), g.path_increase);
    }
    if (g.members.size() > 1) out += fmt::format("      same cause: {}\n", same_cause(r, g, text_escaped));
  }
  const std::vector<const FunctionChange*> rows = listed(r, o.show_all);
  if (!rows.empty()) {
    out += fmt::format("{:<12} {:<7} {:>8} {:>8} {:>8} {:>10} {:>7}  {}\n", "verdict", "measure", "before", "after",
                       "Δ pt", "threshold", "noise", "function");
    for (const FunctionChange* f : rows) {
      std::string line = fmt::format("{:<12} {:<7} {:>7.2f}% {:>7.2f}% {:>+8.2f} {:>10} {:>7.2f}  {}",
                                     verdict_name(f->verdict), measure_name(f->measure), f->before(), f->after(),
                                     f->change(), threshold_text(*f), f->noise(), text_escaped(f->name));
      out += (f->verdict == Verdict::kFail ? paint(line, ansi::kRed, color) : line) + "\n";
    }
  }
  if (!o.show_all && rows.size() < r.judged.size()) {
    out += fmt::format("({} other judged function{} within thresholds or noise: --show-all lists them)\n",
                       r.judged.size() - rows.size(), r.judged.size() - rows.size() == 1 ? "" : "s");
  }
  return out;
}

std::string format_check_markdown(const CheckResult& r, const ReportOptions& o) {
  auto code = [](std::string_view s) { return markdown_code_span(s, false); };
  auto cell = [](std::string_view s) { return markdown_code_span(s, true); };
  std::string out = r.regressed()  ? fmt::format("### ❌ pprofx check: {} in {}\n\n", counts(r), code(r.type))
                    : r.warnings() ? fmt::format("### ⚠️ pprofx check: passed with {} in {}\n\n",
                                                 plural(r.warnings(), "warning"), code(r.type))
                                   : fmt::format("### ✅ pprofx check: no regression in {}\n\n", code(r.type));
  out += fmt::format("Compared with {}: {}. {}{}.\n\n", plural(r.baselines.size(), "baseline"), baselines_text(r, code),
                     capitalized(total_text(r)),
                     r.total == Verdict::kFail   ? " **regressed**"
                     : r.total == Verdict::kWarn ? " (warning)"
                                                 : "");
  const std::vector<const FunctionChange*> rows = listed(r, o.show_all);
  if (!r.findings.empty() || !rows.empty()) {
    out +=
        "| function | verdict | measure | before | after | Δ | threshold | noise |\n"
        "|---|---|---|---:|---:|---:|---:|---:|\n";
    auto row = [&](std::string_view verdict, std::string_view function, std::string measure, const FunctionChange& f) {
      out += fmt::format("| {} | {} | {} | {:.2f}% | {:.2f}% | {:+.2f} pt | {} | {:.2f} pt |\n", function, verdict,
                         measure, f.before(), f.after(), f.change(), threshold_text(f), f.noise());
    };
    for (const Finding& g : r.findings) {
      const FunctionChange& h = r.judged[g.headline];
      row(g.verdict == Verdict::kFail ? "❌ **regression**" : "⚠️ warning", cell(g.lead),
          h.name == g.lead ? measure_name(h.measure) : fmt::format("{} of {}", measure_name(h.measure), cell(h.name)),
          h);
    }
    for (const FunctionChange* f : rows) {
      if (f->verdict == Verdict::kFail || f->verdict == Verdict::kWarn) continue;  // in their findings
      row(f->verdict == Verdict::kImproved ? "✅ improvement" : "ok", cell(f->name), measure_name(f->measure), *f);
    }
    out += "\n";
  }
  for (const Finding& g : r.findings) {
    if (g.path.size() < 2 && g.members.size() < 2) continue;
    out += fmt::format("- {}", code(g.lead));
    if (g.path.size() > 1)
      out += fmt::format(": {} ({:+.2f} pt along the path)", path_text(g, code, " → "), g.path_increase);
    if (g.members.size() > 1) {
      out += fmt::format("; the same cause: {}", same_cause(r, g, code));
    }
    out += "\n";
  }
  if (!r.findings.empty()) out += "\n";
  if (!o.show_all && rows.size() < r.judged.size()) {
    out += fmt::format("{} other judged function{} stayed within the thresholds or the noise.\n\n",
                       r.judged.size() - rows.size(), r.judged.size() - rows.size() == 1 ? "" : "s");
  }
  out +=
      "A change must pass its threshold and the sampling noise; the measure is the flat or cum share of the "
      "total that changed. See `pprofx check --help`.\n";
  return out;
}

std::string format_check_json(const CheckResult& r, const CheckThresholds& t) {
  auto str = [](std::string_view s) { return "\"" + json_escaped(s) + "\""; };
  auto change = [&](const FunctionChange& f) {
    return fmt::format("\"measure\": \"{}\", \"before\": {}, \"after\": {}, \"change\": {}, \"noise\": {}",
                       measure_name(f.measure), json_number(f.before(), 4), json_number(f.after(), 4),
                       json_number(f.change(), 4), json_number(f.noise(), 4));
  };
  std::string out =
      fmt::format("{{\n  \"schema\": \"pprofx-check/2\",\n  \"verdict\": \"{}\",\n  \"type\": {},\n  \"unit\": {},\n",
                  r.regressed()  ? "fail"
                  : r.warnings() ? "warn"
                                 : "pass",
                  str(r.type), str(r.unit));
  out += "  \"baselines\": [";
  for (size_t i = 0; i < r.baselines.size(); ++i) {
    const std::string when = format_utc_time(r.baselines[i].time_nanos);
    out += fmt::format("{}{{\"name\": {}, \"time\": {}}}", i ? ", " : "", str(r.baselines[i].name),
                       when.empty() ? "null" : str(when));
  }
  out += fmt::format(
      "],\n  \"total\": {{\"change_percent\": {}, \"per\": \"{}\", \"threshold_percent\": {}, "
      "\"warn_threshold_percent\": {}, \"noise_percent\": {}, \"verdict\": \"{}\"}},\n",
      json_number(r.total_change_percent, 4),
      r.per_op             ? "operation"
      : r.total_per_second ? "second"
                           : "profile",
      json_number(r.total_threshold), json_number(r.total_warn_threshold), json_number(r.total_noise, 4),
      verdict_name(r.total));
  out += fmt::format(
      "  \"thresholds\": {{\"max_flat_increase\": {}, \"max_cum_increase\": {}, \"max_relative_increase\": {}, "
      "\"max_total_increase\": {}, \"min_share\": {}, \"rules\": {}}},\n",
      json_number(t.max_flat_increase), json_number(t.max_cum_increase), json_number(t.max_relative_increase),
      json_number(t.max_total_increase), json_number(t.min_share), t.rules.size() + t.allow.size());
  out += "  \"findings\": [";
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const Finding& g = r.findings[i];
    const FunctionChange& h = r.judged[g.headline];
    std::string path, members;
    for (size_t p = 0; p < g.path.size(); ++p) path += (p ? ", " : "") + str(g.path[p]);
    for (size_t m = 0; m < g.members.size(); ++m) members += (m ? ", " : "") + str(r.judged[g.members[m]].name);
    out += fmt::format(
        "{}\n    {{\"verdict\": \"{}\", \"lead\": {}, \"function\": {}, {}, \"threshold\": {}, "
        "\"relative\": {}, \"reason\": {}, \"path\": [{}], \"path_increase\": {}, \"functions\": [{}]}}",
        i ? "," : "", verdict_name(g.verdict), str(g.lead), str(h.name), change(h), json_number(h.threshold),
        h.relative ? "true" : "false", str(h.reason), path, json_number(g.path_increase, 4), members);
  }
  out += r.findings.empty() ? "],\n" : "\n  ],\n";
  out += "  \"functions\": [";
  for (size_t i = 0; i < r.judged.size(); ++i) {
    const FunctionChange& f = r.judged[i];
    out += fmt::format(
        "{}\n    {{\"name\": {}, \"verdict\": \"{}\", {}, \"flat\": {{\"base\": {}, \"new\": {}, \"noise\": {}}}, "
        "\"cum\": {{\"base\": {}, \"new\": {}, \"noise\": {}}}{}}}",
        i ? "," : "", str(f.name), verdict_name(f.verdict), change(f), json_number(f.base_flat, 4),
        json_number(f.new_flat, 4), json_number(f.bound_flat, 4), json_number(f.base_cum, 4), json_number(f.new_cum, 4),
        json_number(f.bound_cum, 4), f.reason.empty() ? "" : ", \"reason\": " + str(f.reason));
  }
  out += r.judged.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

std::string format_check_junit(const CheckResult& r) {
  const std::string type = xml_text_escaped(r.type);
  std::string cases = fmt::format("  <testcase classname=\"pprofx.{}\" name=\"total\">", type);
  if (r.total == Verdict::kFail) cases += fmt::format("<failure message=\"{}\"/>", xml_text_escaped(total_text(r)));
  if (r.total == Verdict::kWarn)
    cases += fmt::format("<system-out>warning: {}</system-out>", xml_text_escaped(total_text(r)));
  cases += "</testcase>\n";
  for (const Finding& g : r.findings) {
    const FunctionChange& h = r.judged[g.headline];
    std::string text = (h.name == g.lead ? "" : h.name + " ") + h.reason;
    std::string detail;
    if (g.path.size() > 1)
      detail += "path: " +
                path_text(
                    g, [](std::string_view s) { return std::string(s); }, " -> ") +
                "\n";
    if (g.members.size() > 1)
      detail += "same cause: " + same_cause(r, g, [](std::string_view s) { return std::string(s); }) + "\n";
    cases += fmt::format("  <testcase classname=\"pprofx.{}\" name=\"{}\">", type, xml_text_escaped(g.lead));
    if (g.verdict == Verdict::kFail) {
      cases += fmt::format("<failure message=\"{}\">{}</failure>", xml_text_escaped(text), xml_text_escaped(detail));
    } else {
      cases +=
          fmt::format("<system-out>warning: {}\n{}</system-out>", xml_text_escaped(text), xml_text_escaped(detail));
    }
    cases += "</testcase>\n";
  }
  if (r.findings.empty()) {
    cases += fmt::format(
        "  <testcase classname=\"pprofx.{}\" name=\"functions\"><system-out>{} judged, no regression"
        "</system-out></testcase>\n",
        type, plural(r.judged.size(), "function"));
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n<testsuite name=\"pprofx check ({})\" "
      "tests=\"{}\" failures=\"{}\" errors=\"0\">\n{}</testsuite>\n</testsuites>\n",
      type, r.findings.size() + 1 + r.findings.empty(), r.failures(), cases);
}

namespace {

// GitHub's workflow-command escapes: the message's % CR LF, a property's also : and ,.
// The message's own line breaks become %0A; each line is shown as a terminal shows it.
std::string github_data(std::string_view s) {
  std::string out;
  for (size_t start = 0; start <= s.size();) {
    const size_t nl = std::min(s.find('\n', start), s.size());
    if (start > 0) out += "%0A";
    for (char c : terminal_escaped(s.substr(start, nl - start))) {
      if (c == '%') {
        out += "%25";
      } else {
        out += c;  // terminal_escaped leaves no CR or LF
      }
    }
    start = nl + 1;
  }
  return out;
}

std::string github_property(std::string_view s) {
  std::string out;
  for (char c : github_data(s)) {
    if (c == ':') {
      out += "%3A";
    } else if (c == ',') {
      out += "%2C";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string format_check_github(const CheckResult& r) {
  std::string out;
  auto plain = [](std::string_view s) { return std::string(s); };
  if (r.total != Verdict::kOk) {
    out += fmt::format("::{} title={}::{}\n", r.total == Verdict::kFail ? "error" : "warning",
                       github_property(fmt::format("pprofx check: the total {} grew", r.type)),
                       github_data(total_text(r)));
  }
  for (const Finding& g : r.findings) {
    const FunctionChange& h = r.judged[g.headline];
    std::string message = (h.name == g.lead ? "" : h.name + " ") + h.reason;
    if (g.path.size() > 1)
      message += fmt::format("\npath: {} ({:+.2f} pt along it)", path_text(g, plain, " -> "), g.path_increase);
    if (g.members.size() > 1) message += "\nsame cause: " + same_cause(r, g, plain);
    out += fmt::format("::{} title={}::{}\n", g.verdict == Verdict::kFail ? "error" : "warning",
                       github_property(fmt::format("pprofx check: {} {} ({})", g.lead,
                                                   g.verdict == Verdict::kFail ? "regressed" : "grew", r.type)),
                       github_data(message));
  }
  if (out.empty()) {
    out = fmt::format(
        "::notice title={}::{}\n", github_property("pprofx check passed"),
        github_data(fmt::format("no regression in {} against {} ({} judged)", r.type,
                                plural(r.baselines.size(), "baseline"), plural(r.judged.size(), "function"))));
  }
  return out;
}

std::string format_check_no_baseline(io::Format format, std::string_view store, std::string_view name) {
  switch (format) {
    case io::Format::kMarkdown:
      return fmt::format(
          "### ✅ pprofx check: no baseline yet\n\nNo baseline is stored under {} in {}: this run passed "
          "without a comparison. The next run compares with the baselines `main` saves.\n",
          markdown_code_span(name, false), markdown_code_span(store, false));
    case io::Format::kJson:
      return fmt::format(
          "{{\n  \"schema\": \"pprofx-check/2\",\n  \"verdict\": \"no-baseline\",\n  \"store\": \"{}\",\n"
          "  \"name\": \"{}\",\n  \"baselines\": []\n}}\n",
          json_escaped(store), json_escaped(name));
    case io::Format::kJunit:
      return fmt::format(
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n<testsuite name=\"pprofx check\" tests=\"1\" "
          "failures=\"0\" errors=\"0\" skipped=\"1\">\n  <testcase classname=\"pprofx\" name=\"baseline {}\"><skipped "
          "message=\"no baseline stored yet in {}\"/></testcase>\n</testsuite>\n</testsuites>\n",
          xml_text_escaped(name), xml_text_escaped(store));
    case io::Format::kGithub:
      return fmt::format(
          "::notice title={}::{}\n", github_property("pprofx check: no baseline yet"),
          github_data(fmt::format("no baseline stored under \"{}\" in {}: passed without a comparison", name, store)));
    default:
      return fmt::format("PASS: no baseline stored under \"{}\" in {} yet: nothing to compare with\n",
                         text_escaped(name), text_escaped(store));
  }
}

}  // namespace pprofx::report
