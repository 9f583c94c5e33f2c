#include "pprof_flags.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>
#include <vector>

namespace pprofx::cli {
namespace {

// pprof names (underscores) that pprofx accepts with a single dash.
constexpr std::array<std::string_view, 44> kPprofFlags = {
    "http",  // pprofx web's --http; other commands give the hint of kPprofReports
    "sample_index", "nodecount", "focus", "ignore", "hide", "show", "show_from", "prune_from",
    "tagfocus", "tagignore", "tagshow", "taghide", "tagroot", "tagleaf", "divide_by", "source_path", "trim_path", "unit", "mean", "noinlines", "nodefraction", "edgefraction", "cum", "flat",
    "functions", "filefunctions", "files", "lines", "addresses", "granularity", "relative_percentages",
    "all_frames", "inuse_space", "inuse_objects", "alloc_space", "alloc_objects", "total_delay",
    "contentions", "mean_delay", "symbolize", "seconds", "timeout", "peek"};

// pprof's report and mode flags, each with what pprofx runs instead.
constexpr std::array<std::pair<std::string_view, std::string_view>, 26> kPprofReports = {{
    {"top", "pprofx top FILE"},
    {"text", "pprofx top FILE"},
    {"tree", "pprofx tree FILE"},
    {"traces", "pprofx traces FILE"},
    {"raw", "pprofx raw FILE"},
    {"tags", "pprofx tags FILE"},
    {"list", "pprofx list REGEX FILE (flat and cum per source line, with the source)"},
    {"disasm", "pprofx top --addresses FILE (flat and cum per address)"},
    {"weblist", "pprofx top --lines FILE, or --addresses"},
    {"http", "pprofx web FILE --http :8080, or pprofx web FILE / pprofx flame FILE -o flame.svg (one self-contained page)"},
    {"web", "pprofx flame FILE -o flame.svg"},
    {"dot", "pprofx dot FILE (the call graph in DOT)"},
    {"svg", "pprofx dot FILE -o graph.svg (the call graph, drawn by Graphviz), or pprofx flame FILE -o flame.svg"},
    {"png", "pprofx dot FILE -o graph.png (the call graph), or pprofx flame FILE -o flame.png"},
    {"pdf", "pprofx dot FILE -o graph.pdf (the call graph)"},
    {"gif", "pprofx dot FILE -o graph.png (the call graph), or pprofx flame FILE -o flame.png"},
    {"ps", "pprofx dot FILE -o graph.pdf (the call graph)"},
    {"eps", "pprofx dot FILE -o graph.pdf (the call graph)"},
    {"gv", "pprofx dot FILE -o graph.svg (the call graph)"},
    {"evince", "pprofx dot FILE -o graph.pdf (the call graph)"},
    {"callgrind", "pprofx fold FILE (folded stacks) or pprofx convert FILE -o x.speedscope.json"},
    {"kcachegrind", "pprofx convert FILE -o x.speedscope.json"},
    {"proto", "pprofx merge FILE... -o out.pb.gz (or pprofx symbolize FILE -o out.pb.gz)"},
    {"diff_base", "pprofx diff BASE NEW"},
    {"base", "pprofx diff BASE NEW --normalize absolute"},
    {"comments", "pprofx info FILE"},
}};

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// A name that cannot be a command: a path, a URL or a profile's file name.
bool looks_like_profile(std::string_view a) {
  return a == "-" || a.find('/') != std::string_view::npos || a.find('.') != std::string_view::npos ||
         a.find(':') != std::string_view::npos;
}

std::string shown(std::string_view a) {  // arguments quoted in a message: printable ASCII only
  std::string out;
  for (unsigned char c : a.substr(0, 80)) out += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  return out;
}

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

std::optional<std::string> argument_hint(const std::vector<std::string>& args,
                                         const std::vector<std::string>& commands) {
  size_t first = 0;  // the command: the first argument that is not a global option
  while (first < args.size() && (args[first] == "--config" || args[first].rfind("--config=", 0) == 0)) {
    first += args[first] == "--config" ? 2 : 1;
  }
  if (first < args.size() && !args[first].empty() && args[first][0] != '-') {
    const std::string& cmd = args[first];
    if (std::find(commands.begin(), commands.end(), cmd) == commands.end()) {
      if (looks_like_profile(cmd)) {
        return fmt::format("no command given: try pprofx top {0} (the heaviest functions) or pprofx flame {0} "
                           "(a flame graph)", shown(cmd));
      }
      std::string best;
      size_t best_d = 3;  // suggest only within two edits
      for (const std::string& c : commands) {
        const size_t d = edit_distance(cmd, c);
        if (d < best_d || (c.rfind(cmd, 0) == 0 && best.empty())) best = c, best_d = std::min(d, best_d);
      }
      return best.empty() ? fmt::format("unknown command {}: see pprofx --help", shown(cmd))
                          : fmt::format("unknown command {}: did you mean pprofx {}?", shown(cmd), best);
    }
  }
  const bool web = first < args.size() && args[first] == "web";  // web takes pprof's -http=:8080
  for (const std::string& a : args) {
    if (a == "--") break;
    if (a.size() < 3 || a[0] != '-') continue;
    const std::string_view body = std::string_view(a).substr(a[1] == '-' ? 2 : 1);
    const std::string_view name = body.substr(0, body.find('='));
    for (const auto& [flag, instead] : kPprofReports) {
      if (name == flag && a[1] != '-' && !(web && flag == "http")) return fmt::format("pprof's -{} is not a pprofx option: use {}", flag, instead);
    }
    // CLI11 reads -http=:8080 as the cluster -h -t -t -p and prints the help.
    if (a[1] == 'h' && std::find(kPprofFlags.begin(), kPprofFlags.end(), name) == kPprofFlags.end()) {
      return fmt::format("unknown option {}: see pprofx --help", shown(a));
    }
  }
  return std::nullopt;
}

}  // namespace pprofx::cli
