// Colour in terminal tables: --color=auto|always|never. auto colours only
// when stdout is a terminal, NO_COLOR is unset or empty (no-color.org) and
// TERM is not "dumb"; always and never win over NO_COLOR.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace pprofx::cli {

struct ColorOption {
  std::string mode = "auto";
};

void add_color_option(CLI::App& cmd, ColorOption& o);
bool use_color(const ColorOption& o);

}  // namespace pprofx::cli
