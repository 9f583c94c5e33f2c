// pprofx web: one self-contained HTML page to explore a profile (web/page.h).
#include <fmt/format.h>

#include <memory>

#include "commands.h"
#include "options_common.h"
#include "pprofx/base/strings.h"
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
  if (g != "functions") return Error{"the page shows functions only (no --granularity/--lines yet)"};
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
  r.filters.for_each_named(add);  // tagshow/taghide are refused before (refuse_unsupported)
  return out;
}

int run_web(const WebArgs& a) {
  if (a.files.size() > 1) {
    return usage_fail("web takes one profile (a diff page of BASE NEW is not built yet; merge profiles first with "
                      "pprofx merge)");
  }
  auto format = io::output_format("web", a.output, a.format);
  if (!format) return usage_fail(format.error().message);
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
      "web", "One self-contained HTML page to explore a profile: flame graph, top table, sandwich, labels, refine");
  cmd->add_option("profile", a->files, "A pprof profile (file, URL, or - for stdin)")->required();
  cmd->add_option("-o,--output", a->output,
                  "Output file: .html (the page) or .json (its data alone); - for stdout (default: PROFILE-stem.html "
                  "in the current directory; for a URL, the name --save gives the profile)");
  cmd->add_option("--format", a->format, "html or json (overrides the extension)");
  add_load_options(*cmd, a->load);
  add_report_options(*cmd, a->report, a->load);
  cmd->add_option("--max-stacks", a->max_stacks,
                  "Embed at most this many distinct stacks, the heaviest (0: all); the page says what was left out")
      ->capture_default_str();
  return [a] { return run_web(*a); };
}

}  // namespace pprofx::cli
