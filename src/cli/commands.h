// Subcommands. Each registers its options on a CLI11 subcommand and returns
// the function that runs it; only code in cli/ prints or decides exit codes
// (the helpers below, cli/output.cc).
#pragma once

#include <CLI/CLI.hpp>

#include "pprofx/base/sink.h"
#include "pprofx/io/formats.h"
#include "pprofx/fold/prepare.h"
#include "pprofx/render/flame.h"
#include "pprofx/diff/graph.h"
#include "pprofx/web/page.h"
#include "options_common.h"

#include <functional>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

namespace pprofx::cli {

// Exit codes (also in --help and the README).
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;  // bad input, unreadable file, failed write
inline constexpr int kExitUsage = 2;  // bad command line
inline constexpr int kExitRegression = 3;  // check found a regression

using Runner = std::function<int()>;

Runner add_info_command(CLI::App& app);
Runner add_top_command(CLI::App& app);
Runner add_flame_command(CLI::App& app);
Runner add_fold_command(CLI::App& app);
Runner add_diff_command(CLI::App& app);
Runner add_trend_command(CLI::App& app);
Runner add_check_command(CLI::App& app);
Runner add_baseline_command(CLI::App& app);
Runner add_merge_command(CLI::App& app);
Runner add_symbolize_command(CLI::App& app);
Runner add_convert_command(CLI::App& app);
Runner add_tree_command(CLI::App& app);
Runner add_dot_command(CLI::App& app);
Runner add_list_command(CLI::App& app);
Runner add_cross_command(CLI::App& app);
Runner add_traces_command(CLI::App& app);
Runner add_tags_command(CLI::App& app);
Runner add_raw_command(CLI::App& app);
Runner add_web_command(CLI::App& app);
Runner add_pgo_command(CLI::App& app);

// Prints "pprofx: error: <message>" and returns kExitError.
int fail(const std::string& message);

// The same for a bad command line found after parsing; returns kExitUsage.
int usage_fail(const std::string& message);

// Prints each as "pprofx: warning: <line>".
void print_warnings(const std::vector<std::string>& warnings);

// Writes text to stdout; an error (e.g. a closed pipe) is reported.
int write_stdout(const std::string& text);

// Streams what `produce` hands its sink to path ("-" for stdout) through a
// buffer, atomically (io::OutputStream); large outputs are never one string.
int write_streamed(const std::string& path, const std::function<void(const ByteSink&)>& produce);

// Writes a flame graph image (format kSvg or kPng) to path; prints the path
// when print_path (and it is not "-").
int write_image(const std::string& path, io::Format format, const render::Frame& frame,
                const render::FlameStyle& style, bool print_path = true);
// The image's bytes (SVG or PNG), for callers that publish several outputs together.
Result<std::string> render_image(io::Format format, const render::Frame& frame, const render::FlameStyle& style);

// The diff page (pprofx web BASE NEW, diff -o d.html): cmd_web.cc. Its
// opening state: normalize, width, color_by as diff's flags ("": diff's default).
struct DiffPageArgs {
  std::string base, next, output;
  io::Format format = io::Format::kHtml;  // or kJson: the data alone
  load::Options load;
  ReportArgs report;
  std::string normalize, width, color_by;
  bool cum = false, inverted = false;
  size_t max_stacks = 250000;
  std::string http = "";  // --http [HOST]:PORT: served instead of written
  bool browser = false;  // with http: open a browser
};
int write_diff_page(const DiffPageArgs& a);
// What the diff page cannot show yet (a usage error), before anything is read.
Status diff_page_usage(const DiffPageArgs& a);
// The diff page (or its data, a.format) of two loaded profiles, with check's verdict when given (check --report x.html).
Result<std::string> make_diff_page(const DiffPageArgs& a, const load::Loaded& base, const load::Loaded& next,
                                   const fold::Selection& selection, std::optional<web::Verdict> verdict);

// The differential flame graph's drawing options (diff -o x.svg; check --flame uses the defaults).
struct DiffGraphArgs {
  std::string width = "new", color_by;  // color_by "": by the profile's kind
  std::string title, subtitle, min_width = "0.1";
  double image_width = 1200;
  size_t max_frames = 20000;
  bool inverted = false;
};
// What it is drawn from: the two profiles, their table (computed once by the
// caller), the selection they were folded with, and the file names shown.
// The two profiles are consumed: each is freed once its paths are read.
struct DiffGraphInput {
  model::Profile* base;
  model::Profile* next;
  const diff::DiffTable* table;
  const fold::Selection* selection;
  diff::GraphOptions options;  // widths, colour, normalisation: parsed once by the caller
  std::string base_path, new_path;
};
int write_diff_graph(const DiffGraphArgs& a, const DiffGraphInput& in, const std::string& output, io::Format format,
                     bool print_path);
// The same graph as bytes (check renders it before publishing anything).
Result<std::string> render_diff_graph(const DiffGraphArgs& a, const DiffGraphInput& in, io::Format format);
// The graph is built only as far as its layout draws (fold::build_merged_trie's
// best-first build): the minimum width and frame budget of a, in o.
Status set_graph_budget(const DiffGraphArgs& a, diff::GraphOptions* o);
// Where a graph's widths come from, for "no samples in NAME" when it is empty.
struct GraphSource {
  std::string name;       // the profile(s) the widths are taken from
  bool filtered = false;  // filters were given ("... match the filters")
};
// A differential graph already built (check's, against the median baseline), drawn.
Result<std::string> render_built_graph(const DiffGraphArgs& a, diff::Graph graph, const diff::DiffTable& table,
                                       io::Format format, const GraphSource& source);

}  // namespace pprofx::cli
