// pprofx cross: CPU, allocation, lock and block profiles of one program,
// joined per function.
#include <fmt/format.h>

#include "commands.h"
#include "options_common.h"
#include "terminal.h"
#include "pprofx/report/cross.h"

namespace pprofx::cli {

Runner add_cross_command(CLI::App& app) {
  struct Args {
    std::vector<std::string> files;
    std::string cpu, heap, mutex, block, goroutine;
    load::Options load;
    report::CrossOptions cross;
    std::string format = "text";
    ColorOption color;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "cross", "One table of CPU time, allocations, lock delay and block delay per function, from profiles of the "
               "same program; functions hot on several axes first");
  cmd->add_option("profiles", a->files,
                  "Profiles (files or URLs); each one's axis is told from its sample types (delay profiles: "
                  "stacks ending in an Unlock are lock delay, else block delay)");
  cmd->add_option("--cpu", a->cpu, "The CPU profile");
  cmd->add_option("--heap", a->heap, "The heap (allocation) profile: alloc_space and alloc_objects");
  cmd->add_option("--mutex", a->mutex, "The mutex (lock delay) profile");
  cmd->add_option("--block", a->block, "The block (blocking delay) profile");
  cmd->add_option("--goroutine", a->goroutine, "A goroutine profile (goroutines per function)");
  cmd->add_option("--format", a->format, "text, markdown or json")
      ->check(CLI::IsMember({"text", "markdown", "json"}))
      ->capture_default_str();
  cmd->add_option("-n,--nodecount", a->cross.max_rows, "Show at most this many functions (0: all)")
      ->capture_default_str();
  cmd->add_flag("--cum", a->cross.cum, "Cumulative values (the function and its callees) instead of flat");
  cmd->add_option("--hot", a->cross.hot, "A function is hot on an axis from this share of its total")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--wait-primitives", a->cross.wait_primitives,
                  "Flat delay skips leaf frames matching this regex, landing on the code that waited or held the "
                  "lock (\"\" charges the leaf, as pprof)")
      ->capture_default_str();
  cmd->add_option("--focus", a->cross.filters.focus, "Keep samples with a frame matching this regex");
  cmd->add_option("--ignore", a->cross.filters.ignore, "Drop samples with a frame matching this regex");
  cmd->add_option("--hide", a->cross.filters.hide, "Remove frames matching this regex from stacks");
  add_load_options(*cmd, a->load);
  add_divide_by_option(*cmd, a->load, "Divide every sample's values by this first (pprof's -divide_by), e.g. per operation");
  add_color_option(*cmd, a->color);
  return [a] {
    std::vector<std::pair<std::string, std::string>> given;  // path, kind
    for (const std::string& f : a->files) given.emplace_back(f, "");
    for (auto [path, kind] : {std::pair{&a->cpu, "cpu"}, std::pair{&a->heap, "heap"}, std::pair{&a->mutex, "mutex"},
                              std::pair{&a->block, "block"}, std::pair{&a->goroutine, "goroutine"}}) {
      if (!path->empty()) given.emplace_back(*path, kind);
    }
    if (given.empty()) return fail("cross: give profiles (and/or --cpu, --heap, --mutex, --block)");
    std::vector<load::Loaded> loaded;
    loaded.reserve(given.size());
    for (const auto& [path, kind] : given) {
      auto l = load::load_profile(path, a->load);
      if (!l) return fail(l.error().message);
      if (std::string w = load::soft_problems(l->input.name, l->profile); !w.empty()) print_warnings({w});
      loaded.push_back(std::move(*l));
    }
    std::vector<report::CrossInput> inputs;
    for (size_t i = 0; i < given.size(); ++i) {
      inputs.push_back({&loaded[i].profile, loaded[i].input.name, given[i].second});
    }
    auto table = report::cross_table(inputs, a->cross);
    if (!table) return fail(table.error().message);
    print_warnings(table->warnings);
    if (a->format == "json") return write_stdout(report::format_cross_json(*table));
    if (a->format == "markdown") return write_stdout(report::format_cross_markdown(*table));
    return write_stdout(report::format_cross_text(*table, use_color(a->color)));
  };
}

}  // namespace pprofx::cli
