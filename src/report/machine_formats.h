// Pieces the machine-readable formats of top, tree and tags share
// (--format markdown|json|csv). Values are written in the sample type's own
// unit (nanoseconds, bytes, count), shares as pprof computes them (|v| / |total|,
// in percent), names escaped for each medium by base/strings.h.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pprofx/base/strings.h"

namespace pprofx::report {

// pprof's percentage as a number: |v| / |total| x 100, 0 when total is 0.
inline std::string share_number(int64_t v, int64_t total) {
  if (total == 0) return "0";
  return json_number(std::fabs(static_cast<double>(v) / static_cast<double>(total)) * 100, 4);
}

// pprof's percentage text ("56.25%") without its padding.
inline std::string trimmed(std::string s) {
  s.erase(0, s.find_first_not_of(' '));
  return s;
}

// ["a", "b"] for JSON.
inline std::string json_strings(const std::vector<std::string>& lines) {
  std::string out = "[";
  for (size_t i = 0; i < lines.size(); ++i) out += (i ? ", \"" : "\"") + json_escaped(lines[i]) + "\"";
  return out + "]";
}

// A report's header lines as one Markdown paragraph, a hard line break (\) after each but the last.
inline std::string markdown_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) out += markdown_inline(lines[i], false) + (i + 1 < lines.size() ? "\\\n" : "\n");
  return out.empty() ? out : out + "\n";
}

}  // namespace pprofx::report
