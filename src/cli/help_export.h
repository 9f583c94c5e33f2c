// The CLI's own help, exported: a man page (roff) and bash and zsh
// completion scripts, generated from the CLI11 definitions so they never
// drift from the options pprofx really takes. This part describes the CLI11
// App; the exporters are in pprofx/help/help.h.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "commands.h"

namespace pprofx::cli {

// `pprofx completion bash|zsh` and the hidden `pprofx manpage` (used by the build).
Runner add_completion_command(CLI::App& app);
Runner add_manpage_command(CLI::App& app, const std::string& version);

}  // namespace pprofx::cli
