#include "pprofx/fold/merged_trie.h"

#include <algorithm>
#include <cmath>

#include "pprofx/base/id_index.h"
#include "trie_paths.h"

namespace pprofx::fold {
namespace {

using detail::Paths;

// Frames of one name are one frame (the first made of that name).
std::vector<FrameId> canonical_frames(const StackTrie& trie) {
  std::vector<FrameId> canon(trie.frames.size());
  std::vector<FrameId> by_name(trie.names.size(), kRootFrame);
  for (size_t f = 0; f < trie.frames.size(); ++f) {
    FrameId& first = by_name[trie.frames[FrameId(static_cast<uint32_t>(f))].name.value()];
    if (f == 0 || first == kRootFrame) first = FrameId(static_cast<uint32_t>(f));
    canon[f] = f == 0 ? kRootFrame : first;
  }
  return canon;
}

}  // namespace

namespace {

// A side's paths added as add_merged_side says; their frames are out.trie's,
// or (into) those of another trie, into[f] the same frame in out.trie.
void merge_paths(MergedPaths& out, Paths p, int side, bool join, const std::vector<FrameId>* into = nullptr) {
  const std::vector<FrameId> canon = canonical_frames(out.trie);
  for (size_t i = 0; i < p.frames.size(); ++i) {
    const FrameId f = into ? (*into)[p.frames[i].value()] : p.frames[i];
    p.frames.set(i, canon[f.value()]);
  }
  for (const Paths::Sample& s : p.samples) {
    if (!join) {
      MergedPaths::Path q{.begin = s.begin, .length = s.length, .side = static_cast<uint8_t>(side)};
      if (side == 1) q.new_begin = s.begin;
      (side == 0 ? q.base : q.next) = s.value;
      out.paths.push_back(q);
      continue;
    }
    WordHash h;
    h.add(s.length);
    for (uint32_t i = 0; i < s.length; ++i) h.add(p.frames[s.begin + i].value());
    const auto [id, added] = out.index.find_or_add(h.value(), [&](uint32_t path) {
      const MergedPaths::Path& q = out.paths[path];
      if (q.length != s.length) return false;
      if (q.side == side) {
        return p.frames.equal(s.begin, q.begin, s.length);
      }
      for (uint32_t i = 0; i < s.length; ++i) {
        if (out.step(q.side, q.begin + i) != p.frames[s.begin + i]) return false;
      }
      return true;
    });
    if (added) out.paths.push_back({.begin = s.begin, .length = s.length, .side = static_cast<uint8_t>(side)});
    MergedPaths::Path& q = out.paths[id];
    (side == 0 ? q.base : q.next) += s.value;
    if (side == 1) q.new_begin = s.begin;
  }
  out.frames[side] = std::move(p.frames);
  out.flags[side] = std::move(p.flags);
}

}  // namespace

void add_merged_side(MergedPaths& out, const View& view, const TrieOptions& options, int side, bool join) {
  merge_paths(out, detail::collect_paths(view, options, out.trie), side, join);
}

CollectedSide collect_side(const View& view, const TrieOptions& options) {
  CollectedSide c;
  c.paths = detail::collect_paths(view, options, c.trie);
  return c;
}

void add_collected_side(MergedPaths& out, CollectedSide c, int side, bool join) {
  if (out.trie.frames.size() == 1 && out.paths.empty()) {  // the first side: its frames are out's as they are
    out.trie = std::move(c.trie);
    merge_paths(out, std::move(c.paths), side, join);
    return;
  }
  // The side's frames made in out.trie in the order collect_paths made them
  // (and named in that order), as if it had read the view now.
  std::vector<FrameId> into(c.trie.frames.size(), kRootFrame);
  for (size_t f = 1; f < c.trie.frames.size(); ++f) {
    const FrameInfo& from = c.trie.frames[FrameId(static_cast<uint32_t>(f))];
    FrameInfo fi;
    fi.name = out.trie.names.intern(c.trie.names.str(from.name));
    if (from.file != model::kEmptyStr) fi.file = out.trie.names.intern(c.trie.names.str(from.file));
    fi.line = from.line;
    into[f] = out.trie.add_frame(fi);
  }
  c.trie = StackTrie();
  if (c.paths.frames.narrow() && out.trie.frames.size() > size_t{1} << 16) c.paths.frames.make_wide();
  merge_paths(out, std::move(c.paths), side, join, &into);
}

CollectedSide take_collected_side(MergedPaths paths, StackTrie trie, int side) {
  CollectedSide c;
  c.trie = std::move(trie);
  c.paths.frames = std::move(paths.frames[side]);
  c.paths.flags = std::move(paths.flags[side]);
  c.paths.samples.reserve(paths.paths.size());
  for (const MergedPaths::Path& q : paths.paths)
    c.paths.samples.push_back({q.begin, q.length, side == 0 ? q.base : q.next});
  return c;
}

void pack_merged_side(MergedPaths& out, int side) {
  if (out.trie.frames.size() > size_t{1} << 16 || out.frames[side].empty()) return;
  out.frames[side].make_narrow();
}

void finish_merged_paths(MergedPaths& out) {
  out.index = IdIndex();
  for (MergedPaths::Path& q : out.paths) {
    q.base = std::max<int64_t>(q.base, 0);
    q.next = std::max<int64_t>(q.next, 0);
    out.base_total += q.base;
    out.new_total += q.next;
  }
}

namespace {

class MergedBuilder {
 public:
  MergedBuilder(MergedPaths& p, const std::vector<int64_t>& width, MergedTrie& m) : p_(p), width_(width), m_(m) {
    order_.resize(p.paths.size());
    for (uint32_t i = 0; i < order_.size(); ++i) order_[i] = i;
    m_.base_self.push_back(0);
    m_.new_self.push_back(0);
    m_.base_total.push_back(p.base_total);
    m_.new_total.push_back(p.new_total);
  }

