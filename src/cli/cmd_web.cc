// pprofx web: one self-contained HTML page to explore a profile (web/page.h).
#include <fmt/format.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
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
#include "pprofx/web/server.h"

namespace pprofx::cli {
namespace {

struct WebArgs {
  std::vector<std::string> files;
  std::string output, format;
  load::Options load;
  ReportArgs report;
  size_t max_stacks = 250000;
  DiffPageArgs diff;  // BASE NEW: the diff page's opening state
  std::string http;   // --http [HOST]:PORT: served there instead of written
  bool no_browser = false;
  std::vector<std::string> source_paths;  // --source-path: embed the sources found (the source view)
  std::string trim_path;
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


// The diff page (or its data): read, checked as pprofx diff checks, made.
Result<std::string> diff_page_text(const DiffPageArgs& a) {
  if (!a.normalize.empty()) {
    if (auto n = diff::parse_normalize(a.normalize); !n) return n.error();
  }
  if (auto w = diff::parse_widths(a.width.empty() ? "new" : a.width); !w) return w.error();
  if (!a.color_by.empty()) {
    if (auto c = diff::parse_color_by(a.color_by); !c) return c.error();
  }
  auto selection = to_selection(a.report, kMeanInDiff);
  if (!selection) return selection.error();
  auto pair = load::load_pair(a.base, a.next, a.load);
  if (!pair) return pair.error();
  return make_diff_page(a, pair->first, pair->second, *selection, std::nullopt);
}

}  // namespace

Result<std::string> make_diff_page(const DiffPageArgs& a, const load::Loaded& base_in, const load::Loaded& next_in,
                                   const fold::Selection& selection, std::optional<web::Verdict> verdict) {
  const model::Profile& base = base_in.profile;
  const model::Profile& next = next_in.profile;
  // The checks and messages of pprofx diff (types both have, filters that parse).
  diff::TableOptions totals;
  totals.totals_only = true;
  auto table = diff::diff_tables(base, next, selection, totals);
  if (!table) return table.error();
  std::string state;
  auto add = [&](std::string_view key, const std::string& value) {
    if (value.empty()) return;
    state += fmt::format("{}{}={}", state.empty() ? "" : "&", key, url_encoded(value));
  };
  if (!selection.sample_index.empty()) add("t", table->type);
  a.report.filters.for_each_named(add);
  add("norm", a.normalize);
  add("w", a.width == "new" ? "" : a.width);
  add("cb", a.color_by);
  if (a.cum) add("sort", "cum");
  if (a.inverted) add("inv", "1");
  web::DiffPageOptions o;
  o.data.base.name = base_in.input.name;
  o.data.base.stack_budget = a.max_stacks;
  o.data.base.all_frames = a.report.filters.all_frames;
  o.data.base.lines = false;
  o.data.base.threads = load::graph_threads(a.load);
  o.data.next = o.data.base;
  o.data.next.name = next_in.input.name;
  o.data.verdict = std::move(verdict);
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
  return a.format == io::Format::kJson ? web::diff_page_data(base, next, o.data) : web::diff_page_html(base, next, o);
}

// The diff page's usage errors (exit 2), before anything is read.
Status diff_page_usage(const DiffPageArgs& a) {
  if (Status s = refuse_unsupported(a.report); !s) return s;
  if ((a.report.granularity_flag.empty() ? a.report.granularity : a.report.granularity_flag) != "functions") {
    return Error{"the diff page compares functions only (no --granularity/--lines yet)"};
  }
  if (a.normalize == "per-op") return Error{"the diff page does not compare per operation (--normalize per-op) yet"};
  return Ok{};
}

namespace {

// Opens url in the desktop's browser (xdg-open, detached, with the signal mask
// serve() set cleared); false when there is no xdg-open.
bool open_browser(const std::string& url) {
  if (std::system("command -v xdg-open >/dev/null 2>&1") != 0) return false;
  const pid_t child = fork();
  if (child < 0) return false;
  if (child == 0) {
    if (fork() == 0) {  // a grandchild, so nothing waits on the browser
      sigset_t none;
      sigemptyset(&none);
      sigprocmask(SIG_SETMASK, &none, nullptr);
      const int null = open("/dev/null", O_RDWR);
      dup2(null, 1);
      dup2(null, 2);
      execlp("xdg-open", "xdg-open", url.c_str(), static_cast<char*>(nullptr));
    }
    _exit(0);
  }
  waitpid(child, nullptr, 0);
  return true;
}

// --http: the page made now (an error ends here, exit 1) and again for each request of it.
int serve_page(const std::string& address, bool browser, const std::function<Result<std::string>()>& make) {
  auto at = web::parse_address(address);
  if (!at) return usage_fail(at.error().message);
  auto first = make();
  if (!first) return fail(first.error().message);
  Status s = web::serve(*at, make, [&](const std::string& url) {
    fmt::print("Serving web UI on {}\n", url);
    std::fflush(stdout);
    if (browser && !open_browser(url)) print_warnings({"no browser to open (xdg-open): open " + url});
  });
  if (!s) return fail(s.error().message);
  return kExitOk;
}

}  // namespace

int write_diff_page(const DiffPageArgs& a) {
  if (Status s = diff_page_usage(a); !s) return usage_fail(s.error().message);
  if (!a.http.empty()) return serve_page(a.http, a.browser, [&] { return diff_page_text(a); });
  auto text = diff_page_text(a);
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

// The single-profile page (or its data); *path, when given, gets the default output path.
Result<std::string> single_page(const WebArgs& a, io::Format format, std::string* path) {
  auto in = load::load_input(a.files, a.load, false);
  if (!in) return in.error();
  if (in->folded) return Error{in->name + ": folded stacks have no functions or labels to refine; web reads pprof profiles"};
  const model::Profile& p = *in->profile;
  if (std::string w = load::soft_problems(in->name, p); !w.empty()) print_warnings({w});
  // The filters given are checked as the CLI would (pprofx top's messages); the page applies them itself.
  if (a.report.filters.any()) {
    auto view = fold::build_view(p, a.report.filters);
    if (!view) return Error{fmt::format("{}: {}", in->name, view.error().message)};
  }
  auto state = initial_state(p, a.report);
  if (!state) return Error{fmt::format("{}: {}", in->name, state.error().message)};
  if (path != nullptr && path->empty()) {
    *path = !in->save_prefix.empty() ? io::fetched_output_path(in->save_prefix, in->saved_path, format)
                                     : io::default_output_path(a.files.front(), format);
  }
  web::PageOptions o;
  o.data.name = in->name;
  o.data.stack_budget = a.max_stacks;
  o.data.all_frames = a.report.filters.all_frames;
  o.data.threads = load::graph_threads(a.load);
  if (!a.source_paths.empty() || !a.trim_path.empty()) {
    web::SourceOptions so;
    so.source_path = joined_source_path(a.source_paths);
    so.trim_path = a.trim_path;
    o.data.sources = so;
  }
  o.title = base_name(in->name) + " \u2014 pprofx web";
  o.initial_state = *state;
  auto text = format == io::Format::kJson ? web::page_data(p, o.data) : web::page_html(p, o);
  if (!text) return Error{fmt::format("{}: {}", in->name, text.error().message)};
  return text;
}

int run_web(const WebArgs& a) {
  if (a.files.size() > 2) return usage_fail("web takes one profile, or two (BASE NEW) for a diff page; merge first with pprofx merge");
  auto format = io::output_format("web", a.output, a.format);
  if (!format) return usage_fail(format.error().message);
  const DiffPageArgs& d = a.diff;
  if (a.files.size() == 2 && (!a.source_paths.empty() || !a.trim_path.empty())) {
    return usage_fail("--source-path and --trim-path go with one profile (the diff page has no source view yet)");
  }
  if (a.files.size() == 2) {
    if (!a.http.empty() && !a.output.empty()) return usage_fail("--http serves the page, -o writes it: give one");
    DiffPageArgs page = d;
    page.base = a.files[0];
    page.next = a.files[1];
    page.output = a.output.empty() ? diff_output_path(a.files[1], *format) : a.output;
    page.format = *format;
    page.load = a.load;
    page.report = a.report;
    page.max_stacks = a.max_stacks;
    page.http = a.http;
    page.browser = !a.no_browser;
    return write_diff_page(page);
  }
  if (!d.normalize.empty() || !d.width.empty() || !d.color_by.empty()) {
    return usage_fail("--normalize, --width and --color-by go with two profiles (web BASE NEW)");
  }
  if (Status s = refuse_unsupported(a.report); !s) return usage_fail(s.error().message);
  if (!a.http.empty()) {
    if (!a.output.empty()) return usage_fail("--http serves the page, -o writes it: give one");
    if (a.files.front() == "-") return usage_fail("--http reads its profile again on each reload: give a file or a URL, not -");
    return serve_page(a.http, !a.no_browser, [&] { return single_page(a, io::Format::kHtml, nullptr); });
  }
  std::string path = a.output;
  auto text = single_page(a, *format, &path);
  if (!text) return fail(text.error().message);
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
  cmd->add_option("--http", a->http,
                  "[HOST]:PORT: serve the page there (HOST 127.0.0.1 by default; port 0: any free one), made again "
                  "on each reload (a URL source is fetched again), until Ctrl-C");
  cmd->add_flag("--no-browser", a->no_browser, "With --http: do not open a browser");
  cmd->add_option("--source-path", a->source_paths,
                  "Embed the source of the sampled functions found here for the page's source view (pprofx list's "
                  "lookup: repeatable or DIR:DIR, each directory and its parents searched; '.' for the current one)")
      ->allow_extra_args(false);  // one directory per --source-path: the profile after it is not one
  cmd->add_option("--trim-path", a->trim_path,
                  "Path prefixes removed from the profile's file names before the search (DIR:DIR, pprof's -trim_path)");
  return [a] { return run_web(*a); };
}

}  // namespace pprofx::cli
