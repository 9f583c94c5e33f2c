#include <fmt/format.h>

#include "commands.h"
#include "load.h"
#include "options_common.h"
#include "terminal.h"
#include "pprofx/report/tree.h"

namespace pprofx::cli {

Runner add_tree_command(CLI::App& app) {
  struct Args {
    std::vector<std::string> files;
    LoadOptions load;
    ReportArgs report;
    report::TopOptions top;
    std::string peek;
    ColorOption color;
  };
  auto args = std::make_shared<Args>();
  args->top.node_count = 80;  // pprof's default for every report but -top
  CLI::App* cmd = app.add_subcommand(
      "tree", "Callers and callees of each function with their shares, as `go tool pprof -tree` (and -peek)");
  cmd->add_option("profiles", args->files, "Profile files or URLs; several are merged")->required();
  cmd->add_option("--peek", args->peek,
                  "Only the functions matching this regex, with all their callers and callees (pprof's -peek: "
                  "no node or edge trimming)");
  add_load_options(*cmd, args->load);
  add_report_options(*cmd, args->report);
  cmd->add_option("-n,--nodecount", args->top.node_count, "Show at most this many functions")->capture_default_str();
  cmd->add_flag("--cum", args->top.sort_by_cum, "Sort by cumulative value instead of flat");
  cmd->add_option("--nodefraction", args->top.node_fraction, "Hide functions whose cum is below this fraction")
      ->capture_default_str();
  cmd->add_option("--edgefraction", args->top.edge_fraction, "Hide call edges below this fraction of the total")
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
    if (!args->peek.empty()) {  // pprof: -peek never trims
      opts.node_count = 0;
      opts.node_fraction = 0;
      opts.edge_fraction = 0;
    }
    auto tree = report::tree_report(loaded->profile, opts, args->peek, use_color(args->color));
    if (!tree) return fail(fmt::format("{}: {}", loaded->input.name, tree.error().message));
    for (const std::string& w : tree->warnings) fmt::print(stderr, "pprofx: warning: {}\n", w);
    return write_stdout(tree->text);
  };
}

}  // namespace pprofx::cli
