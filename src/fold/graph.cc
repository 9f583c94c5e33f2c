#include "pprofx/fold/graph.h"

#include <algorithm>
#include <thread>
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

namespace {

// Below this many frames in all the view's stacks one thread does the work
// (a thread costs more than it saves).
constexpr uint64_t kParallelFrames = uint64_t{1} << 20;

// Where the view's samples are cut for a second thread: after about half of
// their frames; 0 for one thread. The sums are integers, so the result is
// the same however they are cut.
size_t split_point(const View& view, unsigned threads) {
  if (threads < 2 || std::thread::hardware_concurrency() < 2) return 0;
  uint64_t frames = 0;
  for (const ViewSample& s : view.samples) frames += s.count;
  if (frames < kParallelFrames) return 0;
  uint64_t seen = 0;
  for (size_t i = 0; i < view.samples.size(); ++i) {
    seen += view.samples[i].count;
    if (seen >= frames / 2) return i + 1;
  }
  return 0;
}

// Runs work(0, split) here and work(split, n) on a second thread when split
// is not 0; the two write to their own state.
template <typename Work>
void in_two(size_t split, size_t n, Work work) {
  if (split == 0 || split >= n) {
    work(0, n, 0);
    return;
  }
  std::thread second([&] { work(split, n, 1); });
  work(0, split, 0);
  second.join();
}

// Flat and cum of each node over some of the samples. Structure of arrays
// for the hot loop: the stamps and cum values of all nodes stay in cache
// where Node records would not.
struct NodeSums {
  explicit NodeSums(size_t n) : stamp(n, 0xffffffffu), cum(n), cum_div(n), flat(n), flat_div(n) {}
  std::vector<uint32_t> stamp;
  std::vector<int64_t> cum, cum_div, flat, flat_div;
};

}  // namespace

Graph Graph::build(const View& view, const GraphOptions& options) {
  Graph g;
  g.view_ = &view;
  g.options_ = options;
  g.frames = FrameIndex::build(view, options.granularity, options.noinlines);
  g.nodes.resize(g.frames.size());
  g.split_ = split_point(view, options.threads);
  std::vector<NodeSums> sums;
  sums.reserve(2);
  sums.emplace_back(g.nodes.size());
  if (g.split_ != 0) sums.emplace_back(g.nodes.size());
  in_two(g.split_, view.samples.size(), [&](size_t begin, size_t end, int part) {
    NodeSums& out = sums[part];
    for_each_weighted_sample(view, options.value, begin, end, [&](uint32_t ordinal, const ViewSample& s, int64_t w, int64_t dw) {
      int64_t last = -1;
      for (size_t i = s.count; i-- > 0;) {
        auto loc_frames = g.frames.frames_of(s.stack[i]);
        for (size_t k = loc_frames.size(); k-- > 0;) {
          const uint32_t n = loc_frames[k];
          if (out.stamp[n] != ordinal) {
            out.stamp[n] = ordinal;
            out.cum[n] += w;
            out.cum_div[n] += dw;
          }
          last = n;
        }
      }
      if (last >= 0) {
        out.flat[last] += w;
        out.flat_div[last] += dw;
      }
    });
  });
  for (size_t n = 0; n < g.nodes.size(); ++n) {
    Node& node = g.nodes[n];
    for (const NodeSums& part : sums) {
      node.cum += part.cum[n];
      node.cum_div += part.cum_div[n];
      node.flat += part.flat[n];
      node.flat_div += part.flat_div[n];
    }
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
  std::vector<EdgeTable<Acc>> tables(split_ == 0 ? 1 : 2);
  in_two(split_, view_->samples.size(), [&](size_t begin, size_t end, int part) {
    EdgeTable<Acc>& acc = tables[part];
    for_each_weighted_sample(*view_, options_.value, begin, end, [&](uint32_t ordinal, const ViewSample& s, int64_t w, int64_t dw) {
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
  });
  // The second part's edges into the first: weights add up, a residual or a
  // plain call in either part marks the edge.
  if (tables.size() == 2) {
    for (const auto& [key, b] : tables[1].entries()) {
      bool added = false;
      Acc& a = tables[0].get(key, &added);
      if (added) {
        a = b;
        continue;
      }
      a.edge.weight += b.edge.weight;
      a.edge.weight_div += b.edge.weight_div;
      a.edge.residual = a.edge.residual || b.edge.residual;
      a.edge.inlined = a.edge.inlined && b.edge.inlined;
    }
  }
  std::vector<Edge> out;
  out.reserve(tables[0].entries().size());
  for (const auto& [key, a] : tables[0].entries()) out.push_back(a.edge);
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
