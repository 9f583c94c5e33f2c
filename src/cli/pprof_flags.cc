#include "pprof_flags.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace pprofx::cli {
namespace {

// pprof names (underscores) that pprofx accepts with a single dash.
constexpr std::array<std::string_view, 35> kPprofFlags = {
    "sample_index", "nodecount", "focus", "ignore", "hide", "show", "show_from", "prune_from",
    "tagfocus", "tagignore", "unit", "mean", "noinlines", "nodefraction", "edgefraction", "cum", "flat",
    "functions", "filefunctions", "files", "lines", "addresses", "granularity", "relative_percentages",
    "all_frames", "inuse_space", "inuse_objects", "alloc_space", "alloc_objects", "total_delay",
    "contentions", "mean_delay", "symbolize", "seconds", "timeout"};

}  // namespace

std::vector<std::string> rewrite_pprof_flags(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  out.reserve(args.size());
  bool after_dashdash = false;
  for (const std::string& a : args) {
    if (after_dashdash || a.size() < 3 || a[0] != '-' || a[1] == '-') {
      after_dashdash = after_dashdash || a == "--";
      out.push_back(a);
      continue;
    }
    const size_t eq = a.find('=');
    std::string name = a.substr(1, eq == std::string::npos ? std::string::npos : eq - 1);
    if (std::find(kPprofFlags.begin(), kPprofFlags.end(), name) == kPprofFlags.end()) {
      out.push_back(a);
      continue;
    }
    std::replace(name.begin(), name.end(), '_', '-');
    out.push_back("--" + name + (eq == std::string::npos ? "" : a.substr(eq)));
  }
  return out;
}

}  // namespace pprofx::cli
