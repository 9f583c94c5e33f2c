#include "terminal.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace pprofx::cli {

void add_color_option(CLI::App& cmd, ColorOption& o) {
  cmd.add_option("--color", o.mode,
                 "Colour the table: auto (when stdout is a terminal and NO_COLOR is not set), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
}

bool use_color(const ColorOption& o) {
  if (o.mode == "always") return true;
  if (o.mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::strcmp(term, "dumb") == 0) return false;
  return ::isatty(STDOUT_FILENO) == 1;
}

}  // namespace pprofx::cli
