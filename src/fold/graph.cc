#include "pprofx/fold/graph.h"

#include <unordered_map>

namespace pprofx::fold {

using model::Index;

Graph Graph::build(const View& view, const GraphOptions& options) {
  Graph g;
  g.view_ = &view;
  g.options_ = options;
  g.frames = FrameIndex::build(view, options.granularity, options.noinlines);
  g.nodes.resize(g.frames.size());
  // Structure of arrays for the hot loop: the stamps and cum values of all
  // nodes stay in cache where Node records would not.
  std::vector<uint32_t> stamp(g.nodes.size(), 0xffffffffu);
  std::vector<int64_t> cum(g.nodes.size()), cum_div(g.nodes.size());
  for_each_weighted_sample(view, options.value, [&](uint32_t ordinal, const ViewSample& s, int64_t w, int64_t dw) {
    int64_t last = -1;
    for (size_t i = s.count; i-- > 0;) {
      auto loc_frames = g.frames.frames_of(s.stack[i]);
      for (size_t k = loc_frames.size(); k-- > 0;) {
        const uint32_t n = loc_frames[k];
        if (stamp[n] != ordinal) {
          stamp[n] = ordinal;
          cum[n] += w;
          cum_div[n] += dw;
        }
        last = n;
      }
    }
    if (last >= 0) {
      g.nodes[last].flat += w;
      g.nodes[last].flat_div += dw;
    }
  });
  for (size_t n = 0; n < g.nodes.size(); ++n) {
    g.nodes[n].cum = cum[n];
    g.nodes[n].cum_div = cum_div[n];
  }
  return g;
}

std::vector<InlineMark> Graph::inline_marks(const std::vector<uint8_t>& kept, int64_t edge_cutoff) const {
  std::vector<InlineMark> marks(nodes.size(), InlineMark::kNone);
  // Only edges into nodes that appear as inlined frames can be inline edges.
  std::vector<uint8_t> candidate(nodes.size());
  bool any = false;
  for (size_t n = 0; n < nodes.size(); ++n) {
    candidate[n] = kept[n] && frames.inlined_somewhere[n];
    any = any || candidate[n];
  }
  if (!any) return marks;
  const model::Profile& p = *view_->profile;
  // Locations holding a candidate; samples without one cannot add an edge into one.
  std::vector<uint8_t> loc_has_candidate(p.locations.size());
  for (Index l = 0; l < p.locations.size(); ++l) {
    for (uint32_t n : frames.frames_of(l)) loc_has_candidate[l] |= candidate[n];
  }
  struct Edge {
    int64_t weight = 0;
    uint32_t last_sample = 0;
    bool inlined = true;
  };
  std::unordered_map<uint64_t, Edge> edges;
  for_each_weighted_sample(*view_, options_.value, [&](uint32_t ordinal, const ViewSample& s, int64_t w, int64_t) {
    bool relevant = false;
    for (size_t i = 0; i < s.count && !relevant; ++i) relevant = loc_has_candidate[s.stack[i]];
    if (!relevant) return;
    int64_t parent = -1;
    for (size_t i = s.count; i-- > 0;) {
      auto loc_frames = frames.frames_of(s.stack[i]);
      for (size_t k = loc_frames.size(); k-- > 0;) {
        const uint32_t n = loc_frames[k];
        if (!kept[n]) continue;
        if (parent >= 0 && n != parent && candidate[n]) {
          Edge& e = edges[(static_cast<uint64_t>(parent) << 32) | n];
          if (e.last_sample != ordinal) {
            if (k == loc_frames.size() - 1) e.inlined = false;  // one plain call makes the edge a call
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

}  // namespace pprofx::fold
