#include <fmt/format.h>

#include "commands.h"
#include "load.h"
#include "options_common.h"
#include "terminal.h"
#include "pprofx/io/input.h"
#include "pprofx/report/top.h"

namespace pprofx::cli {

Runner add_top_command(CLI::App& app) {
  struct Args {
    std::vector<std::string> files;
    LoadOptions load;
    ReportArgs report;
    report::TopOptions top;
    ColorOption color;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("top", "Flat/cum table of the heaviest functions, as `go tool pprof -top`");
  cmd->add_option("profiles", args->files, "Profile files (pprof protobuf, gzip or raw; - for stdin); several are merged")
      ->required();
  add_load_options(*cmd, args->load);
  add_report_options(*cmd, args->report);
  cmd->add_option("-n,--nodecount", args->top.node_count, "Show at most this many rows (default: all)");
  cmd->add_flag("--cum", args->top.sort_by_cum, "Sort by cumulative value instead of flat");
  cmd->add_flag("--flat", [args](int64_t) { args->top.sort_by_cum = false; }, "Sort by flat value (default)");
  cmd->add_option("--nodefraction", args->top.node_fraction,
                  "Hide nodes whose cum is below this fraction of the total")
      ->capture_default_str();
  cmd->add_option("--edgefraction", args->top.edge_fraction,
                  "Ignore call edges below this fraction of the total (for inline marks)")
      ->capture_default_str();
  cmd->add_option("--unit", args->top.unit, "Unit for values: minimum, auto, or ns/us/ms/s/hrs, B/kB/MB/GB/TB")
      ->capture_default_str();
  add_color_option(*cmd, args->color);
  return [args] {
    auto loaded = load_profiles(args->files, args->load);
    if (!loaded) return fail(loaded.error().message);
    warn_soft_problems(loaded->input.name, loaded->profile);
    report::TopOptions opts = args->top;
    if (Status s = apply_report_args(args->report, &opts.filters, &opts.sample_index, &opts.mean, &opts.granularity,
                                     &opts.noinlines);
        !s) {
      return fail(s.error().message);
    }
    auto table = report::top_table(loaded->profile, opts);
    if (!table) return fail(fmt::format("{}: {}", loaded->input.name, table.error().message));
    for (const std::string& w : table->warnings) fmt::print(stderr, "pprofx: warning: {}\n", w);
    return write_stdout(report::format_top_text(*table, use_color(args->color)));
  };
}

}  // namespace pprofx::cli
