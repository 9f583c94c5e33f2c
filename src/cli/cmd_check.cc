// pprofx check: the CI gate (report/check.h), its reports, and the
// differential graph against the first baseline.
#include <fmt/format.h>

#include <filesystem>
#include <optional>

#include "commands.h"
#include "options_common.h"
#include "pprofx/base/memory.h"
#include "pprofx/base/strings.h"
#include "pprofx/decode/decode.h"
#include "pprofx/decode/sniff.h"
#include "pprofx/diff/graph.h"
#include "pprofx/io/input.h"
#include "pprofx/io/output.h"
#include "pprofx/report/baseline_store.h"
#include "pprofx/render/notes.h"
#include "pprofx/report/check.h"
#include "pprofx/web/page.h"
#include "terminal.h"

namespace pprofx::cli {
namespace {

struct CheckArgs {
  std::string next;
  std::vector<std::string> baselines;
  std::string store, name;
  load::Options load;
  ReportArgs report;
  report::CheckThresholds thresholds;
  std::vector<std::string> allow, warn_rules, fail_rules;
  std::vector<std::string> reports;  // --report, repeatable
  std::string format, flame;
  bool show_all = false;
  std::string normalize = "share";
  OpsArgs ops;
  std::string if_no_baseline = "pass";  // a store with nothing under the name yet: pass (first run) or fail
  ColorOption color;
};

std::string format_report(io::Format format, const report::CheckResult& r, const report::CheckThresholds& t,
                          const report::ReportOptions& o) {
  switch (format) {
    case io::Format::kMarkdown: return report::format_check_markdown(r, o);
    case io::Format::kJson: return report::format_check_json(r, t);
    case io::Format::kJunit: return report::format_check_junit(r);
    case io::Format::kGithub: return report::format_check_github(r);
    default: return report::format_check_text(r, o);
  }
}

// A stored baseline, read by the store (no symlink followed) and decoded. Its
// content is never quoted in an error: a store entry is not a file the user
// named, and the decoder's "not a profile" messages quote the first line.
Result<load::Loaded> load_stored(report::StoredBaseline stored, const load::Options& o) {
  memory::set_subject(stored.path);
  auto bytes = io::profile_bytes(std::move(stored.bytes), stored.path, o.max_size);
  if (!bytes) return bytes.error();
  load::Loaded out;
  out.input.name = stored.path;
  out.input.file_bytes = bytes->file_bytes;
  out.input.gzipped = bytes->gzipped;
  out.input.raw_bytes = bytes->data.size();
  auto decoded = decode::decode_any(bytes->data, stored.path);
  if (!decoded) {
    const decode::InputKind kind = decode::sniff(bytes->data).kind;
    if (kind == decode::InputKind::kHtml || kind == decode::InputKind::kFolded) {
      return Error{
          fmt::format("{}: not a profile: {} (its content is not shown); stored baselines are pprof "
                      "profiles",
                      stored.path, kind == decode::InputKind::kHtml ? "an HTML page" : "text")};
    }
    return decoded.error();
  }
  out.profile = std::move(*decoded);
  if (Status s = load::symbolize_loaded(out.profile, out.input.name, o); !s) return s.error();
  return out;
}

// The outputs of one check, published together: every file is written to
// its temporary first; only when all are complete are they renamed and the
// verdict printed. A failure anywhere prints nothing but the error and
// leaves no output (issue 21, point 20).
int publish(const std::string& text, const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<io::OutputStream> ready;
  for (const auto& [path, data] : files) {
    if (path == "-") continue;  // after the verdict, in order
    auto out = io::OutputStream::open(path);
    if (!out) return fail(out.error().message);
    out->write(data);
    if (Status s = out->prepare(); !s) return fail(s.error().message);
    ready.push_back(std::move(*out));
  }
  for (io::OutputStream& out : ready) {
    if (Status s = out.commit(); !s) return fail(s.error().message);
  }
  if (Status s = io::write_output("-", text); !s) return fail(s.error().message);
  for (const auto& [path, data] : files) {
    if (path != "-") continue;
    if (Status s = io::write_output(path, data); !s) return fail(s.error().message);
  }
  return kExitOk;
}

// The differential flame graph against the baselines' median: what the verdict compared with.
Result<std::string> render_check_graph(const std::vector<const model::Profile*>& bases, const model::Profile& next,
                                       const report::CheckResult& r, const fold::Selection& selection,
                                       const std::string& new_path, io::Format format) {
  const std::string base_label =
      bases.size() == 1 ? base_name(r.baselines.front().name) : fmt::format("median of {} baselines", bases.size());
  diff::GraphOptions options{.normalize = diff::Normalize::kShare};
  if (Status s = set_graph_budget({}, &options); !s) return s.error();
  auto graph = diff::build_median_graph(bases, next, r.tables, selection, options, base_label, base_name(new_path));
  if (!graph) return graph.error();
  return render_built_graph({}, std::move(*graph), r.tables.front(), format, {new_path, selection.filters.any()});
}

// check --report x.html: the diff page of the first baseline and NEW (pprofx web BASE NEW) with the
// verdict above its views; with several baselines the verdict compared with their median, which is
// not a profile, so the page says which one it shows.
Result<std::string> html_report(const CheckArgs& a, const std::vector<load::Loaded>& loaded, const load::Loaded& next,
                                const fold::Selection& selection, const report::CheckResult& r, const std::string& text) {
  DiffPageArgs page;
  page.base = loaded.front().input.name;
  page.next = a.next;
  page.load = a.load;
  page.report = a.report;
  web::Verdict verdict{.text = text, .regressed = r.regressed()};
  if (loaded.size() > 1) {
    verdict.text += fmt::format(
        "\nThe verdict compared NEW with the median of {} baselines; this page compares it with the first, {}.\n",
        loaded.size(), loaded.front().input.name);
  }
  return make_diff_page(page, loaded.front(), next, selection, std::move(verdict));
}

// check --report x.html before any baseline is stored: NEW's own page with the notice.
Result<std::string> html_no_baseline(const CheckArgs& a) {
  auto next = load::load_profile(a.next, a.load);
  if (!next) return next.error();
  web::PageOptions o;
  o.data.name = next->input.name;
  o.data.all_frames = a.report.filters.all_frames;
  o.data.verdict = web::Verdict{.text = report::format_check_no_baseline(io::Format::kText, a.store, a.name)};
  o.title = base_name(next->input.name) + " \u2014 pprofx check";
  return web::page_html(next->profile, o);
}

int run_check(const CheckArgs& a) {
  std::optional<io::Format> flame_format;
  // Each --report: a file (its extension picks the format, or --format with one report), "-", or
  // "github": GitHub Actions workflow commands on stdout (a file of that name: ./github).
  if (!a.format.empty() && a.reports.size() > 1) return usage_fail("--format goes with one --report; name the files");
  std::vector<std::pair<std::string, io::Format>> reports;
  for (const std::string& report : a.reports) {
    const bool github = report == "github";
    auto f = github && a.format.empty() ? Result<io::Format>(io::Format::kGithub)
                                        : io::output_format("check --report", github ? "-" : report, a.format);
    if (!f) return usage_fail(f.error().message);
    reports.emplace_back(github ? "-" : report, *f);
    if (*f == io::Format::kHtml) {
      if (a.normalize == "per-op") return usage_fail("the HTML report compares shares (no --normalize per-op yet)");
      DiffPageArgs page;
      page.report = a.report;
      if (Status s = diff_page_usage(page); !s) return usage_fail(s.error().message);
    }
  }
  if (!a.flame.empty()) {
    auto f = io::output_format("check --flame", a.flame, "");
    if (!f) return usage_fail(f.error().message);
    flame_format = *f;
  }
  std::vector<std::string> paths = a.baselines;
  std::vector<report::StoredBaseline> stored;
  if (!a.store.empty() || !a.name.empty()) {
    if (a.store.empty() || a.name.empty()) return fail("--store and --name go together");
    std::vector<std::string> skipped;
    std::error_code ec;
    const bool store_exists = std::filesystem::exists(a.store, ec);
    auto read = store_exists ? report::read_baselines(a.store, a.name, a.load.max_size, &skipped)
                             : Result<std::vector<report::StoredBaseline>>(std::vector<report::StoredBaseline>{});
    if (!read) return fail(read.error().message);
    print_warnings(skipped);
    if (read->empty() && a.baselines.empty()) {
      if (a.if_no_baseline == "fail") {
        return fail(
            fmt::format("{}: no baselines stored under the name \"{}\" (--if-no-baseline fail)", a.store, a.name));
      }
      // A project's first run: nothing to compare with yet. Passing keeps CI green until main saves one.
      a.load.diag.notice(
          fmt::format("{}: no baseline stored under \"{}\" yet: passing without a comparison "
                      "(--if-no-baseline fail makes this an error); pprofx baseline save --store {} "
                      "--name {} PROFILE stores one{}",
                      a.store, a.name, a.store, a.name, a.flame.empty() ? "" : "; no flame graph written"));
      std::vector<std::pair<std::string, std::string>> files;
      for (const auto& [path, format] : reports) {
        if (format == io::Format::kHtml) {
          auto page = html_no_baseline(a);
          if (!page) return fail(page.error().message);
          files.emplace_back(path, std::move(*page));
        } else {
          files.emplace_back(path, report::format_check_no_baseline(format, a.store, a.name));
        }
      }
      return publish(report::format_check_no_baseline(io::Format::kText, a.store, a.name), files);
    }
    stored = std::move(*read);
    for (const report::StoredBaseline& b : stored) paths.push_back(b.path);
  }
  if (paths.empty()) return fail("no baseline: give --baseline FILE (repeatable) or --store DIR --name NAME");
  report::CheckThresholds t = a.thresholds;
  for (const std::string& allow : a.allow) {
    auto rule = report::parse_allow(allow);
    if (!rule) return usage_fail(rule.error().message);
    t.allow.push_back(std::move(*rule));
  }
  for (const auto* list : {&a.warn_rules, &a.fail_rules}) {
    for (const std::string& spec : *list) {
      auto rule = report::parse_threshold_rule(spec, list == &a.warn_rules);
      if (!rule) return usage_fail(rule.error().message);
      t.rules.push_back(std::move(*rule));
    }
  }
  auto selection = to_selection(a.report, kMeanInDiff);
  if (!selection) return fail(selection.error().message);
  auto next = load::load_profile(a.next, a.load);
  if (!next) return fail(next.error().message);
  std::vector<load::Loaded> loaded;
  for (const std::string& p : a.baselines) {
    auto b = load::load_profile(p, a.load);
    if (!b) return fail(b.error().message);
    loaded.push_back(std::move(*b));
  }
  std::vector<int64_t> stored_ops;
  for (report::StoredBaseline& s : stored) {
    stored_ops.push_back(s.ops);
    auto b = load_stored(std::move(s), a.load);
    if (!b) return fail(b.error().message);
    loaded.push_back(std::move(*b));
  }
  std::vector<const model::Profile*> bases;
  for (const load::Loaded& l : loaded) bases.push_back(&l.profile);
  report::CheckSides sides{.names = paths, .base_ops = {}, .new_ops = 0};
  if (a.normalize == "per-op") {
    auto ops = read_ops(a.ops);
    if (!ops) {  // a malformed --ops is a usage error; an unreadable --bench-output file is not
      return a.ops.ops.empty() ? fail(ops.error().message) : usage_fail(ops.error().message);
    }
    // NEW's count last; before it one count for every baseline not saved with its own.
    if (ops->empty() || ops->size() > 2) {
      return usage_fail(
          "--normalize per-op needs the operation counts: --ops BASE,NEW (or --ops NEW when every "
          "stored baseline was saved with --ops), or --bench-output BASE.txt,NEW.txt");
    }
    sides.new_ops = ops->back();
    const int64_t given = ops->size() == 2 ? ops->front() : 0;
    for (size_t b = 0; b < bases.size(); ++b) {
      const size_t s = b >= a.baselines.size() ? b - a.baselines.size() : SIZE_MAX;
      const int64_t n = s != SIZE_MAX && stored_ops[s] > 0 ? stored_ops[s] : given;
      if (n <= 0 && s != SIZE_MAX) {
        return fail(
            fmt::format("{}: no operation count stored with it (saved without --ops): give the baselines' "
                        "count with --ops BASE,NEW",
                        paths[b]));
      }
      if (n <= 0)
        return usage_fail(fmt::format("{}: per operation, a baseline's count is needed: --ops BASE,NEW", paths[b]));
      sides.base_ops.push_back(n);
    }
  } else if (a.ops.given()) {
    return usage_fail("--ops and --bench-output go with --normalize per-op");
  }
  auto result = report::run_check(bases, next->profile, *selection, t, sides);
  if (!result) return fail(result.error().message);
  // An empty NEW would pass with every function "improved": a gate must not pass a run that measured nothing.
  if (!result->tables.empty() && result->tables.front().new_total == 0) {
    return fail(render::no_samples_note(next->input.name, selection->filters.any()) +
                ": nothing to check against the baselines");
  }

  const report::ReportOptions options{.show_all = a.show_all, .color = false};
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& [path, format] : reports) {
    if (format == io::Format::kHtml) {
      auto page = html_report(a, loaded, *next, *selection, *result, report::format_check_text(*result, options));
      if (!page) return fail(page.error().message);
      files.emplace_back(path, std::move(*page));
    } else {
      files.emplace_back(path, format_report(format, *result, t, options));
    }
  }
  if (flame_format) {
    auto graph = render_check_graph(bases, next->profile, *result, *selection, a.next, *flame_format);
    if (!graph) return fail(graph.error().message);
    files.emplace_back(a.flame, std::move(*graph));
  }
  const report::ReportOptions terminal{.show_all = a.show_all, .color = use_color(a.color)};
  if (int rc = publish(report::format_check_text(*result, terminal), files); rc != kExitOk) return rc;
  return result->regressed() ? kExitRegression : kExitOk;
}

}  // namespace

