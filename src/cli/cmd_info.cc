#include <fmt/format.h>

#include "commands.h"
#include "options_common.h"
#include "pprofx/report/info.h"

namespace pprofx::cli {

Runner add_info_command(CLI::App& app) {
  struct Args {
    std::string file;
    load::Options load;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("info", "Describe a profile: sample types, totals, labels, mappings");
  cmd->add_option("profile", args->file, "Profile file (pprof protobuf, gzip or raw; - for stdin)")->required();
  add_load_options(*cmd, args->load);
  add_divide_by_option(*cmd, args->load, "Divide every sample's values by this first (pprof's -divide_by): the totals shown");
  return [args] {
    auto loaded = load::load_profile(args->file, args->load);
    if (!loaded) return fail(loaded.error().message);
    const load::InputInfo& in = loaded->input;
    return write_stdout(report::format_info(loaded->profile, {in.name, in.file_bytes, in.gzipped, in.raw_bytes}));
  };
}

}  // namespace pprofx::cli
