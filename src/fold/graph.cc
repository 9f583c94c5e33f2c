#include "pprofx/fold/graph.h"

#include <fmt/format.h>

#include <unordered_map>

#include "pprofx/base/strings.h"

namespace pprofx::fold {
namespace {

using model::Index;
using model::StrId;

struct InfoHash {
  size_t operator()(const NodeInfo& i) const {
    uint64_t h = i.name;
    h = h * 0x9e3779b97f4a7c15ull ^ i.file;
    h = h * 0x9e3779b97f4a7c15ull ^ i.objfile;
    h = h * 0x9e3779b97f4a7c15ull ^ i.address;
    h = h * 0x9e3779b97f4a7c15ull ^ static_cast<uint64_t>(i.start_line);
    h = h * 0x9e3779b97f4a7c15ull ^ static_cast<uint64_t>(i.lineno);
    return static_cast<size_t>(h ^ (h >> 29));
  }
};

// pprof's report.trimPath with no -trim_path/-source_path set.
std::string_view trim_path(std::string_view path) {
  for (std::string_view prefix : {"/proc/self/cwd/./", "/proc/self/cwd/"}) {
    if (starts_with(path, prefix)) return path.substr(prefix.size());
  }
  return path;
}

struct Keep {
  bool name, file, line, address;
};

Keep keep_for(Granularity g, bool noinlines) {
  switch (g) {
    case Granularity::kFunctions: return {true, false, false, false};
    case Granularity::kFileFunctions: return {true, true, false, false};
    case Granularity::kFiles: return {false, true, false, false};
    case Granularity::kLines: return {true, true, true, false};
    case Granularity::kAddresses: return {true, true, true, true};
  }
  (void)noinlines;
  return {true, false, false, false};
}

}  // namespace

Graph Graph::build(const View& view, const GraphOptions& options) {
  Graph g;
  g.view_ = &view;
  g.options_ = options;
  const model::Profile& p = *view.profile;
  const Keep keep = keep_for(options.granularity, options.noinlines);

  // Profile strings -> graph strings, translated once each.
  constexpr StrId kUnset = 0xffffffffu;
  std::vector<StrId> name_ids(p.strings.size(), kUnset), file_ids(p.strings.size(), kUnset);
  auto name_id = [&](StrId s) {
    if (name_ids[s] == kUnset) name_ids[s] = g.names.intern(p.str(s));
    return name_ids[s];
  };
  auto file_id = [&](StrId s) {
    if (s == model::kEmptyStr) return model::kEmptyStr;
    if (file_ids[s] == kUnset) file_ids[s] = g.names.intern(clean_path(trim_path(p.str(s))));
    return file_ids[s];
  };

  std::unordered_map<NodeInfo, uint32_t, InfoHash> index;
  index.reserve(p.functions.size() + p.locations.size() / 4);
  auto node_for = [&](const NodeInfo& info) {
    auto [it, inserted] = index.try_emplace(info, static_cast<uint32_t>(g.nodes.size()));
    if (inserted) g.nodes.push_back(Node{info});
    return it->second;
  };

  g.loc_begin_.resize(p.locations.size() + 1);
  for (Index l = 0; l < p.locations.size(); ++l) {
    g.loc_begin_[l] = static_cast<uint32_t>(g.loc_nodes_.size());
    const model::Location& loc = p.locations[l];
    const StrId objfile =
        loc.mapping == model::kNone ? model::kEmptyStr : name_id(p.mappings[loc.mapping].filename);
    const uint64_t address = keep.address ? loc.address : 0;
    auto lines = view.lines(l);
    if (options.noinlines && lines.size() > 1) lines = lines.subspan(lines.size() - 1);
    if (lines.empty()) {
      NodeInfo info;
      info.address = address;
      info.objfile = objfile;
      g.loc_nodes_.push_back(node_for(info));
      continue;
    }
    for (Index line_index : lines) {
      const model::Line& line = p.lines[line_index];
      const model::Function& fn = p.functions[line.function];
      NodeInfo info;
      info.address = address;
      info.name = keep.name ? name_id(fn.name) : model::kEmptyStr;
      info.file = keep.file ? file_id(fn.filename) : model::kEmptyStr;
      info.lineno = keep.line ? line.line : 0;
      if (info.name == model::kEmptyStr) {
        info.objfile = objfile;
        info.start_line = fn.start_line;
      }
      g.loc_nodes_.push_back(node_for(info));
    }
  }
  g.loc_begin_[p.locations.size()] = static_cast<uint32_t>(g.loc_nodes_.size());
  g.inlined_somewhere_.assign(g.nodes.size(), 0);
  for (Index l = 0; l < p.locations.size(); ++l) {
    for (uint32_t k = g.loc_begin_[l]; k + 1 < g.loc_begin_[l + 1]; ++k) g.inlined_somewhere_[g.loc_nodes_[k]] = 1;
  }

  std::vector<uint32_t> stamp(g.nodes.size(), 0xffffffffu);
  g.for_each_weighted_sample([&](uint32_t ordinal, const ViewSample& s, int64_t w, int64_t dw) {
    int64_t last = -1;
    for (size_t i = s.count; i-- > 0;) {
      const Index loc = s.stack[i];
      for (uint32_t k = g.loc_begin_[loc + 1]; k-- > g.loc_begin_[loc];) {
        const uint32_t n = g.loc_nodes_[k];
        if (stamp[n] != ordinal) {
          stamp[n] = ordinal;
          g.nodes[n].cum += w;
          g.nodes[n].cum_div += dw;
        }
        last = n;
      }
    }
    if (last >= 0) {
      g.nodes[last].flat += w;
      g.nodes[last].flat_div += dw;
    }
  });
  return g;
}

template <typename Visit>
void Graph::for_each_weighted_sample(Visit visit) const {
  const model::Profile& p = *view_->profile;
  const size_t index = options_.value.index;
  const bool mean = options_.value.mean;
  uint32_t ordinal = 0;
  for (const ViewSample& s : view_->samples) {
    auto v = p.sample_values(s.sample);
    const int64_t w = v[index];
    const int64_t dw = mean ? v[0] : 0;
    ++ordinal;
    if (w == 0 && dw == 0) continue;
    visit(ordinal, s, w, dw);
  }
}

std::vector<InlineMark> Graph::inline_marks(const std::vector<uint8_t>& kept, int64_t edge_cutoff) const {
  std::vector<InlineMark> marks(nodes.size(), InlineMark::kNone);
  std::vector<uint8_t> candidate(nodes.size());
  bool any = false;
  for (size_t n = 0; n < nodes.size(); ++n) {
    candidate[n] = kept[n] && inlined_somewhere_[n];
    any = any || candidate[n];
  }
  if (!any) return marks;
  // Locations holding a candidate; samples without one cannot add an edge into one.
  std::vector<uint8_t> loc_has_candidate(loc_begin_.size() - 1);
  for (size_t l = 0; l + 1 < loc_begin_.size(); ++l) {
    for (uint32_t k = loc_begin_[l]; k < loc_begin_[l + 1]; ++k) loc_has_candidate[l] |= candidate[loc_nodes_[k]];
  }
  struct Edge {
    int64_t weight = 0;
    uint32_t last_sample = 0;
    bool inlined = true;
  };
  std::unordered_map<uint64_t, Edge> edges;
  for_each_weighted_sample([&](uint32_t ordinal, const ViewSample& s, int64_t w, int64_t) {
    bool relevant = false;
    for (size_t i = 0; i < s.count && !relevant; ++i) relevant = loc_has_candidate[s.stack[i]];
    if (!relevant) return;
    int64_t parent = -1;
    for (size_t i = s.count; i-- > 0;) {
      const Index loc = s.stack[i];
      const uint32_t outermost = loc_begin_[loc + 1] - 1;
      for (uint32_t k = loc_begin_[loc + 1]; k-- > loc_begin_[loc];) {
        const uint32_t n = loc_nodes_[k];
        if (!kept[n]) continue;
        if (parent >= 0 && n != parent && candidate[n]) {
          Edge& e = edges[(static_cast<uint64_t>(parent) << 32) | n];
          if (e.last_sample != ordinal) {
            if (k == outermost) e.inlined = false;  // one plain call makes the edge a call
            e.last_sample = ordinal;
            e.weight += w;
          }
        }
        parent = n;
      }
    }
  });
  std::vector<uint8_t> in_inline(nodes.size()), in_call(nodes.size());
  for (const auto& [key, e] : edges) {
    if ((e.weight < 0 ? -e.weight : e.weight) < edge_cutoff) continue;
    const uint32_t dest = static_cast<uint32_t>(key & 0xffffffffu);
    (e.inlined ? in_inline : in_call)[dest] = 1;
  }
  for (size_t n = 0; n < nodes.size(); ++n) {
    if (in_inline[n]) marks[n] = in_call[n] ? InlineMark::kPartialInline : InlineMark::kInline;
  }
  return marks;
}

std::string Graph::printable_name(const NodeInfo& i) const {
  std::string out;
  auto add = [&](std::string_view part) {
    if (!out.empty()) out += ' ';
    out += part;
  };
  if (i.address != 0) add(fmt::format("{:016x}", i.address));
  const std::string_view name = names.str(i.name);
  const std::string_view file = names.str(i.file);
  if (!name.empty()) add(name);
  if (i.lineno != 0) {
    add(fmt::format("{}:{}", file, i.lineno));
  } else if (!file.empty()) {
    add(file);
  } else if (!name.empty()) {
    // the name says it all
  } else if (i.objfile != model::kEmptyStr) {
    add("[" + base_name(names.str(i.objfile)) + "]");
  } else {
    add("<unknown>");
  }
  return out;
}

std::string Graph::info_string(const NodeInfo& i) const {
  return fmt::format("{{{}  {} {} {} {} {}}}", names.str(i.name), i.address, names.str(i.file),
                     i.start_line, i.lineno, names.str(i.objfile));
}

}  // namespace pprofx::fold
