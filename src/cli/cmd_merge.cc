#include <fmt/format.h>

#include "commands.h"
#include "load.h"
#include "pprofx/base/strings.h"
#include "pprofx/encode/encode.h"
#include "pprofx/io/input.h"
#include "pprofx/io/output.h"

namespace pprofx::cli {

Runner add_merge_command(CLI::App& app) {
  struct Args {
    std::vector<std::string> files;
    std::string output;
    LoadOptions load;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "merge", "Merge profiles into one (pprof's rules: compatible sample and period types; samples with the same "
               "stack and labels are summed)");
  cmd->add_option("profiles", a->files, "Profiles to merge")->required();
  cmd->add_option("-o,--output", a->output, "The merged profile (.pb.gz: gzip; else uncompressed; - for stdout)")->required();
  add_load_options(*cmd, a->load);
  return [a] {
    auto merged = load_profiles(a->files, a->load);
    if (!merged) return fail(merged.error().message);
    const bool gz = ends_with(a->output, ".gz") || a->output == "-";
    const std::string bytes = gz ? encode::encode_profile_gzip(merged->profile) : encode::encode_profile(merged->profile);
    if (Status s = io::write_output(a->output, bytes); !s) return fail(s.error().message);
    return kExitOk;
  };
}

}  // namespace pprofx::cli
