// pprofx web: one self-contained HTML page to explore a profile (web/page.h).
#include <fmt/format.h>

#include <memory>

#include "commands.h"
#include "options_common.h"
#include "pprofx/base/strings.h"
#include "pprofx/diff/graph.h"
#include "pprofx/diff/tables.h"
#include "pprofx/fold/view.h"
#include "pprofx/io/formats.h"
#include "pprofx/io/output.h"
#include "pprofx/load/load.h"
#include "pprofx/web/page.h"

namespace pprofx::cli {
namespace {

struct WebArgs {
  std::vector<std::string> files;
  std::string output, format;
  load::Options load;
  ReportArgs report;
  size_t max_stacks = 250000;
  DiffPageArgs diff;  // BASE NEW: the diff page's opening state
};

// Percent-encoding for the URL-hash state (everything but unreserved characters).
std::string url_encoded(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// What the page cannot show yet is refused rather than silently dropped.
Status refuse_unsupported(const ReportArgs& r) {
  const fold::Filters& f = r.filters;
  const std::string g = r.granularity_flag.empty() ? r.granularity : r.granularity_flag;
  if (g != "functions" && g != "lines") return Error{"the page shows functions or lines (no --granularity " + g + " yet)"};
  if (r.mean || r.noinlines || f.relative_percentages || !f.prune_from.empty() || !f.tag_show.empty() ||
      !f.tag_hide.empty() || r.divide_by != 1) {
    return Error{"the page does not offer --mean, --noinlines, --relative-percentages, --prune-from, --tagshow, "
                 "--taghide or --divide-by yet"};
  }
  return Ok{};
}

// The flags as the page's opening state: its sample type and filters.
Result<std::string> initial_state(const model::Profile& p, const ReportArgs& r) {
  std::string out;
  auto add = [&](std::string_view key, const std::string& value) {
    if (value.empty()) return;
    out += fmt::format("{}{}={}", out.empty() ? "" : "&", key, url_encoded(value));
  };
  const std::string index = r.sample_index.empty() ? r.legacy_sample_index : r.sample_index;
  if (!index.empty()) {
    auto value = fold::choose_value(p, index, false);
    if (!value) return value.error();
    add("t", value->type);
  }
  if ((r.granularity_flag.empty() ? r.granularity : r.granularity_flag) == "lines") add("g", "lines");
  r.filters.for_each_named(add);  // tagshow/taghide are refused before (refuse_unsupported)
  return out;
}

// The diff page's types: NEW's, where BASE has a type of that name in the same unit.
std::vector<web::TypePair> type_pairs(const model::Profile& base, const model::Profile& next) {
  std::vector<web::TypePair> out;
  for (size_t i = 0; i < next.num_types(); ++i) {
    const std::string type(next.str(next.sample_types[i].type)), unit(next.str(next.sample_types[i].unit));
    auto b = fold::choose_value(base, type, false);
    if (!b || b->unit != unit) continue;
    diff::DiffTable kind;
    kind.type = type;
    kind.unit = unit;
    const bool by_stack = diff::by_stack_by_default(type);
    out.push_back({.type = type,
                   .unit = unit,
                   .base_index = b->index,
                   .new_index = i,
                   .base_count = diff::estimated_count(base, b->index),
                   .new_count = diff::estimated_count(next, i),
                   .normalize = std::string(diff::normalize_name(diff::default_normalize(kind))),
                   .color_by = by_stack ? "total" : "self",
                   .by_stack = by_stack});
  }
  return out;
}

}  // namespace

int write_diff_page(const DiffPageArgs& a) {
  if (Status s = refuse_unsupported(a.report); !s) return usage_fail(s.error().message);
  if ((a.report.granularity_flag.empty() ? a.report.granularity : a.report.granularity_flag) != "functions") {
    return usage_fail("the diff page compares functions only (no --granularity/--lines yet)");
  }
  if (a.normalize == "per-op") return usage_fail("the diff page does not compare per operation (--normalize per-op) yet");
  if (!a.normalize.empty()) {
    if (auto n = diff::parse_normalize(a.normalize); !n) return fail(n.error().message);
  }
  if (auto w = diff::parse_widths(a.width.empty() ? "new" : a.width); !w) return fail(w.error().message);
  if (!a.color_by.empty()) {
    if (auto c = diff::parse_color_by(a.color_by); !c) return fail(c.error().message);
  }
  auto selection = to_selection(a.report, kMeanInDiff);
  if (!selection) return fail(selection.error().message);
  auto pair = load::load_pair(a.base, a.next, a.load);
  if (!pair) return fail(pair.error().message);
  const model::Profile& base = pair->first.profile;
  const model::Profile& next = pair->second.profile;
  // The checks and messages of pprofx diff (types both have, filters that parse).
  diff::TableOptions totals;
  totals.totals_only = true;
  auto table = diff::diff_tables(base, next, *selection, totals);
  if (!table) return fail(table.error().message);
  std::string state;
  auto add = [&](std::string_view key, const std::string& value) {
    if (value.empty()) return;
    state += fmt::format("{}{}={}", state.empty() ? "" : "&", key, url_encoded(value));
  };
  if (!selection->sample_index.empty()) add("t", table->type);
  a.report.filters.for_each_named(add);
  add("norm", a.normalize);
  add("w", a.width == "new" ? "" : a.width);
  add("cb", a.color_by);
  if (a.cum) add("sort", "cum");
  if (a.inverted) add("inv", "1");
  web::DiffPageOptions o;
  o.data.base = {.name = pair->first.input.name,
                 .stack_budget = a.max_stacks,
                 .all_frames = a.report.filters.all_frames,
                 .lines = false};
  o.data.next = o.data.base;
  o.data.next.name = pair->second.input.name;
  o.data.pairs = type_pairs(base, next);
  const size_t default_index = fold::default_sample_index(next);
  for (size_t i = 0; i < o.data.pairs.size(); ++i) {
    if (o.data.pairs[i].new_index == default_index) o.data.default_pair = static_cast<int>(i);
  }
  const DiffGraphArgs graph_defaults;
  o.data.min_width_px = std::stod(graph_defaults.min_width);  // the SVG's default --minwidth 0.1 (px)
  o.data.image_width = graph_defaults.image_width;
  o.title = base_name(a.base) + " → " + base_name(a.next) + " — pprofx web";
  o.initial_state = state;
  auto text = a.format == io::Format::kJson ? web::diff_page_data(base, next, o.data) : web::diff_page_html(base, next, o);
  if (!text) return fail(text.error().message);
  if (Status s = io::write_output(a.output, *text); !s) return fail(s.error().message);
  if (a.output != "-") fmt::print("{}\n", a.output);
  return kExitOk;
}

namespace {

// NEW's default name with ".diff" before its extension: cpu.pb.gz -> cpu.diff.html.
std::string diff_output_path(const std::string& next, io::Format format) {
  std::string path = io::default_output_path(next, format);
  const size_t dot = path.rfind('.');
  return dot == std::string::npos ? path + ".diff" : path.substr(0, dot) + ".diff" + path.substr(dot);
}

int run_web(const WebArgs& a) {
  if (a.files.size() > 2) return usage_fail("web takes one profile, or two (BASE NEW) for a diff page; merge first with pprofx merge");
  auto format = io::output_format("web", a.output, a.format);
  if (!format) return usage_fail(format.error().message);
  const DiffPageArgs& d = a.diff;
  if (a.files.size() == 2) {
    DiffPageArgs page = d;
    page.base = a.files[0];
    page.next = a.files[1];
    page.output = a.output.empty() ? diff_output_path(a.files[1], *format) : a.output;
    page.format = *format;
    page.load = a.load;
    page.report = a.report;
    page.max_stacks = a.max_stacks;
    return write_diff_page(page);
  }
  if (!d.normalize.empty() || !d.width.empty() || !d.color_by.empty()) {
    return usage_fail("--normalize, --width and --color-by go with two profiles (web BASE NEW)");
  }
  if (Status s = refuse_unsupported(a.report); !s) return usage_fail(s.error().message);
  auto in = load::load_input(a.files, a.load, false);
  if (!in) return fail(in.error().message);
  if (in->folded) return fail(in->name + ": folded stacks have no functions or labels to refine; web reads pprof profiles");
  const model::Profile& p = *in->profile;
  if (std::string w = load::soft_problems(in->name, p); !w.empty()) print_warnings({w});
  // The filters given are checked as the CLI would (pprofx top's messages); the page applies them itself.
  if (a.report.filters.any()) {
    auto view = fold::build_view(p, a.report.filters);
    if (!view) return fail(fmt::format("{}: {}", in->name, view.error().message));
  }
  auto state = initial_state(p, a.report);
  if (!state) return fail(fmt::format("{}: {}", in->name, state.error().message));
  std::string path = a.output;
  if (path.empty()) {
    path = !in->save_prefix.empty() ? io::fetched_output_path(in->save_prefix, in->saved_path, *format)
                                    : io::default_output_path(a.files.front(), *format);
  }
  web::PageOptions o;
  o.data = {.name = in->name, .stack_budget = a.max_stacks, .all_frames = a.report.filters.all_frames};
  o.title = base_name(in->name) + " \u2014 pprofx web";
  o.initial_state = *state;
  auto text = *format == io::Format::kJson ? web::page_data(p, o.data) : web::page_html(p, o);
  if (!text) return fail(fmt::format("{}: {}", in->name, text.error().message));
  if (Status s = io::write_output(path, *text); !s) return fail(s.error().message);
  if (path != "-") fmt::print("{}\n", path);
  return kExitOk;
}

}  // namespace

Runner add_web_command(CLI::App& app) {
  auto a = std::make_shared<WebArgs>();
  CLI::App* cmd = app.add_subcommand(
      "web", "One self-contained HTML page to explore a profile (flame graph, top table, sandwich, labels, refine), or "
      "the change from BASE to NEW (differential flame graph, the table of pprofx diff)");
  cmd->add_option("profile", a->files, "A pprof profile (file, URL, or - for stdin); two (BASE NEW): a diff page")
      ->required();
  cmd->add_option("-o,--output", a->output,
                  "Output file: .html (the page) or .json (its data alone); - for stdout (default: PROFILE-stem.html "
                  "in the current directory; for a URL, the name --save gives the profile)");
  cmd->add_option("--format", a->format, "html or json (overrides the extension)");
  add_load_options(*cmd, a->load);
  add_report_options(*cmd, a->report, a->load);
  cmd->add_option("--max-stacks", a->max_stacks,
                  "Embed at most this many distinct stacks, the heaviest (0: all; per profile of a diff page); the "
                  "page says what was left out")
      ->capture_default_str();
  cmd->add_option("--normalize", a->diff.normalize,
                  "BASE NEW: share, absolute or per-second (default: pprofx diff's for the type)");
  cmd->add_option("--width", a->diff.width, "BASE NEW: the graph's widths from base, new or sum (default new)");
  cmd->add_option("--color-by", a->diff.color_by, "BASE NEW: colour by the change of self or total (default: diff's)");
  cmd->add_flag("--cum", a->diff.cum, "BASE NEW: sort the diff table by the change of cum");
  return [a] { return run_web(*a); };
}

}  // namespace pprofx::cli
