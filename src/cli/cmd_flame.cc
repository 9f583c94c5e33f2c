#include <fmt/format.h>
#include <re2/re2.h>

#include <memory>

#include "commands.h"
#include "options_common.h"
#include "pprofx/base/strings.h"
#include "pprofx/io/input.h"
#include "pprofx/io/output.h"
#include "pprofx/model/units.h"
#include "pprofx/render/flame.h"
#include "pprofx/render/text.h"
#include "stacks_input.h"

namespace pprofx::cli {
namespace {

// Folded stacks streamed to the output (they run to gigabytes for deep profiles).
int write_folded_to(const std::string& path, const fold::StackTrie& trie) {
  return write_streamed(path, [&trie](const Sink& sink) { fold::write_folded(trie, sink); });
}

struct FlameArgs {
  std::vector<std::string> files;
  std::string output;
  std::string format;
  LoadOptions load;
  ReportArgs report;
  std::string title, subtitle;
  double width = 1200, row_height = 16, font_size = 12, scale = 1;
  std::string min_width = "0.1";
  size_t max_frames = 20000;
  bool inverted = false, reverse = false;
  std::string sort = "name";
  std::string palette = "hot";
  std::string focus_function;  // the sandwich view
};

// A pivot for the frames whose name matches regex (RE2, partial match, as
// pprof's --focus).
Result<std::shared_ptr<fold::Pivot>> make_pivot(const std::string& regex, bool callers) {
  RE2::Options ro;
  ro.set_log_errors(false);
  auto re = std::make_shared<RE2>(regex, ro);
  if (!re->ok()) return Error{fmt::format("--focus-function: parsing regexp {}: {}", regex, re->error())};
  auto pivot = std::make_shared<fold::Pivot>();
  pivot->matches = [re](std::string_view name) { return RE2::PartialMatch(name, *re); };
  pivot->callers = callers;
  return pivot;
}

// "cpu.pb.gz" -> "cpu", "/tmp/x.pprof" -> "x", "-" -> "stdin".
std::string stem_of(const std::string& path) {
  if (path == "-") return "stdin";
  std::string s = base_name(path);
  for (bool changed = true; changed;) {
    changed = false;
    for (std::string_view ext : {".gz", ".pb", ".pprof", ".prof", ".proto", ".folded", ".txt", ".collapsed"}) {
      if (s.size() > ext.size() && ends_with(s, ext)) {
        s.resize(s.size() - ext.size());
        changed = true;
      }
    }
  }
  return s;
}

std::string format_from(const std::string& output, const std::string& format) {
  if (!format.empty()) return format;
  if (ends_with(output, ".png")) return "png";
  if (ends_with(output, ".folded") || ends_with(output, ".txt") || ends_with(output, ".collapsed")) return "folded";
  return "svg";
}

std::string default_subtitle(const StacksInput& in, const render::FlameStyle& style) {
  const std::string total = render::format_value(in.trie.total(), style);
  std::string s = model::is_known_unit(in.unit) ? fmt::format("{}: {} {}", base_name(in.name), in.type, total)
                                                : fmt::format("{}: {}", base_name(in.name), total);
  if (in.duration_nanos > 0) s += fmt::format(" in {}", model::scaled_label(in.duration_nanos, "nanoseconds", "auto"));
  return s;
}

std::string pruning_note(const StacksInput& in, const render::Layout& l, const render::FlameStyle& style) {
  std::string note;
  if (l.pruned_frames > 0) {
    const double total = static_cast<double>(std::max<int64_t>(1, l.total));
    note = fmt::format("{} {} narrower than {} ({:.2g}% of the total) not drawn, with their callees: "
                       "{:.1f}% of the total ({})",
                       render::group_thousands(static_cast<int64_t>(l.pruned_frames)),
                       l.pruned_frames == 1 ? "frame" : "frames",
                       render::format_value(l.threshold, style), 100.0 * static_cast<double>(l.threshold) / total,
                       100.0 * static_cast<double>(l.pruned_value) / total,
                       l.budget_applied ? "frame budget: see --max-frames" : "see --minwidth");
  }
  if (in.trie.negative_stacks > 0) {
    if (!note.empty()) note += "; ";
    note += fmt::format("{} stacks with negative values ({}) not drawn",
                        render::group_thousands(static_cast<int64_t>(in.trie.negative_stacks)),
                        render::format_value(in.trie.negative_total, style));
  }
  return note;
}

// The function the sandwich is about: the one name the callees' roots have,
// else the regex.
std::string pivot_name(const fold::StackTrie& callees, const std::string& regex) {
  const fold::NodeId first = callees.nodes[fold::kRootNode].first_child;
  if (first != fold::kNoNode && callees.nodes[first].next_sibling == fold::kNoNode) {
    return std::string(callees.name(callees.nodes[first]));
  }
  return "functions matching " + regex;
}

int write_image(const std::string& path, const std::string& format, const render::Frame& frame,
                const render::FlameStyle& style) {
  std::string data;
  if (format == "svg") {
    data = render::render_svg(frame, style);
  } else {
    auto png = render::render_png(frame, style);
    if (!png) return fail(png.error().message);
    data = std::move(*png);
  }
  if (Status s = io::write_output(path, data); !s) return fail(s.error().message);
  if (path != "-") fmt::print("{}\n", path);
  return kExitOk;
}

// flame --focus-function F: callers of F above, callees below.
int run_sandwich(const FlameArgs& a, const std::string& format, const std::string& path, render::LayoutOptions lo,
                 double min_fraction, render::FlameStyle style) {
  if (format == "folded") {
    return fail("--focus-function draws two graphs; for folded stacks use pprofx fold --focus-function F "
                "(callees) and add --callers for the callers");
  }
  if (a.reverse || a.inverted) return fail("--focus-function is a view of its own: drop --reverse and --inverted");
  auto callers_pivot = make_pivot(a.focus_function, true);
  if (!callers_pivot) return fail(callers_pivot.error().message);
  auto callees_pivot = make_pivot(a.focus_function, false);
  auto in = load_input(a.files, a.load, false);
  if (!in) return fail(in.error().message);
  if (Status s = refuse_details_for_folded(*in, a.report, true); !s) return fail(s.error().message);
  lo.frame_budget = lo.frame_budget / 2;  // shared by the two graphs
  StacksInput callers, callees;
  for (auto [pivot, out] : {std::pair{callers_pivot->get(), &callers}, std::pair{callees_pivot->get(), &callees}}) {
    fold::TrieOptions shape;
    shape.min_fraction = min_fraction;
    shape.pivot = pivot;
    shape.frame_budget = lo.frame_budget;
    fold::ValueChoice value;
    auto trie = fold_profile(*in->profile, in->name, a.report, nullptr, shape, &value);
    if (!trie) return fail(trie.error().message);
    out->trie = std::move(*trie);
    out->name = in->name;
    out->type = value.type;
    out->unit = value.unit;
    out->duration_nanos = in->profile->duration_nanos;
  }
  if (callees.trie.total() <= 0) {
    return fail(fmt::format("{}: no stack has a frame matching --focus-function {}", in->name, a.focus_function));
  }
  const render::Layout up = render::layout(callers.trie, lo);
  const render::Layout down = render::layout(callees.trie, lo);
  style.unit = callees.unit;
  style.value_name = callees.type;
  const std::string name = pivot_name(callees.trie, a.focus_function);
  style.title = !a.title.empty() ? a.title : "Sandwich: " + name;
  style.subtitle = !a.subtitle.empty() ? a.subtitle
                                       : default_subtitle(callees, style) + " on stacks with it; callers above, callees below";
  std::string note = pruning_note(callers, up, style);
  if (std::string n = pruning_note(callees, down, style); !n.empty()) note += (note.empty() ? "" : "; ") + n;
  style.note = note;
  return write_image(path, format, render::sandwich_geometry(callers.trie, up, callees.trie, down, style), style);
}

int run_flame(const FlameArgs& a) {
  const std::string output = a.output.empty() ? "" : a.output;
  const std::string format = format_from(output, a.format);
  if (format != "svg" && format != "png" && format != "folded") {
    return fail(fmt::format("unknown format \"{}\" (svg, png or folded)", format));
  }
  auto palette = render::parse_palette(a.palette);
  if (!palette) return fail(palette.error().message);
  if (a.sort != "name" && a.sort != "size") return fail(fmt::format("unknown --sort \"{}\" (name or size)", a.sort));
  if (!(a.width >= 100 && a.width <= 100000) || !(a.row_height >= 4 && a.row_height <= 100) ||
      !(a.font_size >= 4 && a.font_size <= 100) || !(a.scale > 0 && a.scale <= 8)) {
    return fail("--width must be 100-100000, --height 4-100, --font-size 4-100, --scale up to 8");
  }
  render::LayoutOptions lo;
  lo.width_px = a.width;
  lo.frame_budget = a.max_frames;
  lo.sort = a.sort == "size" ? render::SortOrder::kSize : render::SortOrder::kName;
  if (Status s = parse_min_width(a.min_width, &lo.min_width, &lo.min_width_percent); !s) return fail(s.error().message);

  // Folded output needs every stack; a graph only what is at least min_width wide.
  const double min_fraction =
      format == "folded" ? 0 : lo.min_width_percent ? lo.min_width / 100 : lo.min_width / lo.width_px;
  const std::string path = !output.empty() ? output : stem_of(a.files.front()) + "." + (format == "folded" ? "folded" : format);
  render::FlameStyle style;
  style.width = a.width;
  style.row_height = a.row_height;
  style.font_size = a.font_size;
  style.scale = a.scale;
  style.inverted = a.inverted;
  style.palette = *palette;
  if (!a.focus_function.empty()) return run_sandwich(a, format, path, lo, min_fraction, style);

  auto in = load_stacks(a.files, a.load, a.report, a.reverse, min_fraction, format == "folded" ? 0 : lo.frame_budget);
  if (!in) return fail(in.error().message);

  if (format == "folded") {
    if (int rc = write_folded_to(path, in->trie); rc != kExitOk) return rc;
    if (path != "-") fmt::print("{}\n", path);
    return kExitOk;
  }
  style.unit = in->unit;
  style.value_name = in->folded ? "samples" : in->type;
  style.title = !a.title.empty() ? a.title : a.inverted ? "Icicle Graph" : "Flame Graph";
  if (a.reverse && a.title.empty()) style.title += " (reversed: callers of each leaf)";
  const render::Layout layout = render::layout(in->trie, lo);
  style.subtitle = !a.subtitle.empty() ? a.subtitle : default_subtitle(*in, style);
  style.note = pruning_note(*in, layout, style);
  return write_image(path, format, render::frame_geometry(in->trie, layout, style), style);
}

}  // namespace

Runner add_flame_command(CLI::App& app) {
  auto a = std::make_shared<FlameArgs>();
  CLI::App* cmd = app.add_subcommand(
      "flame", "Flame graph (interactive SVG, PNG, or folded stacks) of a pprof profile or of folded stacks");
  cmd->add_option("profiles", a->files,
                  "pprof profiles (gzip or raw; several are merged), or one folded-stacks file \"a;b;c 42\"; - for stdin")
      ->required();
  cmd->add_option("-o,--output", a->output,
                  "Output file; its extension picks the format (.svg, .png, .folded/.txt); - for stdout "
                  "(default: PROFILE-stem.svg in the current directory)");
  cmd->add_option("--format", a->format, "svg, png or folded (overrides the extension)");
  add_load_options(*cmd, a->load);
  add_report_options(*cmd, a->report);
  cmd->add_option("--title", a->title, "Title (default: Flame Graph / Icicle Graph)");
  cmd->add_option("--subtitle", a->subtitle, "Subtitle (default: file, sample type, total, duration)");
  cmd->add_option("--width", a->width, "Image width in px")->capture_default_str();
  cmd->add_option("--height", a->row_height, "Height of one stack level in px")->capture_default_str();
  cmd->add_option("--font-size", a->font_size, "Font size in px")->capture_default_str();
  cmd->add_option("--minwidth", a->min_width, "Omit frames narrower than this: px, or % of the total with a % sign")
      ->capture_default_str();
  cmd->add_option("--max-frames", a->max_frames,
                  "Frame budget: raise the min width until at most this many frames remain (0: no limit)")
      ->capture_default_str();
  cmd->add_flag("--inverted,-i", a->inverted, "Icicle graph: the root at the top");
  cmd->add_flag("--reverse", a->reverse, "Reverse stacks (leaf first): who calls the hot functions");
  cmd->add_option("--sort", a->sort, "Order of siblings: name (as flamegraph.pl) or size")->capture_default_str();
  cmd->add_option("--colors,--palette", a->palette,
                  "hot, mem, io, red, green, blue, aqua, yellow, purple, orange, java, js, perl, "
                  "or lang (one hue per package/namespace)")
      ->capture_default_str();
  cmd->add_option("--scale", a->scale, "PNG only: pixels per px (2 for hi-dpi screens)")->capture_default_str();
  cmd->add_option("--focus-function", a->focus_function,
                  "Sandwich view of the functions matching this regex: their callers above (the function at the "
                  "bottom), their callees below (the function at the top), on the stacks that hold it");
  return [a] { return run_flame(*a); };
}

Runner add_fold_command(CLI::App& app) {
  struct Args {
    std::vector<std::string> files;
    std::string output = "-";
    LoadOptions load;
    ReportArgs report;
    bool reverse = false;
    std::string focus_function;
    bool callers = false;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "fold", "Folded stacks (\"root;...;leaf value\" per line), as flamegraph.pl and inferno read them");
  cmd->add_option("profiles", a->files, "pprof profiles (several are merged), or one folded-stacks file; - for stdin")
      ->required();
  cmd->add_option("-o,--output", a->output, "Output file (default: stdout)")->capture_default_str();
  add_load_options(*cmd, a->load);
  add_report_options(*cmd, a->report);
  cmd->add_flag("--reverse", a->reverse, "Reverse stacks (leaf first)");
  cmd->add_option("--focus-function", a->focus_function,
                  "Only stacks through the functions matching this regex, cut at the outermost one: from it to the "
                  "leaf (the lower half of flame --focus-function)");
  cmd->add_flag("--callers", a->callers,
                "With --focus-function: from the function back to the root instead (the upper half)");
  return [a] {
    std::shared_ptr<fold::Pivot> pivot;
    if (!a->focus_function.empty()) {
      auto p = make_pivot(a->focus_function, a->callers);
      if (!p) return fail(p.error().message);
      pivot = *p;
    } else if (a->callers) {
      return fail("--callers goes with --focus-function");
    }
    auto in = load_input(a->files, a->load, a->reverse);
    if (!in) return fail(in.error().message);
    if (Status s = refuse_details_for_folded(*in, a->report, pivot != nullptr); !s) return fail(s.error().message);
    uint64_t negative = 0;
    int rc = kExitOk;
    if (in->folded) {
      negative = in->folded->negative_stacks;
      rc = write_folded_to(a->output, *in->folded);
    } else {
      fold::TrieOptions shape;
      shape.reverse = a->reverse;
      shape.pivot = pivot.get();
      auto prepared = prepare_fold(*in->profile, in->name, a->report, nullptr, shape);
      if (!prepared) return fail(prepared.error().message);
      // Straight from the samples, no call tree: deep profiles' folded text runs to gigabytes.
      rc = write_streamed(a->output, [&](const Sink& sink) {
        negative = fold::write_folded(prepared->view, prepared->options, sink).negative_stacks;
      });
    }
    if (rc == kExitOk && negative > 0) {
      fmt::print(stderr, "pprofx: warning: {}: {} stacks with negative values left out (folded counts have no sign)\n",
                 in->name, negative);
    }
    return rc;
  };
}

}  // namespace pprofx::cli
