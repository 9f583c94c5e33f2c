#include <fmt/format.h>

#include "commands.h"
#include "load.h"
#include "pprofx/io/input.h"

namespace pprofx::cli {

Runner add_info_command(CLI::App& app) {
  struct Args {
    std::string file;
    uint64_t max_size = io::kDefaultMaxInflated;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("info", "Describe a profile: sample types, totals, labels, mappings");
  cmd->add_option("profile", args->file, "Profile file (pprof protobuf, gzip or raw; - for stdin)")->required();
  cmd->add_option("--max-size", args->max_size, "Refuse profiles larger than this many bytes once decompressed")
      ->capture_default_str();
  return [args] {
    auto loaded = load_profile(args->file, args->max_size);
    if (!loaded) return fail(loaded.error().message);
    return write_stdout(report::format_info(loaded->profile, loaded->input));
  };
}

}  // namespace pprofx::cli
