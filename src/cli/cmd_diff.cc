#include <fmt/format.h>

#include <cmath>

#include "commands.h"
#include "diff_graph.h"
#include "load.h"
#include "terminal.h"
#include "options_common.h"
#include "pprofx/base/strings.h"
#include "pprofx/fold/diff.h"
#include "pprofx/fold/stack_trie.h"
#include "pprofx/io/input.h"
#include "pprofx/io/output.h"
#include "pprofx/model/units.h"
#include "pprofx/render/flame.h"
#include "pprofx/report/diff_report.h"

namespace pprofx::cli {
namespace {

struct DiffArgs {
  std::string base, next, output, format;
  LoadOptions load;
  ReportArgs report;
  std::string normalize;
  size_t rows = 0;
  bool cum = false;
  DiffGraphArgs graph;
  ColorOption color;
};

std::string signed_value(double v, const std::string& unit) {
  return (v < 0 ? "-" : "+") + model::scaled_label(static_cast<int64_t>(std::llround(std::fabs(v))), unit, "auto");
}

// Colour by the change of a share, in points: red grew, blue shrank (scaled
// by the largest change), grey within the noise bound.
render::Rgb change_color(double delta, double max_delta, bool noise) {
  if (noise || max_delta <= 0 || delta == 0) return {210, 210, 210};
  const double t = std::min(1.0, std::fabs(delta) / max_delta);
  const auto fade = static_cast<uint8_t>(std::lround(220 * (1 - t)));
  return delta > 0 ? render::Rgb{255, fade, fade} : render::Rgb{fade, fade, 255};
}

}  // namespace

int write_diff_graph(const DiffGraphArgs& a, const ReportArgs& report_args, const std::string& base_path,
                     const std::string& new_path, const std::string& output, const fold::DiffTable& table,
                     report::Normalize normalize, const model::Profile& base, const model::Profile& next,
                     const std::string& format) {
  fold::DiffOptions o;
  if (Status s = to_diff_options(report_args, &o); !s) return fail(s.error().message);
  auto tries = [&](const model::Profile& p, const std::string& type) -> Result<fold::StackTrie> {
    auto value = fold::choose_value(p, type, false);
    if (!value) return value.error();
    auto view = fold::build_view(p, o.filters);
    if (!view) return view.error();
    return fold::build_trie(*view, {o.granularity, o.noinlines, *value, false, 0});
  };
  auto bt = tries(base, table.type);
  if (!bt) return fail(bt.error().message);
  auto nt = tries(next, table.type);
  if (!nt) return fail(nt.error().message);
  fold::MergedTrie m = fold::merge_tries(*bt, *nt);
  const int64_t base_all = bt->total(), new_all = nt->total();
  // BASE's values in NEW's scale, so widths compare and add up: by the totals
  // for shares, by the durations per second, as they are for absolute values.
  double base_scale = 1.0;
  if (normalize == report::Normalize::kShare && base_all > 0) {
    base_scale = static_cast<double>(new_all) / static_cast<double>(base_all);
  } else if (normalize == report::Normalize::kPerSecond && table.base_duration > 0 && table.new_duration > 0) {
    base_scale = static_cast<double>(table.new_duration) / static_cast<double>(table.base_duration);
  }
  const fold::DiffWidth width = a.width == "new"    ? fold::DiffWidth::kNew
                                : a.width == "base" ? fold::DiffWidth::kBase
                                                    : fold::DiffWidth::kSum;
  if (Status s = fold::set_diff_widths(m, width, base_scale); !s) return fail(s.error().message);
  m.trie.finish();

  const bool by_total = a.color_by == "total";
  auto share = [](int64_t v, int64_t all) { return all > 0 ? 100.0 * static_cast<double>(v) / static_cast<double>(all) : 0.0; };
  // The change each frame is coloured by: share points, or the value in NEW's
  // scale (absolute, per second), with the matching noise bound.
  std::vector<double> delta(m.trie.nodes.size());
  std::vector<uint8_t> noise(m.trie.nodes.size());
  double max_delta = 0;
  for (size_t i = 1; i < m.trie.nodes.size(); ++i) {
    const int64_t b = by_total ? m.base_total[i] : m.base_self[i], n = by_total ? m.new_total[i] : m.new_self[i];
    if (normalize == report::Normalize::kShare) {
      delta[i] = share(n, new_all) - share(b, base_all);
      noise[i] = std::fabs(delta[i]) <= report::share_noise_points(share(b, base_all), share(n, new_all),
                                                                   table.base_count, table.new_count);
    } else {
      delta[i] = static_cast<double>(n) - static_cast<double>(b) * base_scale;
      noise[i] = report::value_within_noise(b, n, table);
    }
    max_delta = std::max(max_delta, std::fabs(delta[i]));
  }
  render::FlameStyle style;
  style.width = a.image_width;
  style.inverted = a.inverted;
  style.unit = table.unit;
  style.value_name = table.type;
  style.node_colors.resize(m.trie.nodes.size());
  style.node_details.resize(m.trie.nodes.size());
  for (size_t i = 0; i < m.trie.nodes.size(); ++i) {
    style.node_colors[i] = i == 0 ? render::Rgb{200, 200, 200} : change_color(delta[i], max_delta, noise[i] != 0);
    auto line = [&](std::string_view what, int64_t bv, int64_t nv) {
      const double rel = bv != 0 ? 100.0 * static_cast<double>(nv - bv) / static_cast<double>(std::llabs(bv)) : 0;
      return fmt::format("{}: {} ({:.2f}%) -> {} ({:.2f}%): {} ({:+.2f} pt{})", what,
                         model::scaled_label(bv, table.unit, "auto"), share(bv, base_all),
                         model::scaled_label(nv, table.unit, "auto"), share(nv, new_all),
                         signed_value(static_cast<double>(nv - bv), table.unit), share(nv, new_all) - share(bv, base_all),
                         bv != 0 ? fmt::format(", {:+.0f}%", rel) : "");
    };
    std::string d = line("total", m.base_total[i], m.new_total[i]) + "\n" + line("self", m.base_self[i], m.new_self[i]);
    if (m.base_total[i] == 0 && i != 0) d += "\nonly in NEW";
    if (m.new_total[i] == 0 && i != 0) d += "\nonly in BASE";
    style.node_details[i] = d;
  }
  style.title = !a.title.empty() ? a.title : "Differential Flame Graph";
  style.subtitle = !a.subtitle.empty() ? a.subtitle
                   : fmt::format("{} -> {}: {}, widths from {}", base_name(base_path), base_name(new_path), table.type,
                                 a.width == "new" ? "NEW" : a.width == "base" ? "BASE" : "BASE + NEW");
  const std::string legend = fmt::format(
      "colour: change of {} {}: red grew, blue shrank, grey within noise", by_total ? "total" : "self",
      normalize == report::Normalize::kShare ? "share" : normalize == report::Normalize::kAbsolute ? "value" : "value per second");
  render::LayoutOptions lo;
  lo.width_px = a.image_width;
  lo.frame_budget = a.max_frames;
  if (Status s = parse_min_width(a.min_width, &lo.min_width, &lo.min_width_percent); !s) return fail(s.error().message);
  const render::Layout layout = render::layout(m.trie, lo);
  style.note = legend;
  if (layout.pruned_frames > 0) {
    style.note += fmt::format("; {} frames under {} not drawn", layout.pruned_frames,
                              render::format_value(layout.threshold, style));
  }
  std::string data;
  if (format == "png") {
    auto png = render::render_png(m.trie, layout, style);
    if (!png) return fail(png.error().message);
    data = std::move(*png);
  } else {
    data = render::render_svg(m.trie, layout, style);
  }
  if (Status s = io::write_output(output, data); !s) return fail(s.error().message);
  return kExitOk;
}

namespace {

int run_diff(const DiffArgs& a) {
  std::string format = a.format;
  if (format.empty()) {
    format = ends_with(a.output, ".svg") ? "svg" : ends_with(a.output, ".png") ? "png" : ends_with(a.output, ".md") ? "markdown"
             : ends_with(a.output, ".json") ? "json" : "text";
  }
  if (format != "text" && format != "markdown" && format != "json" && format != "svg" && format != "png") {
    return fail(fmt::format("unknown format \"{}\" (text, markdown, json, svg or png)", format));
  }
  if (a.graph.width != "new" && a.graph.width != "base" && a.graph.width != "sum") return fail("--width must be base, new or sum");
  if (a.graph.color_by != "self" && a.graph.color_by != "total") return fail("--color-by must be self or total");
  auto base = load_profile(a.base, a.load);
  if (!base) return fail(base.error().message);
  auto next = load_profile(a.next, a.load);
  if (!next) return fail(next.error().message);
  fold::DiffOptions o;
  if (Status s = to_diff_options(a.report, &o); !s) return fail(s.error().message);
  auto table = fold::diff_tables(base->profile, next->profile, o);
  if (!table) return fail(table.error().message);
  report::Normalize normalize = report::default_normalize(*table);
  if (!a.normalize.empty()) {
    auto n = report::parse_normalize(a.normalize);
    if (!n) return fail(n.error().message);
    normalize = *n;
  }
  if (format == "svg" || format == "png") {
    if (a.output.empty()) return fail("a graph needs -o FILE.svg or FILE.png (or -o - with --format)");
    const int rc = write_diff_graph(a.graph, a.report, a.base, a.next, a.output, *table, normalize, base->profile,
                                    next->profile, format);
    if (rc == kExitOk && a.output != "-") fmt::print("{}\n", a.output);
    return rc;
  }
  report::DiffReport r = report::make_diff_report(std::move(*table), normalize, a.cum, a.rows);
  r.base_name = base->input.name;
  r.new_name = next->input.name;
  const bool to_stdout = a.output.empty() || a.output == "-";  // colour only the terminal's copy
  const std::string text = format == "markdown" ? report::format_diff_markdown(r)
                           : format == "json"   ? report::format_diff_json(r)
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
  cmd->add_option("-o,--output", a->output, "Output file; .svg/.png give the graph, .md/.json the table (default: table on stdout)");
  cmd->add_option("--format", a->format, "text, markdown, json, svg or png");
  add_load_options(*cmd, a->load);
  add_report_options(*cmd, a->report);
  add_color_option(*cmd, a->color);
  cmd->add_option("--normalize", a->normalize, "share, absolute or per-second (default: share for CPU, else absolute)");
  cmd->add_option("-n,--nodecount", a->rows, "Show at most this many rows");
  cmd->add_flag("--cum", a->cum, "Sort by the change of cum instead of flat");
  cmd->add_option("--width", a->graph.width, "Graph widths from base, new or sum")->capture_default_str();
  cmd->add_option("--color-by", a->graph.color_by, "Colour by the change of self or total share")->capture_default_str();
  cmd->add_option("--title", a->graph.title, "Graph title");
  cmd->add_option("--subtitle", a->graph.subtitle, "Graph subtitle (default: what widths and colours mean)");
  cmd->add_option("--minwidth", a->graph.min_width, "Omit frames narrower than this (px, or % with a % sign)")->capture_default_str();
  cmd->add_option("--max-frames", a->graph.max_frames, "Frame budget of the graph")->capture_default_str();
  cmd->add_option("--image-width", a->graph.image_width, "Graph width in px")->capture_default_str();
  cmd->add_flag("--inverted", a->graph.inverted, "Icicle graph");
  return [a] { return run_diff(*a); };
}

}  // namespace pprofx::cli
