// pprofx diff: the change table, or the differential flame graph (shared
// with check --flame).
#include <algorithm>

#include <fmt/format.h>

#include "commands.h"
#include "options_common.h"
#include "pprofx/base/regex.h"
#include "pprofx/base/strings.h"
#include "pprofx/diff/graph.h"
#include "pprofx/diff/tables.h"
#include "pprofx/io/output.h"
#include "pprofx/load/load.h"
#include "pprofx/render/diff_colors.h"
#include "pprofx/render/notes.h"
#include "pprofx/report/diff_report.h"
#include "terminal.h"

namespace pprofx::cli {

namespace {

Status diff_layout_options(const DiffGraphArgs& a, render::LayoutOptions* lo) {
  lo->width_px = a.image_width;
  lo->frame_budget = a.max_frames;
  return parse_min_width(a.min_width, &lo->min_width, &lo->min_width_percent);
}

}  // namespace

Status set_graph_budget(const DiffGraphArgs& a, diff::GraphOptions* o) {
  render::LayoutOptions lo;
  if (Status s = diff_layout_options(a, &lo); !s) return s;
  o->min_fraction = lo.min_width_percent ? lo.min_width / 100 : lo.min_width / lo.width_px;
  o->frame_budget = lo.frame_budget;
  return Ok{};
}

Result<std::string> render_diff_graph(const DiffGraphArgs& a, const DiffGraphInput& in, io::Format format) {
  diff::GraphOptions options = in.options;
  if (Status s = set_graph_budget(a, &options); !s) return s.error();
  auto graph = diff::build_graph(std::move(*in.base), std::move(*in.next), *in.table, *in.selection, options,
                                 base_name(in.base_path), base_name(in.new_path));
  if (!graph) return graph.error();
  const std::string widths_from = options.widths == diff::Widths::kNew    ? in.new_path
                                  : options.widths == diff::Widths::kBase ? in.base_path
                                                                          : in.base_path + " and " + in.new_path;
  return render_built_graph(a, std::move(*graph), *in.table, format, {widths_from, in.selection->filters.any()});
}

Result<std::string> render_built_graph(const DiffGraphArgs& a, diff::Graph graph_value, const diff::DiffTable& table,
                                       io::Format format, const GraphSource& source) {
  diff::Graph* graph = &graph_value;
  render::LayoutOptions lo;
  if (Status s = diff_layout_options(a, &lo); !s) return s.error();
  const render::Layout layout = render::layout(graph->trie, lo);
  render::FlameStyle style;
  style.width = a.image_width;
  style.inverted = a.inverted;
  style.unit = table.unit;
  style.value_name = table.type;
  render::apply_diff_style(*graph, layout, &style);
  style.title = !a.title.empty() ? a.title : "Differential Flame Graph";
  style.subtitle = !a.subtitle.empty() ? a.subtitle : graph->subtitle;
  style.document_title = graph->subtitle + " \u2014 " + style.title;  // the files and type, whatever --subtitle says
  style.note = graph->legend + render::diff_pruning_note(layout, style);
  if (graph->trie.total() == 0) {  // nothing to draw: said, and drawn as the note
    print_warnings({render::no_samples_note(source.name, source.filtered)});
    style.note = render::no_samples_note(base_name(source.name), source.filtered);
  }
  return render_image(format, render::frame_geometry(graph->trie, layout, style), style);
}

int write_diff_graph(const DiffGraphArgs& a, const DiffGraphInput& in, const std::string& output, io::Format format,
                     bool print_path) {
  auto data = render_diff_graph(a, in, format);
  if (!data) return fail(data.error().message);
  if (Status s = io::write_output(output, *data); !s) return fail(s.error().message);
  if (print_path && output != "-") fmt::print("{}\n", output);
  return kExitOk;
}

namespace {

struct DiffArgs {
  std::string base, next, output, format;
  load::Options load;
  ReportArgs report;
  std::string normalize;
  size_t rows = 0;
  bool cum = false;
  DiffGraphArgs graph;
  ColorOption color;
  OpsArgs ops;
  std::string by, own_code;  // rows per function or per group of stacks ("": by the profile's kind)
};

// What follows from the table's totals: the colours, the normalisation and,
// per-op, the table's operation counts. On error it has said so (fail or
// usage_fail) and returns the exit code; else -1.
constexpr int kSettled = -1;
int settle(const DiffArgs& a, diff::DiffTable& table, diff::GraphOptions* o) {
  auto color_by = diff::parse_color_by(!a.graph.color_by.empty()               ? a.graph.color_by
                                       : diff::by_stack_by_default(table.type) ? "total"
                                                                               : "self");
  if (!color_by) return fail(color_by.error().message);
  o->color_by = *color_by;
  o->normalize = a.ops.given() ? diff::Normalize::kPerOp : diff::default_normalize(table);
  if (!a.normalize.empty()) {
    auto n = diff::parse_normalize(a.normalize);
    if (!n) return fail(n.error().message);
    o->normalize = *n;
  }
  if (o->normalize == diff::Normalize::kPerOp) {
    auto ops = read_ops(a.ops);
    if (!ops) return a.ops.ops.empty() ? fail(ops.error().message) : usage_fail(ops.error().message);
    if (ops->size() != 2) {
      return usage_fail(
          "--normalize per-op needs the operation counts of BASE and NEW: --ops BASE,NEW or "
          "--bench-output BASE.txt,NEW.txt (go test -bench output)");
    }
    table.base_ops = (*ops)[0];
    table.new_ops = (*ops)[1];
  } else if (a.ops.given()) {
    return usage_fail("--ops and --bench-output go with --normalize per-op");
  }
  return kSettled;
}

// The differential graph, its two profiles loaded one at a time (NEW first,
// kept as its totals and paths) so that a diff of two large files holds one
// of them at a time: the same graph and errors as the table's path with
// write_diff_graph.
int run_diff_graph(const DiffArgs& a, const fold::Selection& selection, diff::Widths widths, io::Format format) {
  diff::GraphOptions options{.widths = widths};
  diff::OneAtATime staged(selection, widths);
  int settled = kSettled;
  Status loaded = load::load_each(a.base, a.next, a.load, [&](load::Loaded&& l, int which) -> Status {
    if (which == 1) {
      staged.add_new(l.profile, base_name(a.next));
      // NEW's tree built while BASE loads, under the budget settle will set (if it can be set).
      diff::GraphOptions early = options;
      if (set_graph_budget(a.graph, &early)) staged.prebuild(early, load::graph_threads(a.load));
      return Ok{};
    }
    if (!a.own_code.empty()) {  // as diff_tables checks it
      if (auto re = compile_regex(a.own_code); !re) {
        return Error{fmt::format("parsing own-code regexp: {}", re.error().message)};
      }
    }
    return staged.add_base(
        std::move(l.profile), base_name(a.base),
        [&](diff::DiffTable& table) -> Status {
          settled = settle(a, table, &options);
          if (settled != kSettled) return Error{""};
          return set_graph_budget(a.graph, &options);  // (its error is the graph's, after the table's)
        },
        options);
  });
  if (settled != kSettled) return settled;
  if (!loaded) return fail(loaded.error().message);
  auto graph = staged.build(options, base_name(a.base), base_name(a.next));
  if (!graph) return fail(graph.error().message);
  const std::string widths_from = widths == diff::Widths::kNew    ? a.next
                                  : widths == diff::Widths::kBase ? a.base
                                                                  : a.base + " and " + a.next;
  auto data = render_built_graph(a.graph, std::move(*graph), staged.table(), format,
                                 {widths_from, selection.filters.any()});
  if (!data) return fail(data.error().message);
  if (Status s = io::write_output(a.output, *data); !s) return fail(s.error().message);
  if (a.output != "-") fmt::print("{}\n", a.output);
  return kExitOk;
}

int run_diff(const DiffArgs& a) {
  auto format = io::output_format("diff", a.output, a.format);
  if (!format) return usage_fail(format.error().message);
  if (*format == io::Format::kHtml) {  // the diff page (cmd_web.cc): rows per function, every row
    if (a.by == "stack" || a.ops.given() || a.rows > 0) {
      return usage_fail("the diff page (-o x.html) has no --by stack, --ops, --bench-output or -n yet");
    }
    return write_diff_page({.base = a.base, .next = a.next, .output = a.output, .format = *format, .load = a.load,
                            .report = a.report, .normalize = a.normalize, .width = a.graph.width == "new" ? "" : a.graph.width,
                            .color_by = a.graph.color_by, .cum = a.cum, .inverted = a.graph.inverted});
  }
  const bool graph = *format == io::Format::kSvg || *format == io::Format::kPng;
  if (graph && a.output.empty()) return fail("a graph needs -o FILE.svg or FILE.png (or -o - with --format)");
  auto widths = diff::parse_widths(a.graph.width);
  if (!widths) return fail(widths.error().message);

  auto selection = to_selection(a.report, kMeanInDiff);
  if (!selection) return fail(selection.error().message);
  if (graph) return run_diff_graph(a, *selection, *widths, *format);
  auto pair = load::load_pair(a.base, a.next, a.load);  // decoded at once when both are files
  if (!pair) return fail(pair.error().message);
  load::Loaded* base = &pair->first;
  load::Loaded* next = &pair->second;
  // Goroutine (and threadcreate) profiles compare by groups of stacks unless --by function: their
  // shared runtime leaf would head the table.
  bool by_stack = a.by == "stack";
  if (a.by.empty()) {
    auto index = diff::sample_index_for(next->profile, selection->sample_index);
    by_stack = index && diff::by_stack_by_default(next->profile.str(next->profile.sample_types[*index].type));
  }
  auto table = diff::diff_tables(base->profile, next->profile, *selection,
                                 {.with_edges = false,
                                  .by_stack = by_stack,
                                  .own_code = a.own_code,
                                  .threads = load::graph_threads(a.load)});
  if (!table) return fail(table.error().message);
  diff::GraphOptions settled;
  if (int rc = settle(a, *table, &settled); rc != kSettled) return rc;
  report::DiffReport r = report::make_diff_report(std::move(*table), settled.normalize, a.cum, a.rows);
  r.base_name = base->input.name;
  r.new_name = next->input.name;
  const bool to_stdout = a.output.empty() || a.output == "-";  // colour only the terminal's copy
  const std::string text = *format == io::Format::kMarkdown ? report::format_diff_markdown(r)
                           : *format == io::Format::kJson
                               ? report::format_diff_json(r)
                               : report::format_diff_text(r, to_stdout && use_color(a.color));
  if (Status s = io::write_output(a.output.empty() ? "-" : a.output, text); !s) return fail(s.error().message);
  return kExitOk;
}

}  // namespace

Runner add_diff_command(CLI::App& app) {
  auto a = std::make_shared<DiffArgs>();
  CLI::App* cmd = app.add_subcommand(
      "diff",
      "Compare NEW with BASE: a table of what changed per function, or a differential flame graph.\n"
      "Table: flat and cum before/after, change, change of share (points), relative change; rows marked when the\n"
      "change is within sampling noise (3 standard errors of a difference of shares). Graph (-o x.svg|x.png):\n"
      "widths from NEW (--width), colour by the change of each frame's self share (--color-by): red grew,\n"
      "blue shrank, saturation by size, grey within noise. CPU profiles compare by share of the total by\n"
      "default (profiles of different lengths compare), heap/goroutine/mutex/block by absolute value.");
  cmd->add_option("base", a->base, "The baseline profile")->required();
  cmd->add_option("new", a->next, "The profile to compare with it")->required();
  cmd->add_option("-o,--output", a->output,
                  "Output file; .svg/.png give the graph, .md/.json the table, .html the diff page (pprofx web BASE NEW) "
                  "(default: table on stdout)");
  cmd->add_option("--format", a->format, "text, markdown, json, svg, png or html");
  add_load_options(*cmd, a->load);
  add_report_options(*cmd, a->report, a->load);
  add_color_option(*cmd, a->color);
  cmd->add_option("--normalize", a->normalize,
                  "share, absolute, per-second or per-op (default: per-op with --ops or --bench-output, else share "
                  "for CPU, else absolute)");
  add_ops_options(*cmd, a->ops, "BASE,NEW: the operations each profile ran, for --normalize per-op",
                  "BASE.txt,NEW.txt: go test -bench output of each run (its N), for --normalize per-op");
  cmd->add_option("-n,--nodecount", a->rows, "Show at most this many rows");
  cmd->add_flag("--cum", a->cum, "Sort by the change of cum instead of flat");
  cmd->add_option("--width", a->graph.width, "Graph widths from base, new or sum")->capture_default_str();
  cmd->add_option("--color-by", a->graph.color_by,
                  "Colour by the change of self or total share (default: total for goroutine profiles, else self)");
  cmd->add_option("--by", a->by,
                  "Table rows per function, or per group of stacks named by their deepest frame of the project's "
                  "own code and their outermost one (a goroutine's creation); default: stack for goroutine and "
                  "threadcreate profiles, else function")
      ->check(CLI::IsMember({"function", "stack"}));
  cmd->add_option("--own-code", a->own_code, "With --by stack: regex of the project's functions (name or file)");
  cmd->add_option("--title", a->graph.title, "Graph title");
  cmd->add_option("--subtitle", a->graph.subtitle, "Graph subtitle (default: what widths and colours mean)");
  cmd->add_option("--minwidth", a->graph.min_width, "Omit frames narrower than this (px, or % with a % sign)")
      ->capture_default_str();
  cmd->add_option("--max-frames", a->graph.max_frames, "Frame budget of the graph")->capture_default_str();
  cmd->add_option("--image-width", a->graph.image_width, "Graph width in px")->capture_default_str();
  cmd->add_flag("--inverted", a->graph.inverted, "Icicle graph");
  return [a] { return run_diff(*a); };
}

}  // namespace pprofx::cli
