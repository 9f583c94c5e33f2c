// Recognises pprof's legacy formats by their headers, as pprof's own legacy
// parsers do (profile/legacy_profile.go), so they get a precise message.
#include <cstdint>
#include <string>

#include "pprofx/base/strings.h"
#include "pprofx/decode/decode.h"

namespace pprofx::decode {
namespace {

// gperftools CPU profile header: words 0, 3, 0|1, period>0, 0 in one of four
// word sizes / byte orders.
bool is_cpu_binary(std::string_view b, bool* java) {
  for (int size : {4, 8}) {
    for (bool big : {false, true}) {
      if (b.size() < static_cast<size_t>(5 * size)) continue;
      uint64_t w[5];
      for (int i = 0; i < 5; ++i) {
        uint64_t v = 0;
        for (int k = 0; k < size; ++k) {
          const int byte = big ? k : size - 1 - k;
          v = (v << 8) | static_cast<unsigned char>(b[i * size + byte]);
        }
        w[i] = v;
      }
      if (w[0] == 0 && w[1] == 3 && (w[2] == 0 || w[2] == 1) && w[3] > 0 && w[4] == 0) {
        *java = w[2] == 1;
        return true;
      }
    }
  }
  return false;
}

std::string_view first_text_line(std::string_view b) {
  size_t i = 0;
  while (i < b.size()) {
    size_t j = b.find('\n', i);
    if (j == std::string_view::npos) j = b.size();
    std::string_view line = b.substr(i, j - i);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (!line.empty() && line[0] != '#') return line;
    i = j + 1;
  }
  return {};
}

}  // namespace

std::string_view legacy_format_name(std::string_view bytes) {
  bool java_cpu = false;
  if (is_cpu_binary(bytes, &java_cpu)) {
    return java_cpu ? "Java CPU profile (gperftools binary layout)" : "gperftools binary CPU profile";
  }
  const std::string_view line = first_text_line(bytes.substr(0, 4096));
  if (line.find("heap profile:") != std::string_view::npos) return "heap profile (text)";
  if (line.find(" profile: total ") != std::string_view::npos) return "Go count profile (text)";
  if (starts_with(line, "--- threadz") || starts_with(line, "--- Thread ")) return "threadz profile";
  const bool java = bytes.substr(0, 4096).find("format = java") != std::string_view::npos;
  if (starts_with(line, "--- heapz 1 ---")) return "Java heapz profile";
  if (java && starts_with(line, "--- contentionz 1 ---")) return "Java contentionz profile";
  if (starts_with(line, "--- contentionz") || starts_with(line, "--- mutex:") ||
      starts_with(line, "--- contention:")) {
    return "contention profile (text)";
  }
  return {};
}

}  // namespace pprofx::decode
