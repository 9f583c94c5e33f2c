// pprofx symbolize: write a profile with addresses resolved to functions,
// files and lines (and names demangled), for tools that cannot symbolize.
#include <fmt/format.h>

#include "commands.h"
#include "load.h"
#include "pprofx/base/strings.h"
#include "pprofx/encode/encode.h"
#include "pprofx/io/output.h"

namespace pprofx::cli {

Runner add_symbolize_command(CLI::App& app) {
  struct Args {
    std::vector<std::string> files;
    std::string output;
    LoadOptions load;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "symbolize", "Resolve addresses to functions, files and lines from local binaries (ELF symbols and DWARF, "
                   "inline frames included) and write the profile; legacy formats are converted on the way");
  cmd->add_option("profiles", a->files, "Profiles (several are merged first)")->required();
  cmd->add_option("-o,--output", a->output, "The symbolized profile (.pb.gz: gzip; else uncompressed; - for stdout)")
      ->required();
  add_load_options(*cmd, a->load);
  return [a] {
    auto loaded = load_profiles(a->files, a->load);
    if (!loaded) return fail(loaded.error().message);
    const bool gz = ends_with(a->output, ".gz") || a->output == "-";
    const std::string bytes = gz ? encode::encode_profile_gzip(loaded->profile) : encode::encode_profile(loaded->profile);
    if (Status s = io::write_output(a->output, bytes); !s) return fail(s.error().message);
    return kExitOk;
  };
}

}  // namespace pprofx::cli
