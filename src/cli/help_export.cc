#include "help_export.h"

#include <algorithm>
#include <set>

#include "pprofx/help/help.h"
#include "pprofx/io/output.h"

namespace pprofx::cli {
namespace {

using help::CommandInfo;
using help::OptionInfo;

// CLI11's definitions described for the exporters in pprofx/help/help.h.

// Options whose values are files or directories.
const std::set<std::string> kPathOptions = {"--output", "--binary", "--binary-path", "--save", "--store",
                                            "--config", "--report", "--flame", "--baseline", "--cpu", "--heap",
                                            "--mutex", "--block", "--goroutine"};

OptionInfo describe_option(const CLI::Option& o) {
  OptionInfo info;
  for (const std::string& s : o.get_snames()) info.names.push_back("-" + s);
  for (const std::string& l : o.get_lnames()) info.names.push_back("--" + l);
  if (o.get_positional()) info.positional = o.get_name();
  info.description = o.get_description();
  info.default_value = o.get_default_str();
  const std::string type = o.get_type_name();
  if (o.get_type_size() != 0 && !type.empty()) {  // as CLI11's own help decides
    info.value = type.substr(0, type.find(':'));
    if (info.value.empty()) info.value = "VALUE";
    const size_t open = type.find('{'), close = type.find('}');
    if (open != std::string::npos && close != std::string::npos && close > open) {
      std::string list = type.substr(open + 1, close - open - 1);
      for (size_t i = 0; i <= list.size();) {
        const size_t comma = std::min(list.find(',', i), list.size());
        if (comma > i) info.choices.push_back(list.substr(i, comma - i));
        i = comma + 1;
      }
    }
  }
  info.repeatable = o.get_expected_max() > 1;
  info.path = o.get_positional();
  for (const std::string& n : info.names) info.path = info.path || kPathOptions.count(n) > 0;
  return info;
}

CommandInfo describe(const CLI::App& app, const std::string& parent) {
  CommandInfo c;
  c.name = app.get_name();
  c.path = parent.empty() ? c.name : parent + " " + c.name;
  c.description = app.get_description();
  for (const CLI::Option* o : app.get_options()) {
    if (o->get_group().empty()) continue;  // hidden
    // Every command has -h/--help: listed once, with the global options.
    if (!parent.empty() || c.name != "pprofx") {
      if (o->check_lname("help")) continue;
    }
    c.options.push_back(describe_option(*o));
  }
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (sub->get_group().empty()) continue;  // hidden
    c.subcommands.push_back(describe(*sub, parent.empty() && c.name == "pprofx" ? "" : c.path));
  }
  return c;
}

int write_text(const std::string& path, const std::string& text) {
  if (Status s = io::write_output(path, text); !s) return fail(s.error().message);
  return kExitOk;
}

}  // namespace

Runner add_completion_command(CLI::App& app) {
  struct Args {
    std::string shell, output = "-";
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("completion",
                                     "Print a completion script: bash (source <(pprofx completion bash)) or zsh "
                                     "(save as _pprofx in a directory of $fpath); cmake --install installs both");
  cmd->add_option("shell", a->shell, "bash or zsh")->required()->check(CLI::IsMember({"bash", "zsh"}));
  cmd->add_option("-o,--output", a->output, "Output file (default: stdout)");
  return [a, &app] {
    const CommandInfo root = describe(app, "");
    return write_text(a->output, a->shell == "bash" ? help::bash_completion(root) : help::zsh_completion(root));
  };
}

Runner add_manpage_command(CLI::App& app, const std::string& version) {
  auto output = std::make_shared<std::string>("-");
  CLI::App* cmd = app.add_subcommand("manpage", "Print the man page (roff); the build installs it");
  cmd->add_option("-o,--output", *output, "Output file (default: stdout)");
  cmd->group("");  // hidden
  return [&app, version, output] { return write_text(*output, help::man_page(describe(app, ""), version)); };
}

}  // namespace pprofx::cli
