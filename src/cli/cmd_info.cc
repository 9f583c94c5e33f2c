#include <fmt/format.h>

#include "commands.h"
#include "load.h"
#include "pprofx/io/input.h"

namespace pprofx::cli {

Runner add_info_command(CLI::App& app) {
  struct Args {
    std::string file;
    LoadOptions load;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("info", "Describe a profile: sample types, totals, labels, mappings");
  cmd->add_option("profile", args->file, "Profile file (pprof protobuf, gzip or raw; - for stdin)")->required();
  add_load_options(*cmd, args->load);
  return [args] {
    auto loaded = load_profile(args->file, args->load);
    if (!loaded) return fail(loaded.error().message);
    return write_stdout(report::format_info(loaded->profile, loaded->input));
  };
}

}  // namespace pprofx::cli
