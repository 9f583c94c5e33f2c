// pprofx top and pprofx tree: pprof's -top and -tree/-peek reports, on the
// same node selection and the same options.
#include <algorithm>

#include <fmt/format.h>

#include "commands.h"
#include "options_common.h"
#include "terminal.h"
#include "pprofx/io/formats.h"
#include "pprofx/io/graphviz.h"
#include "pprofx/io/output.h"
#include "pprofx/report/dot.h"
#include "pprofx/report/list.h"
#include "pprofx/report/top.h"
#include "pprofx/report/tree.h"

namespace pprofx::cli {
namespace {

struct NodeReportArgs {
  std::vector<std::string> files;
  load::Options load;
  ReportArgs report;
  report::TopOptions top;
  ColorOption color;
  std::string format;  // --format: text (pprof's), markdown, json, csv
};

// A fraction of the total: a number in [0, 1] (not nan or inf). No description, so --help is unchanged.
const CLI::Validator kFraction(
    [](std::string& s) -> std::string {
      double v = 0;
      if (CLI::detail::lexical_cast(s, v) && v >= 0 && v <= 1) return {};
      return "must be a number from 0 to 1, not " + s;
    },
    "");

// Which options a node report takes: top and tree all, with --format; dot no --format; list
// none of the node and edge trimming (pprof's -list never trims).
enum class NodeReport { kTable, kGraph, kList };

void add_node_report_options(CLI::App& cmd, NodeReportArgs& a, NodeReport kind = NodeReport::kTable) {
  cmd.add_option("profiles", a.files, "Profile files or URLs (pprof protobuf, gzip or raw; - for stdin); several are merged")
      ->required();
  add_load_options(cmd, a.load);
  add_report_options(cmd, a.report, a.load);
  if (kind == NodeReport::kList) {
    cmd.add_option("--unit", a.top.unit, "Unit for values: minimum, auto, or ns/us/ms/s/hrs, B/kB/MB/GB/TB")
        ->capture_default_str();
    return;
  }
  cmd.add_option("-n,--nodecount", a.top.node_count, "Show at most this many functions (0: all)")
      ->capture_default_str();
  cmd.add_flag("--cum", a.top.sort_by_cum, "Sort by cumulative value instead of flat");
  cmd.add_flag_function("--flat", [&a](int64_t) { a.top.sort_by_cum = false; }, "Sort by flat value (default)");
  cmd.add_option("--nodefraction", a.top.node_fraction, "Hide functions whose cum is below this fraction of the total")
      ->check(kFraction)
      ->capture_default_str();
  cmd.add_option("--edgefraction", a.top.edge_fraction,
                 "Ignore call edges below this fraction of the total (tree's edges, top's inline marks)")
      ->check(kFraction)
      ->capture_default_str();
  cmd.add_option("--unit", a.top.unit, "Unit for values: minimum, auto, or ns/us/ms/s/hrs, B/kB/MB/GB/TB")
      ->capture_default_str();
  if (kind != NodeReport::kTable) return;
  add_color_option(cmd, a.color);
  cmd.add_option("--format", a.format,
                 "text (pprof's layout, the default), markdown (for PR comments), json or csv (values in the "
                 "sample type's unit; docs/commands/" + std::string(cmd.get_name()) + ".md has the JSON schema)")
      ->check(CLI::IsMember({"text", "markdown", "json", "csv"}));
}

// Loads the profiles and turns the arguments into report options.
Result<load::Loaded> load_for_report(const NodeReportArgs& a, report::TopOptions* opts) {
  load::Options lo = a.load;
  lo.label_frames.unit = a.top.unit;  // --tagroot's numeric values, in --unit as pprof's
  lo.divide_by = 1;                   // divided as shown (TopOptions::divide_by), as pprof's
  auto loaded = load::load_profiles(a.files, lo);
  if (!loaded) return loaded.error();
  if (std::string w = load::soft_problems(loaded->input.name, loaded->profile); !w.empty()) print_warnings({w});
  *opts = a.top;
  opts->divide_by = a.report.divide_by;
  opts->threads = load::graph_threads(lo);  // --threads 1: the graph on one thread too
  if (Status s = apply_report_args(a.report, &opts->filters, &opts->sample_index, &opts->mean, &opts->granularity,
                                   &opts->noinlines);
      !s) {
    return s.error();
  }
  return loaded;
}

// A table report in its --format: pprof's text, or one of the machine formats.
template <class Table, class Text>
int write_table(io::Format format, const Table& t, Text text, std::string (*markdown)(const Table&),
                std::string (*json)(const Table&), std::string (*csv)(const Table&)) {
  switch (format) {
    case io::Format::kMarkdown: return write_stdout(markdown(t));
    case io::Format::kJson: return write_stdout(json(t));
    case io::Format::kCsv: return write_stdout(csv(t));
    default: return write_stdout(text());
  }
}

}  // namespace

Runner add_top_command(CLI::App& app) {
  auto args = std::make_shared<NodeReportArgs>();
  CLI::App* cmd = app.add_subcommand("top", "Flat/cum table of the heaviest functions, as `go tool pprof -top`");
  add_node_report_options(*cmd, *args);
  return [args] {
    report::TopOptions opts;
    auto loaded = load_for_report(*args, &opts);
    if (!loaded) return fail(loaded.error().message);
    auto format = io::output_format("top", "", args->format);
    if (!format) return usage_fail(format.error().message);
    auto table = report::top_table(loaded->profile, opts);
    if (!table) return fail(fmt::format("{}: {}", loaded->input.name, table.error().message));
    print_warnings(table->warnings);
    return write_table(*format, *table, [&] { return report::format_top_text(*table, use_color(args->color)); },
                       &report::format_top_markdown, &report::format_top_json, &report::format_top_csv);
  };
}

Runner add_tree_command(CLI::App& app) {
  auto args = std::make_shared<NodeReportArgs>();
  auto peek = std::make_shared<std::string>();
  args->top.node_count = 80;  // pprof's default for every report but -top
  CLI::App* cmd = app.add_subcommand(
      "tree", "Callers and callees of each function with their shares, as `go tool pprof -tree` (and -peek)");
  add_node_report_options(*cmd, *args);
  cmd->add_option("--peek", *peek,
                  "Only the functions matching this regex, with all their callers and callees (pprof's -peek: "
                  "no node or edge trimming)");
  return [args, peek] {
    report::TopOptions opts;
    auto loaded = load_for_report(*args, &opts);
    if (!loaded) return fail(loaded.error().message);
    if (!peek->empty()) {  // pprof: -peek never trims
      opts.node_count = 0;
      opts.node_fraction = 0;
      opts.edge_fraction = 0;
    }
    auto format = io::output_format("tree", "", args->format);
    if (!format) return usage_fail(format.error().message);
    auto tree = report::tree_table(loaded->profile, opts, *peek);
    if (!tree) return fail(fmt::format("{}: {}", loaded->input.name, tree.error().message));
    print_warnings(tree->table.warnings);
    return write_table(*format, *tree, [&] { return report::format_tree_text(*tree, use_color(args->color)); },
                       &report::format_tree_markdown, &report::format_tree_json, &report::format_tree_csv);
  };
}

Runner add_dot_command(CLI::App& app) {
  auto args = std::make_shared<NodeReportArgs>();
  auto output = std::make_shared<std::string>();
  args->top.node_count = 80;  // pprof's default for -dot
  CLI::App* cmd = app.add_subcommand(
      "dot", "The call graph in Graphviz's DOT language, as `go tool pprof -dot` (-o graph.svg draws it with Graphviz)");
  add_node_report_options(*cmd, *args, NodeReport::kGraph);
  cmd->add_option("-o,--output", *output,
                  "Write here instead of standard output: .dot/.gv (DOT), .svg, .png or .pdf (drawn by Graphviz's dot)");
  cmd->add_option("--format", args->format, "dot, svg, png or pdf (default: from -o's extension, else dot)")
      ->check(CLI::IsMember({"dot", "svg", "png", "pdf"}));
  return [args, output] {
    auto format = io::output_format("dot", *output, args->format);
    if (!format) return usage_fail(format.error().message);
    report::TopOptions opts;
    auto loaded = load_for_report(*args, &opts);
    if (!loaded) return fail(loaded.error().message);
    auto dot = report::dot_report(loaded->profile, opts);
    if (!dot) return fail(fmt::format("{}: {}", loaded->input.name, dot.error().message));
    print_warnings(dot->warnings);
    std::string data = std::move(dot->text);
    if (*format != io::Format::kDot) {
      auto image = io::render_with_graphviz(data, io::format_name(*format));
      if (!image) return fail(image.error().message);
      data = std::move(*image);
    }
    if (output->empty() || *output == "-") return write_stdout(data);
    if (Status s = io::write_output(*output, data); !s) return fail(s.error().message);
    return kExitOk;
  };
}

Runner add_list_command(CLI::App& app) {
  auto args = std::make_shared<NodeReportArgs>();
  auto regex = std::make_shared<std::string>();
  auto source_paths = std::make_shared<std::vector<std::string>>();
  auto trim_path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "list", "Flat and cum per source line of the functions matching REGEX, with the source, as `go tool pprof -list`");
  cmd->add_option("regex", *regex, "Functions to list: a regex matched against their names (RE2, as pprof's)")
      ->required();
  add_node_report_options(*cmd, *args, NodeReport::kList);
  cmd->add_option("--source-path", *source_paths,
                  "Where to look for source files (repeatable, or DIR:DIR as pprof's -source_path; default: the "
                  "current directory); each directory and its parents are searched");
  cmd->add_option("--trim-path", *trim_path,
                  "Path prefixes to remove from the profile's file names before searching (DIR:DIR, pprof's "
                  "-trim_path; default: guessed from the source path's base names)");
  cmd->add_option("--format", args->format,
                  "text (pprof's layout, the default), markdown, json or csv (values in the sample type's unit; "
                  "docs/commands/list.md has the JSON schema)")
      ->check(CLI::IsMember({"text", "markdown", "json", "csv"}));
  return [args, regex, source_paths, trim_path] {
    auto format = io::output_format("list", "", args->format);
    if (!format) return usage_fail(format.error().message);
    report::ListOptions lo;
    auto loaded = load_for_report(*args, &lo.report);
    if (!loaded) return fail(loaded.error().message);
    lo.report.granularity = fold::Granularity::kLines;  // pprof's -list: always lines
    lo.regex = *regex;
    lo.source_path = joined_source_path(*source_paths);
    lo.trim_path = *trim_path;
    auto list = report::list_report(loaded->profile, lo);
    if (!list) return fail(fmt::format("{}: {}", loaded->input.name, list.error().message));
    print_warnings(list->warnings);
    return write_table(*format, *list, [&] { return list->text; }, &report::format_list_markdown,
                       &report::format_list_json, &report::format_list_csv);
  };
}

}  // namespace pprofx::cli
