// pprofx traces, tags and raw: pprof's -traces, -tags and -raw reports.
#include <fmt/format.h>

#include "commands.h"
#include "options_common.h"
#include "pprofx/report/raw.h"
#include "pprofx/report/traces.h"

namespace pprofx::cli {
namespace {

struct LabelReportArgs {
  std::vector<std::string> files;
  load::Options load;
  ReportArgs report;
  std::string unit = "minimum";
};

using Report = Result<report::LabelReport> (*)(const model::Profile&, const report::LabelReportOptions&);

Runner add_label_report(CLI::App& app, const char* name, const char* about, Report make) {
  auto a = std::make_shared<LabelReportArgs>();
  CLI::App* cmd = app.add_subcommand(name, about);
  cmd->add_option("profiles", a->files, "Profile files or URLs (pprof protobuf, gzip or raw; - for stdin); several are merged")
      ->required();
  add_load_options(*cmd, a->load);
  add_report_options(*cmd, a->report, a->load);
  cmd->add_option("--unit", a->unit, "Unit for values: minimum, auto, or ns/us/ms/s/hrs, B/kB/MB/GB/TB")
      ->capture_default_str();
  return [a, make] {
    a->load.label_frames.unit = a->unit;  // --tagroot's numeric values, in --unit as pprof's
    auto loaded = load::load_profiles(a->files, a->load);
    if (!loaded) return fail(loaded.error().message);
    if (std::string w = load::soft_problems(loaded->input.name, loaded->profile); !w.empty()) print_warnings({w});
    report::LabelReportOptions o{.selection = {}, .mean = false, .unit = a->unit};
    fold::Selection& sel = o.selection;
    if (Status s = apply_report_args(a->report, &sel.filters, &sel.sample_index, &o.mean, &sel.granularity,
                                     &sel.noinlines);
        !s) {
      return fail(s.error().message);
    }
    auto r = make(loaded->profile, o);
    if (!r) return fail(fmt::format("{}: {}", loaded->input.name, r.error().message));
    print_warnings(r->warnings);
    return write_stdout(r->text);
  };
}

}  // namespace

Runner add_traces_command(CLI::App& app) {
  return add_label_report(app, "traces",
                          "Every sample's stack with its labels and value, as `go tool pprof -traces`",
                          &report::traces_report);
}

Runner add_tags_command(CLI::App& app) {
  return add_label_report(app, "tags",
                          "Each label key's values with their totals and shares, as `go tool pprof -tags`",
                          &report::tags_report);
}

Runner add_raw_command(CLI::App& app) {
  return add_label_report(app, "raw",
                          "The profile's text dump (samples, locations, mappings), as `go tool pprof -raw`",
                          &report::raw_report);
}

}  // namespace pprofx::cli
