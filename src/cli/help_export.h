// The CLI's own help, exported: a man page (roff) and bash and zsh
// completion scripts, generated from the CLI11 definitions so they never
// drift from the options pprofx really takes.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "commands.h"

namespace pprofx::cli {

std::string man_page(const CLI::App& app, const std::string& version);
std::string bash_completion(const CLI::App& app);
std::string zsh_completion(const CLI::App& app);

// `pprofx completion bash|zsh` and the hidden `pprofx manpage` (used by the build).
Runner add_completion_command(CLI::App& app);
Runner add_manpage_command(CLI::App& app, const std::string& version);

}  // namespace pprofx::cli