  size_t paths() const { return order_.size(); }

  // Groups order_[begin, end) of `node` (at `depth`) by their next frame, as
  // split_group does for one profile, with each side's values.
  template <typename OnChild>
  void split(NodeId node, uint32_t depth, size_t begin, size_t end, OnChild on_child) {
    keyed_.clear();
    for (size_t k = begin; k < end; ++k) {
      const MergedPaths::Path& s = p_.paths[order_[k]];
      keyed_.emplace_back(depth < s.length ? p_.frame(s, depth).value() : ~0u, order_[k]);
    }
    std::sort(keyed_.begin(), keyed_.end());
    StackTrie& trie = m_.trie;
    for (size_t k = 0; k < keyed_.size();) {
      size_t run = k;
      int64_t width = 0, base = 0, next = 0;
      uint8_t new_flags = 0, base_flags = 0;
      while (run < keyed_.size() && keyed_[run].first == keyed_[k].first) {
        const uint32_t i = keyed_[run].second;
        const MergedPaths::Path& s = p_.paths[i];
        width += width_[i];
        base += s.base;
        next += s.next;
        if (keyed_[k].first != ~0u) (s.new_begin != UINT32_MAX ? new_flags : base_flags) |= p_.flag(s, depth);
        order_[begin + run] = i;
        ++run;
      }
      if (keyed_[k].first == ~0u) {
        trie.nodes[node].self += width;
        m_.base_self[node] += base;
        m_.new_self[node] += next;
      } else {
        const NodeId child = trie.add_child(node, FrameId(keyed_[k].first));
        trie.nodes[child].inline_flags = new_flags != 0 ? new_flags : base_flags;
        m_.base_self.push_back(0);
        m_.new_self.push_back(0);
        m_.base_total.push_back(base);
        m_.new_total.push_back(next);
        on_child(child, begin + k, begin + run, width);
      }
      k = run;
    }
  }

  // A subtree left whole: one node, each value its total.
  void leave(NodeId node, int64_t width) {
    m_.trie.nodes[node].self = width;
    m_.left.push_back(node);
    m_.base_self[node] = m_.base_total[node];
    m_.new_self[node] = m_.new_total[node];
  }

 private:
  MergedPaths& p_;
  const std::vector<int64_t>& width_;
  MergedTrie& m_;
  std::vector<uint32_t> order_;
  std::vector<std::pair<uint32_t, uint32_t>> keyed_;
};

}  // namespace

MergedTrie build_merged_trie(MergedPaths& paths, const std::vector<int64_t>& width, double min_fraction,
                             size_t frame_budget) {
  MergedTrie m;
  m.trie = std::move(paths.trie);
  int64_t positive = 0;
  for (int64_t w : width) positive += w;
  const int64_t min_total =
      min_fraction > 0 ? static_cast<int64_t>(std::floor(min_fraction * static_cast<double>(positive))) : 0;
  m.trie.cut_below = min_total;
  MergedBuilder b(paths, width, m);
  using detail::Group;
  std::vector<Group> todo;
  if (frame_budget == 0 || min_fraction <= 0) {
    // Complete (but for subtrees under min_total, when given), top-down as build_from_paths.
    todo.push_back({positive, 0, kRootNode, 0, b.paths()});
    while (!todo.empty()) {
      const Group g = todo.back();
      todo.pop_back();
      b.split(g.node, g.depth, g.begin, g.end, [&](NodeId child, size_t begin, size_t end, int64_t total) {
        if (min_total > 0 && total < min_total) {
          b.leave(child, total);
        } else {
          todo.push_back({total, g.depth + 1, child, begin, end});
        }
      });
    }
  } else {
    // Best first, as build_best_first (stack_trie.cc): the largest totals expanded until the
    // layout's frame budget is met; what is left is drawn by nobody.
    const std::vector<Group> left = detail::expand_best_first(
        {positive, 0, kRootNode, 0, b.paths()}, min_total, frame_budget, [&](const Group& g, auto&& push) {
          b.split(g.node, g.depth, g.begin, g.end, [&](NodeId child, size_t begin, size_t end, int64_t total) {
            push({total, g.depth + 1, child, begin, end});
          });
        });
    for (const Group& g : left) b.leave(g.node, g.total);
  }
  m.trie.finish();
  return m;
}

}  // namespace pprofx::fold
