// pprofx's own help, exported: the man page (roff) and the bash and zsh
// completion scripts, written from a plain description of the commands and
// their options. The CLI fills that description from its CLI11 definitions
// (src/cli/help_export.cc), so the exports never drift from the options
// pprofx really takes; nothing here knows CLI11.
//
// The root CommandInfo is the program itself: its options are the global
// ones, its subcommands the top-level commands. Hidden options and commands
// are left out by whoever builds the description. Text is taken as is and
// escaped here (roff: a leading '.' or '\'', backslashes, hyphens; zsh:
// quotes and the _arguments specials).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pprofx::help {

// Every member has an initializer, so designated initializers may leave any out.
struct OptionInfo {
  std::vector<std::string> names{};  // "-n", "--nodecount"; empty for a positional
  std::string positional{};          // a positional's name; empty for an option
  std::string value{};               // "INT", "TEXT", ...; empty for a flag
  std::vector<std::string> choices{};
  std::string description{}, default_value{};
  bool repeatable = false;
  bool path = false;  // completes file names
};

struct CommandInfo {
  std::string path{};  // the words after "pprofx": "top", "baseline save"; the root's is its name
  std::string name{}, description{};
  std::vector<OptionInfo> options{};
  std::vector<CommandInfo> subcommands{};
};

// The whole man page, section 1, with `version` in its header.
std::string man_page(const CommandInfo& root, std::string_view version);
// A script for `source`: completes commands, options, choices and file names.
std::string bash_completion(const CommandInfo& root);
// A #compdef file for a directory of $fpath.
std::string zsh_completion(const CommandInfo& root);

}  // namespace pprofx::help
