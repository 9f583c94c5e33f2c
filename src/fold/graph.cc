#include "pprofx/fold/graph.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace pprofx::fold {


namespace {

// Call edges by (caller, callee): open addressing over 64-bit keys, the hot
// loop of top's inline marks and of tree (20 million edge visits on a deep
// profile; std::unordered_map spent a second there).
template <typename Value>
class EdgeTable {
 public:
  EdgeTable() { rehash(1024); }
  // The value for key, default-constructed if new (*added says which).
  Value& get(uint64_t key, bool* added) {
    if ((entries_.size() + 1) * 2 > index_.size()) rehash(index_.size() * 2);
    for (size_t i = slot(key);; i = (i + 1) & mask_) {
      if (index_[i] == kEmpty) {
        index_[i] = static_cast<uint32_t>(entries_.size());
        entries_.push_back({key, Value{}});
        *added = true;
        return entries_.back().second;
      }
      if (entries_[index_[i]].first == key) {
        *added = false;
        return entries_[index_[i]].second;
      }
    }
  }
  const std::vector<std::pair<uint64_t, Value>>& entries() const { return entries_; }

 private:
  static constexpr uint32_t kEmpty = 0xffffffffu;
  size_t slot(uint64_t key) const { return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> 24) & mask_; }
  void rehash(size_t n) {
    index_.assign(n, kEmpty);
    mask_ = n - 1;
    for (uint32_t e = 0; e < entries_.size(); ++e) {
      size_t i = slot(entries_[e].first);
      while (index_[i] != kEmpty) i = (i + 1) & mask_;
      index_[i] = e;
    }
  }
  std::vector<uint32_t> index_;  // slot -> entry, kEmpty if free
  std::vector<std::pair<uint64_t, Value>> entries_;
  size_t mask_ = 0;
};

}  // namespace

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

std::vector<Edge> Graph::edges(const std::vector<uint8_t>& kept, const std::vector<uint8_t>* dest_filter) const {
  const model::Profile& p = *view_->profile;
  // Locations holding a wanted destination; samples without one cannot add
  // an edge into one.
  std::vector<uint8_t> loc_relevant;
  if (dest_filter != nullptr) {
    loc_relevant.resize(p.locations.size());
    for (model::LocationId l : p.locations.ids()) {
      for (uint32_t n : frames.frames_of(l)) loc_relevant[l.value()] |= (*dest_filter)[n];
    }
  }
  struct Acc {
    Edge edge;
    uint32_t last_sample = 0;
  };
  EdgeTable<Acc> acc;
  for_each_weighted_sample(*view_, options_.value, [&](uint32_t ordinal, const ViewSample& s, int64_t w, int64_t dw) {
    if (dest_filter != nullptr) {
      bool relevant = false;
      for (size_t i = 0; i < s.count && !relevant; ++i) relevant = loc_relevant[s.stack[i].value()];
      if (!relevant) return;
    }
    int64_t parent = -1;
    bool residual = false;
    for (size_t i = s.count; i-- > 0;) {
      auto loc_frames = frames.frames_of(s.stack[i]);
      for (size_t k = loc_frames.size(); k-- > 0;) {
        const uint32_t n = loc_frames[k];
        if (!kept[n]) {
          residual = true;
          continue;
        }
        if (parent >= 0 && n != parent && (dest_filter == nullptr || (*dest_filter)[n])) {
          const uint64_t key = (static_cast<uint64_t>(parent) << 32) | n;
          bool added = false;
          Acc& a = acc.get(key, &added);
          if (added) {
            a.edge.src = static_cast<uint32_t>(parent);
            a.edge.dest = n;
          }
          if (added || a.last_sample != ordinal) {  // once per sample, as pprof's seenEdge
            a.last_sample = ordinal;
            a.edge.weight += w;
            a.edge.weight_div += dw;
            a.edge.residual = a.edge.residual || residual;
            if (k == loc_frames.size() - 1) a.edge.inlined = false;  // one plain call makes the edge a call
          }
        }
        parent = n;
        residual = false;
      }
    }
  });
  std::vector<Edge> out;
  out.reserve(acc.entries().size());
  for (const auto& [key, a] : acc.entries()) out.push_back(a.edge);
  std::sort(out.begin(), out.end(), [](const Edge& a, const Edge& b) {
    return a.src != b.src ? a.src < b.src : a.dest < b.dest;
  });
  return out;
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
  std::vector<uint8_t> in_inline(nodes.size()), in_call(nodes.size());
  for (const Edge& e : edges(kept, &candidate)) {
    if ((e.weight < 0 ? -e.weight : e.weight) < edge_cutoff) continue;
    (e.inlined ? in_inline : in_call)[e.dest] = 1;
  }
  for (size_t n = 0; n < nodes.size(); ++n) {
    if (in_inline[n]) marks[n] = in_call[n] ? InlineMark::kPartialInline : InlineMark::kInline;
  }
  return marks;
}

}  // namespace pprofx::fold