Runner add_check_command(CLI::App& app) {
  auto a = std::make_shared<CheckArgs>();
  CLI::App* cmd = app.add_subcommand(
      "check",
      "The CI gate: compare NEW with one or more baselines; exit 0 if it passes, 3 if a function regressed, 1 on\n"
      "error. Shares of the total are compared (runs of different lengths compare) against the baselines'\n"
      "median. A function regresses when its flat (or cum) share grows by more than the threshold, by more than\n"
      "the sampling noise (3 standard errors; with several baselines also 3 robust deviations of their spread),\n"
      "and by more than the relative threshold. Options can come from a TOML/INI file: pprofx --config FILE\n"
      "check ..., with the options under [check].");
  cmd->add_option("new", a->next, "The profile to judge")->required();
  cmd->add_option("--baseline", a->baselines, "A baseline profile (repeatable)");
  cmd->add_option("--store", a->store, "A baseline store (see pprofx baseline)");
  cmd->add_option("--name", a->name, "The baselines' name in the store");
  add_load_options(*cmd, a->load);
  add_report_options(*cmd, a->report, a->load);
  add_color_option(*cmd, a->color);
  auto& t = a->thresholds;
  cmd->add_option("--max-flat-increase", t.max_flat_increase, "Share points a function's flat may grow")
      ->capture_default_str();
  cmd->add_option("--max-cum-increase", t.max_cum_increase, "Share points a function's cum may grow")
      ->capture_default_str();
  cmd->add_option("--max-relative-increase", t.max_relative_increase, "Percent a judged share may grow")
      ->capture_default_str();
  cmd->add_option("--max-total-increase", t.max_total_increase, "Percent the total (per second of profile) may grow")
      ->capture_default_str();
  cmd->add_option("--min-share", t.min_share, "Functions under this cum share (%) are not judged")
      ->capture_default_str();
  cmd->add_option("--ignore-function", t.ignore, "Regex of functions never judged (repeatable), e.g. 'runtime\\.'");
  cmd->add_option("--allow", a->allow,
                  "REGEX=POINTS: matching functions may grow their flat share by POINTS (repeatable)");
  cmd->add_option("--fail-threshold", a->fail_rules,
                  "Fail limits, e.g. flat=3,cum=6,relative=50,total=15, optionally for type=TYPE and/or function=REGEX "
                  "(last); repeatable, the most specific wins");
  cmd->add_option("--warn-threshold", a->warn_rules,
                  "Warn limits (same form): a regression past them but not the fail limits is a warning, exit 0");
  cmd->add_option("--own-code", t.own_code,
                  "Regex of the project's own functions (name or file): a finding is led by the deepest of them on "
                  "the path (default: all but the Go standard library and runtime, libc and libstdc++)");
  cmd->add_flag("--show-all", a->show_all,
                "List every judged function, not only regressions, warnings and improvements");
  cmd->add_option("--normalize", a->normalize,
                  "share: compare shares of each total (runs of any length compare); per-op: per operation, so a "
                  "uniformly slower benchmark fails (needs --ops or --bench-output)")
      ->check(CLI::IsMember({"share", "per-op"}))
      ->capture_default_str();
  add_ops_options(*cmd, a->ops,
                  "BASE,NEW: operations each run did (BASE for every baseline not saved with baseline save --ops); "
                  "NEW alone when all were",
                  "BASE.txt,NEW.txt: go test -bench output of the runs (their N); NEW.txt alone as with --ops");
  cmd->add_option("--report", a->reports,
                  "Also write a report (repeatable): .md (PR comment), .json, .xml (JUnit), .html (the diff page of "
                  "pprofx web with the verdict), text, or github (GitHub Actions annotations on stdout)");
  cmd->add_option("--format", a->format, "The report's format: text, markdown, json, junit, github or html");
  cmd->add_option("--flame", a->flame,
                  "Also write the differential flame graph against the baselines' median (.svg/.png)");
  cmd->add_option("--if-no-baseline", a->if_no_baseline,
                  "With --store: when nothing is stored under --name yet (a project's first run), pass (with a notice "
                  "and a report that says so) or fail")
      ->check(CLI::IsMember({"pass", "fail"}))
      ->capture_default_str();
  return [a] { return run_check(*a); };
}

}  // namespace pprofx::cli
