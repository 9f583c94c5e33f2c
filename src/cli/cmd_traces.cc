// pprofx traces, tags and raw: pprof's -traces, -tags and -raw reports.
#include <fmt/format.h>

#include "commands.h"
#include "options_common.h"
#include "pprofx/io/formats.h"
#include "pprofx/report/raw.h"
#include "pprofx/report/traces.h"

namespace pprofx::cli {
namespace {

struct LabelReportArgs {
  std::vector<std::string> files;
  load::Options load;
  ReportArgs report;
  std::string unit = "minimum";
  std::string format;  // tags' --format
};

using Report = Result<report::LabelReport> (*)(const model::Profile&, const report::LabelReportOptions&);

int run_label_report(LabelReportArgs& a, Report make) {
  a.load.label_frames.unit = a.unit;  // --tagroot's numeric values, in --unit as pprof's
  a.load.divide_by = 1;               // traces divides what it shows; tags and raw do not divide, as pprof
  auto loaded = load::load_profiles(a.files, a.load);
  if (!loaded) return fail(loaded.error().message);
  if (std::string w = load::soft_problems(loaded->input.name, loaded->profile); !w.empty()) print_warnings({w});
  report::LabelReportOptions o{.selection = {}, .mean = false, .unit = a.unit, .divide_by = a.report.divide_by};
  fold::Selection& sel = o.selection;
  if (Status s = apply_report_args(a.report, &sel.filters, &sel.sample_index, &o.mean, &sel.granularity,
                                   &sel.noinlines);
      !s) {
    return fail(s.error().message);
  }
  auto r = make(loaded->profile, o);
  if (!r) return fail(fmt::format("{}: {}", loaded->input.name, r.error().message));
  print_warnings(r->warnings);
  return write_stdout(r->text);
}

std::shared_ptr<LabelReportArgs> add_label_report(CLI::App& app, const char* name, const char* about) {
  auto a = std::make_shared<LabelReportArgs>();
  CLI::App* cmd = app.add_subcommand(name, about);
  cmd->add_option("profiles", a->files, "Profile files or URLs (pprof protobuf, gzip or raw; - for stdin); several are merged")
      ->required();
  add_load_options(*cmd, a->load);
  add_report_options(*cmd, a->report, a->load);
  cmd->add_option("--unit", a->unit, "Unit for values: minimum, auto, or ns/us/ms/s/hrs, B/kB/MB/GB/TB")
      ->capture_default_str();
  return a;
}

// tags --format: the table as data, written for machines.
template <io::Format F>
Result<report::LabelReport> tags_as(const model::Profile& p, const report::LabelReportOptions& o) {
  auto t = report::tags_table(p, o);
  if (!t) return t.error();
  std::string text = F == io::Format::kMarkdown ? report::format_tags_markdown(*t)
                     : F == io::Format::kJson   ? report::format_tags_json(*t)
                     : F == io::Format::kCsv    ? report::format_tags_csv(*t)
                                                : report::format_tags_text(*t);
  return report::LabelReport{.text = std::move(text), .warnings = std::move(t->warnings)};
}

}  // namespace

Runner add_traces_command(CLI::App& app) {
  auto a = add_label_report(app, "traces", "Every sample's stack with its labels and value, as `go tool pprof -traces`");
  return [a] { return run_label_report(*a, &report::traces_report); };
}

Runner add_tags_command(CLI::App& app) {
  auto a = add_label_report(app, "tags", "Each label key's values with their totals and shares, as `go tool pprof -tags`");
  app.get_subcommand("tags")
      ->add_option("--format", a->format,
                   "text (pprof's layout, the default), markdown, json or csv (totals in the sample type's unit; "
                   "docs/commands/tags.md has the JSON schema)")
      ->check(CLI::IsMember({"text", "markdown", "json", "csv"}));
  return [a] {
    auto format = io::output_format("tags", "", a->format);
    if (!format) return usage_fail(format.error().message);
    switch (*format) {
      case io::Format::kMarkdown: return run_label_report(*a, &tags_as<io::Format::kMarkdown>);
      case io::Format::kJson: return run_label_report(*a, &tags_as<io::Format::kJson>);
      case io::Format::kCsv: return run_label_report(*a, &tags_as<io::Format::kCsv>);
      default: return run_label_report(*a, &report::tags_report);
    }
  };
}

Runner add_raw_command(CLI::App& app) {
  auto a = add_label_report(app, "raw", "The profile's text dump (samples, locations, mappings), as `go tool pprof -raw`");
  return [a] { return run_label_report(*a, &report::raw_report); };
}

}  // namespace pprofx::cli
