// ANSI colours for terminal tables. Whether to use them is the CLI's choice
// (--color, NO_COLOR, a terminal on stdout); formatters only take a bool.
#pragma once

#include <string>
#include <string_view>

namespace pprofx::report::ansi {

inline constexpr std::string_view kBold = "\033[1m";
inline constexpr std::string_view kDim = "\033[2m";
inline constexpr std::string_view kRed = "\033[31m";
inline constexpr std::string_view kBoldRed = "\033[1;31m";
inline constexpr std::string_view kGreen = "\033[32m";
inline constexpr std::string_view kBoldGreen = "\033[1;32m";
inline constexpr std::string_view kYellow = "\033[33m";
inline constexpr std::string_view kReset = "\033[0m";

// text wrapped in style ... reset when on; text unchanged when not.
inline std::string paint(std::string_view text, std::string_view style, bool on) {
  if (!on || text.empty()) return std::string(text);
  std::string s;
  s.reserve(text.size() + style.size() + kReset.size());
  s += style;
  s += text;
  s += kReset;
  return s;
}

}  // namespace pprofx::report::ansi
