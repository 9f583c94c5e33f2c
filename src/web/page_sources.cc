// The source view's data: pprofx list run for every sample type over all
// functions, its routines' lines merged (each type lists its own range), the
// page's function ids mapped to the routine their (name, trimmed file) names.
#include "page_sources.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "pprofx/base/strings.h"
#include "pprofx/report/list.h"
#include "script_json.h"

namespace pprofx::web {
namespace {

struct Routine {
  int64_t start_line = 0;
  double weight = 0;                    // the largest cum share of any type
  std::map<int64_t, std::string> text;  // line -> its text as pprofx list prints it
  std::vector<uint32_t> functions;      // the page's function ids (model FunctionId values)
  size_t bytes = 0;
};

}  // namespace

Status write_sources(const model::Profile& p, const DataOptions& o, std::string& out) {
  const SourceOptions& so = *o.sources;
  std::map<std::pair<std::string, std::string>, Routine> routines;  // (function, file): list's order
  for (size_t t = 0; t < p.num_types(); ++t) {
    report::ListOptions lo;
    lo.report.filters.all_frames = o.all_frames;
    lo.report.sample_index = fmt::format("{}", t);  // by index: two types may share a name
    lo.report.granularity = fold::Granularity::kLines;
    lo.regex.push_back('.');  // every function (not = ".": GCC 12 warns falsely, -Wrestrict)
    lo.source_path = so.source_path;
    lo.trim_path = so.trim_path;
    auto list = report::list_report(p, lo);
    if (!list) {
      if (starts_with(list.error().message, "no matches found")) continue;  // nothing sampled in this type
      return list.error();
    }
    for (report::ListRoutine& r : list->routines) {
      if (r.file.empty() || !r.source_error.empty()) continue;
      Routine& into = routines[{r.function, r.file}];
      if (into.text.empty()) into.start_line = r.start_line;
      const double share = list->total ? std::fabs(static_cast<double>(r.cum) / static_cast<double>(list->total)) : 0;
      into.weight = std::max(into.weight, share);
      for (report::ListLine& l : r.lines) {
        auto [it, added] = into.text.try_emplace(l.line, text_escaped(l.text));
        if (added) into.bytes += it->second.size() + 1;
      }
    }
  }
  // The page's functions, by the routine their name and file (trimmed as list trims it) name.
  for (model::FunctionId f : p.functions.ids()) {
    const std::string_view raw = p.str(p.functions[f].filename);
    if (raw.empty()) continue;
    auto it = routines.find({std::string(p.str(p.functions[f].name)),
                             clean_path(report::trim_source_path(raw, so.trim_path, so.source_path))});
    if (it != routines.end()) it->second.functions.push_back(f.value());
  }
  // The budget: heaviest first (ties in list's order), then written in list's order.
  std::vector<const Routine*> in_order;
  for (const auto& [key, r] : routines) in_order.push_back(&r);
  std::vector<size_t> order(in_order.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return in_order[a]->weight > in_order[b]->weight; });
  size_t bytes = 0, omitted = 0;
  std::vector<uint8_t> keep(in_order.size(), 0);
  for (size_t k : order) {
    if (bytes + in_order[k]->bytes > so.max_bytes) {
      ++omitted;
      continue;
    }
    bytes += in_order[k]->bytes;
    keep[k] = 1;
  }
  out += ",\"sources\":{\"routines\":[";
  size_t i = 0;
  bool first = true;
  for (const auto& [key, r] : routines) {
    if (!keep[i++]) continue;
    // fn matches the page's frame names; fnText and fileText are as list prints them (text_escaped).
    out += fmt::format("{}{{\"fn\":{},\"fnText\":{},\"file\":{},\"fileText\":{},\"startLine\":{},\"functions\":[{}],"
                       "\"runs\":[",
                       first ? "" : ",", script_json_string(key.first), script_json_string(text_escaped(key.first)),
                       script_json_string(key.second), script_json_string(text_escaped(key.second)), r.start_line,
                       fmt::join(r.functions, ","));
    first = false;
    // Runs of consecutive lines: [first line, "text\ntext..."].
    int64_t next = 0;
    bool open = false;
    std::string run;
    const auto close = [&] {
      if (!open) return;
      out += script_json_string(run);
      out += ']';
    };
    for (const auto& [line, text] : r.text) {
      if (!open || line != next) {
        close();
        out += fmt::format("{}[{},", open ? "," : "", line);
        run.clear();
        open = true;
      } else {
        run += '\n';
      }
      run += text;
      next = line + 1;
    }
    close();
    out += "]}";
  }
  out += fmt::format("],\"omitted\":{},\"sourcePath\":{},\"trimPath\":{}}}", omitted, script_json_string(so.source_path),
                     script_json_string(so.trim_path));
  return Ok{};
}

}  // namespace pprofx::web
