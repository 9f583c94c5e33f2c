#include "pprofx/render/layout.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "pprofx/render/text.h"

namespace pprofx::render {

size_t frame_bytes(const fold::StackTrie& trie, fold::NodeId node) {
  const fold::FrameInfo& f = trie.frames[trie.nodes[node].frame];
  const std::string name = cut_middle(sanitize_utf8(display_name(trie.names.str(f.name))));
  const size_t file =
      f.file == model::kEmptyStr ? 0 : xml_escaped_size(cut_middle(sanitize_utf8(trie.names.str(f.file))));
  return kFrameFixedBytes + 2 * (xml_escaped_size(name) + 2) + file;
}

namespace {

// The size budget: frames by total (largest first), ties shallowest first,
// are kept while their bytes fit; frames of one total at one depth are kept
// or dropped together. Lowers *threshold / *tie_max_depth; true if it did.
bool apply_byte_budget(const fold::StackTrie& trie, size_t budget, int64_t* threshold, uint32_t* tie_max_depth) {
  const size_t n = trie.nodes.size();
  std::vector<uint32_t> depth(n, 0);
  std::vector<fold::NodeId> drawn;
  IdVector<fold::FrameId, size_t> cost(trie.frames.size(), 0);
  auto bytes = [&](fold::NodeId i) {
    size_t& c = cost[trie.nodes[i].frame];
    if (c == 0) c = frame_bytes(trie, i);
    return c;
  };
  size_t sum = bytes(fold::kRootNode);
  for (size_t i = 1; i < n; ++i) {
    const fold::TrieNode& node = trie.nodes[i];
    depth[i] = depth[node.parent.value()] + 1;
    if (node.total > *threshold || (node.total == *threshold && depth[i] <= *tie_max_depth)) {
      drawn.push_back(fold::NodeId(static_cast<uint32_t>(i)));
      sum += bytes(drawn.back());
    }
  }
  if (sum <= budget) return false;
  std::sort(drawn.begin(), drawn.end(), [&](fold::NodeId a, fold::NodeId b) {
    const int64_t ta = trie.nodes[a].total, tb = trie.nodes[b].total;
    if (ta != tb) return ta > tb;
    return depth[a.value()] != depth[b.value()] ? depth[a.value()] < depth[b.value()] : a < b;
  });
  size_t used = bytes(fold::kRootNode);
  for (size_t i = 0; i < drawn.size();) {
    size_t j = i, level = 0;  // [i, j): one total at one depth
    const int64_t total = trie.nodes[drawn[i]].total;
    const uint32_t d = depth[drawn[i].value()];
    while (j < drawn.size() && trie.nodes[drawn[j]].total == total && depth[drawn[j].value()] == d) {
      level += bytes(drawn[j++]);
    }
    if (used + level > budget) {
      *threshold = total;
      *tie_max_depth = d - 1;  // this total is drawn down to the level above
      return true;
    }
    used += level;
    i = j;
  }
  return true;  // not reached: the sum did not fit
}

}  // namespace

Layout layout(const fold::StackTrie& trie, const LayoutOptions& o) {
  Layout out;
  out.total = trie.total();
  out.byte_budget = o.byte_budget;
  const size_t n = trie.nodes.size();
  if (out.total <= 0) {
    out.boxes.push_back({fold::kRootNode, 0, 0, 0});
    return out;
  }
  // Threshold from the min width, in value units (at least 1: zero-width frames are never drawn).
  double t = o.min_width_percent ? static_cast<double>(out.total) * o.min_width / 100.0
                                 : o.min_width * static_cast<double>(out.total) / o.width_px;
  out.threshold = std::max<int64_t>({1, static_cast<int64_t>(std::ceil(t)), trie.cut_below});
  // Frame budget: the largest totals win. Totals only shrink from parent to
  // child, so a threshold on totals keeps every drawn frame's parent drawn.
  size_t count = 0;
  for (size_t i = 1; i < n; ++i) count += trie.nodes[i].total >= out.threshold;
  uint32_t tie_max_depth = UINT32_MAX;  // frames at exactly the threshold are drawn down to this depth
  // Which tries may hold unexpanded subtrees (fold::build_trie, build_merged_trie):
  // those built from profiles (their nodes have inline flags; folded input's
  // have none) with a min width, or with a frame budget that was reached
  // (then at least that many frames are over the threshold; this also counts
  // complete trees of that many frames: a bound where an exact share would
  // do, never the reverse).
  bool from_profile = false;
  for (size_t i = 1; i < n && !from_profile; ++i) from_profile = trie.nodes[i].inline_flags != 0;
  out.leaves_may_hide_callees =
      trie.cut_below > 0 || (from_profile && o.frame_budget > 0 && count >= o.frame_budget);
  if (o.frame_budget > 0 && count > o.frame_budget) {
    std::vector<int64_t> totals;
    totals.reserve(count);
    for (size_t i = 1; i < n; ++i) {
      if (trie.nodes[i].total >= out.threshold) totals.push_back(trie.nodes[i].total);
    }
    std::nth_element(totals.begin(), totals.begin() + static_cast<long>(o.frame_budget - 1), totals.end(),
                     std::greater<>());
    const int64_t kth = totals[o.frame_budget - 1];
    out.threshold = kth;
    out.budget_applied = true;
    // Frames with exactly the threshold total may be too many (a deep chain of
    // equal frames): take them shallowest first, up to the budget. Depths come
    // in one pass, as parents precede children.
    size_t above = 0;
    for (int64_t v : totals) above += v > kth;
    std::vector<uint32_t> depth(n, 0);
    std::vector<size_t> at_depth;
    for (size_t i = 1; i < n; ++i) {
      depth[i] = depth[trie.nodes[i].parent.value()] + 1;
      if (trie.nodes[i].total == kth) {
        if (at_depth.size() <= depth[i]) at_depth.resize(depth[i] + 1);
        ++at_depth[depth[i]];
      }
    }
    size_t room = o.frame_budget - above;
    tie_max_depth = 0;
    for (uint32_t d = 0; d < at_depth.size() && at_depth[d] <= room; ++d) {
      room -= at_depth[d];
      tie_max_depth = d;
    }
  }

  if (o.byte_budget > 0 && apply_byte_budget(trie, o.byte_budget, &out.threshold, &tie_max_depth)) {
    out.byte_budget_applied = true;
  }

  std::vector<fold::NodeId> children;
  struct Item {
    fold::NodeId node;
    int64_t x;
    uint32_t depth;
  };
  std::vector<Item> todo{{fold::kRootNode, 0, 0}};
  while (!todo.empty()) {
    const Item it = todo.back();
    todo.pop_back();
    const fold::TrieNode& node = trie.nodes[it.node];
    out.boxes.push_back({it.node, it.x, node.total, it.depth});
    out.max_depth = std::max(out.max_depth, it.depth);
    children.clear();
    for (fold::NodeId c = node.first_child; c != fold::kNoNode; c = trie.nodes[c].next_sibling) {
      if (trie.nodes[c].total > 0) children.push_back(c);
    }
    if (o.sort == SortOrder::kName) {
      std::sort(children.begin(), children.end(), [&](fold::NodeId a, fold::NodeId b) {
        const auto na = trie.name(trie.nodes[a]), nb = trie.name(trie.nodes[b]);
        return na != nb ? na < nb : a < b;
      });
    } else {
      std::sort(children.begin(), children.end(), [&](fold::NodeId a, fold::NodeId b) {
        const int64_t ta = trie.nodes[a].total, tb = trie.nodes[b].total;
        if (ta != tb) return ta > tb;
        const auto na = trie.name(trie.nodes[a]), nb = trie.name(trie.nodes[b]);
        return na != nb ? na < nb : a < b;
      });
    }
    // Positions over all children; pruned ones leave a gap, as flamegraph.pl does.
    int64_t x = it.x + node.self;
    const size_t first = todo.size();
    for (fold::NodeId c : children) {
      const int64_t w = trie.nodes[c].total;
      if (w > out.threshold || (w == out.threshold && it.depth + 1 <= tie_max_depth)) {
        todo.push_back({c, x, it.depth + 1});
      } else {
        ++out.pruned_frames;
        out.pruned_value += w;
      }
      x += w;
    }
    std::reverse(todo.begin() + static_cast<long>(first), todo.end());  // draw left to right
  }
  return out;
}

}  // namespace pprofx::render
