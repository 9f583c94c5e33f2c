// pprofx: the command-line entry point. Parses arguments, runs one command,
// maps failures to exit codes (0 ok, 1 error, 2 usage, 3 check found a regression;
// see commands.h).
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <functional>
#include <new>
#include <map>
#include <vector>

#include "commands.h"
#include "config_file.h"
#include "help_export.h"
#include "pprofx/base/memory.h"
#include "pprofx/io/output.h"
#include "pprofx/model/units.h"
#include "pprofx/io/temporary.h"
#include "pprof_flags.h"

#ifndef PPROFX_VERSION
#define PPROFX_VERSION "0.0.0"
#endif

namespace pprofx::cli {

namespace {

// In the units --max-memory takes (powers of 1024), as pprof prints sizes.
std::string size_text(uint64_t bytes) {
  return model::scaled_label(static_cast<int64_t>(std::min<uint64_t>(bytes, INT64_MAX)), "B", "auto");
}

// The heap bound was reached (base/memory.h): one line, no temporaries left, exit 1.
[[noreturn]] void memory_exceeded(std::string_view subject, uint64_t live, uint64_t wanted, uint64_t limit,
                                  uint64_t input) {
  io::remove_live_temporaries();
  const std::string who = subject.empty() ? std::string() : std::string(subject) + ": ";  // fail() escapes
  const std::string bound =
      memory::limit_is_fixed()
          ? fmt::format("the --max-memory bound of {}", size_text(limit))
          : fmt::format("pprofx's bound of {} ({}x the {} of profile data read, plus {})", size_text(limit),
                        memory::kInputFactor, size_text(input), size_text(memory::kBaseAllowance));
  fail(fmt::format("{}needs more memory than {}: {} in use, {} more asked for; --max-memory raises the bound "
                   "(0: none)",
                   who, bound, size_text(live), size_text(wanted)));
  std::fflush(stderr);
  ::_exit(kExitError);
}

int run(int argc, char** argv) {
  io::install_signal_cleanup();  // SIGINT/TERM/HUP remove the temporary files being written
  memory::set_exceeded_handler(&memory_exceeded);
  CLI::App app{"pprofx: analyse pprof profiles and render flame graphs.\n\n"
               "Exit codes: 0 success, 1 error (bad input, unreadable or unwritable file), 2 usage error,\n"
               "3 check found a regression.",
               "pprofx"};
  app.set_version_flag("--version", "pprofx " PPROFX_VERSION);
  app.set_config("--config", "", "Read options from a TOML or INI file (options of a command under [command])");
  app.config_formatter(std::make_shared<TomlConfig>());
  app.require_subcommand(1);
  app.fallthrough(false);
  std::map<CLI::App*, Runner> runners;
  runners[nullptr] = nullptr;
  const auto add = [&](const std::function<Runner(CLI::App&)>& adder) {
    Runner r = adder(app);
    runners[app.get_subcommands({}).back()] = std::move(r);
  };
  add(&add_info_command);
  add(&add_top_command);
  add(&add_tree_command);
  add(&add_dot_command);
  add(&add_list_command);
  add(&add_traces_command);
  add(&add_tags_command);
  add(&add_raw_command);
  add(&add_flame_command);
  add(&add_fold_command);
  add(&add_web_command);
  add(&add_diff_command);
  add(&add_trend_command);
  add(&add_check_command);
  add(&add_baseline_command);
  add(&add_merge_command);
  add(&add_symbolize_command);
  add(&add_convert_command);
  add(&add_cross_command);
  add(&add_pgo_command);
  add(&add_completion_command);
  add([](CLI::App& a) { return add_manpage_command(a, PPROFX_VERSION); });

  std::vector<std::string> args(argv + 1, argv + argc);
  std::vector<std::string> commands;
  for (const CLI::App* sub : app.get_subcommands({})) commands.push_back(sub->get_name());
  if (auto hint = argument_hint(args, commands)) return usage_fail(*hint);
  args = rewrite_pprof_flags(args);
  std::reverse(args.begin(), args.end());  // CLI11 takes them reversed
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return usage_fail(e.what());
  }
  for (CLI::App* sub : app.get_subcommands()) {
    auto it = runners.find(sub);
    if (it == runners.end() || !it->second) continue;
    // Expected failures are Results; this is the net for the unexpected
    // (allocation failure, a file system error), so nothing ends in abort().
    try {
      return it->second();
    } catch (const std::bad_alloc&) {
      return fail("out of memory (lower --max-size, or give pprofx more memory)");
    } catch (const std::exception& e) {
      return fail(fmt::format("internal error: {}", e.what()));
    }
  }
  return kExitUsage;
}

}  // namespace
}  // namespace pprofx::cli

int main(int argc, char** argv) {
  const int status = pprofx::cli::run(argc, argv);
  // For bench/memory_shapes.py and docs/robustness.md: the counted heap.
  if (std::getenv("PPROFX_HEAP_REPORT") != nullptr) {
    fmt::print(stderr, "pprofx: heap: peak {} bytes, bound {} bytes, input {} bytes\n", pprofx::memory::peak_bytes(),
               pprofx::memory::limit_bytes(), pprofx::memory::input_bytes());
  }
  return status;
}
