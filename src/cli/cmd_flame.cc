#include <fmt/format.h>

#include <memory>

#include "commands.h"
#include "options_common.h"
#include "pprofx/base/strings.h"
#include "pprofx/fold/prepare.h"
#include "pprofx/io/formats.h"
#include "pprofx/load/load.h"
#include "pprofx/render/flame.h"
#include "pprofx/render/notes.h"

namespace pprofx::cli {
namespace {

// Folded stacks streamed to the output (they run to gigabytes for deep profiles).
int write_folded_to(const std::string& path, const fold::StackTrie& trie) {
  return write_streamed(path, [&trie](const ByteSink& sink) { fold::write_folded(trie, sink); });
}

struct FlameArgs {
  std::vector<std::string> files;
  std::string output;
  std::string format;
  load::Options load;
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

// -o, else a name in the current directory: the input's file name (see
// io::default_output_path), or for a URL the name --save gives the profile.
std::string output_path(const FlameArgs& a, const std::string& save_prefix, const std::string& saved_path,
                        io::Format format) {
  if (!a.output.empty()) return a.output;
  if (!save_prefix.empty()) return io::fetched_output_path(save_prefix, saved_path, format);
  return io::default_output_path(a.files.front(), format);
}

// flame --focus-function F: callers of F above, callees below.
int run_sandwich(const FlameArgs& a, io::Format format, render::LayoutOptions lo, double min_fraction,
                 render::FlameStyle style) {
  if (format == io::Format::kFolded) {
    return fail("--focus-function draws two graphs; for folded stacks use pprofx fold --focus-function F "
                "(callees) and add --callers for the callers");
  }
  if (a.reverse || a.inverted) return fail("--focus-function is a view of its own: drop --reverse and --inverted");
  auto selection = to_selection(a.report, kMeanInGraph);
  if (!selection) return fail(selection.error().message);
  auto callers_pivot = fold::make_pivot(a.focus_function, true);
  if (!callers_pivot) return fail(callers_pivot.error().message);
  auto callees_pivot = fold::make_pivot(a.focus_function, false);
  auto in = load::load_input(a.files, a.load, false);
  if (!in) return fail(in.error().message);
  if (Status s = load::refuse_details_for_folded(*in, *selection, true); !s) return fail(s.error().message);
  if (in->profile->samples.empty()) {
    return fail(fmt::format("{}: no samples, so no stack has a frame matching --focus-function {}", in->name,
                            a.focus_function));
  }
  const std::string path = output_path(a, in->save_prefix, in->saved_path, format);
  lo.frame_budget = lo.frame_budget / 2;  // shared by the two graphs
  std::vector<fold::FoldedProfile> halves;  // callers, callees
  for (const fold::Pivot* pivot : {callers_pivot->get(), callees_pivot->get()}) {
    auto half = fold::fold_profile(*in->profile, in->name, *selection,
                                   {.min_fraction = min_fraction, .pivot = pivot, .frame_budget = lo.frame_budget});
    if (!half) return fail(half.error().message);
    print_warnings(half->warnings);
    halves.push_back(std::move(*half));
  }
  const fold::StackTrie& callers = halves[0].trie;
  const fold::StackTrie& callees = halves[1].trie;
  if (callees.total() <= 0) {
    return fail(fmt::format("{}: no stack has a frame matching --focus-function {}", in->name, a.focus_function));
  }
  const render::Layout up = render::layout(callers, lo);
  const render::Layout down = render::layout(callees, lo);
  style.unit = halves[1].value.unit;
  style.value_name = halves[1].value.type;
  style.title = !a.title.empty() ? a.title : "Sandwich: " + render::pivot_name(callees, a.focus_function);
  const std::string about =
      render::flame_subtitle(in->name, style.value_name, style.unit, callees.total(), in->profile->duration_nanos, style);
  style.subtitle = !a.subtitle.empty() ? a.subtitle : about + " on stacks with it; callers above, callees below";
  style.document_title = about + " \u2014 " + style.title;
  std::string note = render::pruning_note(callers, up, style);
  if (std::string n = render::pruning_note(callees, down, style); !n.empty()) note += (note.empty() ? "" : "; ") + n;
  style.note = note;
  return write_image(path, format, render::sandwich_geometry(callers, up, callees, down, style), style);
}

int run_flame(const FlameArgs& a) {
  auto format = io::output_format("flame", a.output, a.format);
  if (!format) return usage_fail(format.error().message);
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
  const bool folded = *format == io::Format::kFolded;
  const double min_fraction = folded ? 0 : lo.min_width_percent ? lo.min_width / 100 : lo.min_width / lo.width_px;
  render::FlameStyle style;
  style.width = a.width;
  style.row_height = a.row_height;
  style.font_size = a.font_size;
  style.scale = a.scale;
  style.inverted = a.inverted;
  style.palette = *palette;
  if (!a.focus_function.empty()) return run_sandwich(a, *format, lo, min_fraction, style);

  auto selection = to_selection(a.report, kMeanInGraph);
  if (!selection) return fail(selection.error().message);
  auto in = load::load_stacks(
      a.files, a.load, *selection,
      {.reverse = a.reverse, .min_fraction = min_fraction, .frame_budget = folded ? 0 : lo.frame_budget});
  if (!in) return fail(in.error().message);
  const std::string path = output_path(a, in->save_prefix, in->saved_path, *format);
  // Nothing to draw (no samples, all 0, or none left by the filters): said once, and in the graph.
  const bool empty = in->trie.total() == 0 && in->trie.negative_stacks == 0;
  if (empty) print_warnings({render::no_samples_note(in->name, selection->filters.any())});

  if (folded) {
    if (int rc = write_folded_to(path, in->trie); rc != kExitOk) return rc;
    if (path != "-") fmt::print("{}\n", path);
    return kExitOk;
  }
  style.unit = in->unit;
  style.value_name = in->folded ? "samples" : in->type;
  style.title = !a.title.empty() ? a.title : a.inverted ? "Icicle Graph" : "Flame Graph";
  if (a.reverse && a.title.empty()) style.title += " (reversed: callers of each leaf)";
  const render::Layout layout = render::layout(in->trie, lo);
  const std::string about =
      render::flame_subtitle(in->name, in->type, in->unit, in->trie.total(), in->duration_nanos, style);
  style.subtitle = !a.subtitle.empty() ? a.subtitle : about;
  style.document_title = about + " \u2014 " + style.title;  // the file and type, whatever --subtitle says
  style.note = empty ? render::no_samples_note(base_name(in->name), selection->filters.any())
                     : render::pruning_note(in->trie, layout, style);
  return write_image(path, *format, render::frame_geometry(in->trie, layout, style), style);
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
                  "(default: PROFILE-stem.svg in the current directory; for a URL, the name --save gives the "
                  "profile: pprof.BINARY.TYPES.NNN.svg)");
  cmd->add_option("--format", a->format, "svg, png or folded (overrides the extension)");
  add_load_options(*cmd, a->load);
  add_report_options(*cmd, a->report, a->load);
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
    load::Options load;
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
  add_report_options(*cmd, a->report, a->load);
  cmd->add_flag("--reverse", a->reverse, "Reverse stacks (leaf first)");
  cmd->add_option("--focus-function", a->focus_function,
                  "Only stacks through the functions matching this regex, cut at the outermost one: from it to the "
                  "leaf (the lower half of flame --focus-function)");
  cmd->add_flag("--callers", a->callers,
                "With --focus-function: from the function back to the root instead (the upper half)");
  return [a] {
    if (!a->output.empty() && a->output != "-") {
      if (auto format = io::output_format("fold", a->output, ""); !format) return usage_fail(format.error().message);
    }
    std::shared_ptr<fold::Pivot> pivot;
    if (!a->focus_function.empty()) {
      auto p = fold::make_pivot(a->focus_function, a->callers);
      if (!p) return fail(p.error().message);
      pivot = *p;
    } else if (a->callers) {
      return fail("--callers goes with --focus-function");
    }
    auto selection = to_selection(a->report, kMeanInGraph);
    if (!selection) return fail(selection.error().message);
    auto in = load::load_input(a->files, a->load, a->reverse);
    if (!in) return fail(in.error().message);
    if (Status s = load::refuse_details_for_folded(*in, *selection, pivot != nullptr); !s) {
      return fail(s.error().message);
    }
    uint64_t negative = 0;
    int rc = kExitOk;
    if (in->folded) {
      negative = in->folded->negative_stacks;
      rc = write_folded_to(a->output, *in->folded);
    } else {
      auto prepared = fold::prepare_fold(*in->profile, in->name, *selection, {.reverse = a->reverse, .pivot = pivot.get()});
      if (!prepared) return fail(prepared.error().message);
      print_warnings(prepared->warnings);
      // Straight from the samples, no call tree: deep profiles' folded text runs to gigabytes.
      rc = write_streamed(a->output, [&](const ByteSink& sink) {
        negative = fold::write_folded(prepared->view, prepared->options, sink).negative_stacks;
      });
    }
    if (rc == kExitOk && negative > 0) {
      print_warnings({fmt::format("{}: {} stacks with negative values left out (folded counts have no sign)",
                                  in->name, negative)});
    }
    return rc;
  };
}

}  // namespace pprofx::cli
