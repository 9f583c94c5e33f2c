// pprofx merge and pprofx symbolize: read profiles (merged, symbolized as the
// load options say) and write the result as profile.proto.
#include <fmt/format.h>

#include "commands.h"
#include "options_common.h"
#include "pprofx/encode/encode.h"
#include "pprofx/io/formats.h"

namespace pprofx::cli {
namespace {

Runner add_profile_writer(CLI::App& app, const std::string& name, const std::string& description,
                          const std::string& inputs_help, const std::string& output_help) {
  struct Args {
    std::vector<std::string> files;
    std::string output;
    load::Options load;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(name, description);
  cmd->add_option("profiles", a->files, inputs_help)->required();
  cmd->add_option("-o,--output", a->output, output_help + " (.pb.gz, .pprof: gzip; .pb: uncompressed; - for stdout)")
      ->required();
  add_load_options(*cmd, a->load);
  add_divide_by_option(*cmd, a->load, "Divide every sample's values by this, as pprof's -proto -divide_by writes them");
  return [a, name] {
    if (auto format = io::output_format(name, a->output, ""); !format) return usage_fail(format.error().message);
    auto loaded = load::load_profiles(a->files, a->load);
    if (!loaded) return fail(loaded.error().message);
    const bool gz = io::gzip_output(a->output);
    return write_streamed(a->output, [&](const ByteSink& sink) {
      gz ? encode::write_profile_gzip(loaded->profile, sink, load::thread_count(a->load))
         : encode::write_profile(loaded->profile, sink);
    });
  };
}

}  // namespace

Runner add_merge_command(CLI::App& app) {
  return add_profile_writer(app, "merge",
                            "Merge profiles into one (pprof's rules: compatible sample and period types; samples with "
                            "the same stack and labels are summed)",
                            "Profiles to merge", "The merged profile");
}

Runner add_symbolize_command(CLI::App& app) {
  return add_profile_writer(app, "symbolize",
                            "Resolve addresses to functions, files and lines from local binaries (ELF symbols and "
                            "DWARF, inline frames included) and write the profile; legacy formats are converted on "
                            "the way",
                            "Profiles (several are merged first)", "The symbolized profile");
}

}  // namespace pprofx::cli
