#include "pprofx/fold/stack_trie.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "pprofx/base/id_index.h"
#include "pprofx/fold/frames.h"
#include "pprofx/fold/graph.h"
#include "trie_paths.h"

namespace pprofx::fold {

using detail::Paths;

StackTrie::StackTrie() {
  frames.push_back({names.intern("all"), model::kEmptyStr, 0});
  nodes.push_back({});
}

namespace {

uint32_t child_hash(NodeId parent, FrameId frame) {
  uint64_t h = (static_cast<uint64_t>(parent.value()) << 32 | frame.value()) * 0x9e3779b97f4a7c15ull;
  return static_cast<uint32_t>(h >> 32) | 1;  // never 0, so a hash alone never looks empty
}

}  // namespace

void StackTrie::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(std::max<size_t>(1024, old.size() * 2), Slot{});
  const size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.node == kNoNode) continue;
    size_t i = s.hash & mask;
    while (slots_[i].node != kNoNode) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

NodeId StackTrie::child(NodeId parent, FrameId frame) {
  if ((used_ + 1) * 2 > slots_.size()) grow();
  const uint32_t h = child_hash(parent, frame);
  const size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  while (slots_[i].node != kNoNode) {
    if (slots_[i].hash == h) {
      const TrieNode& n = nodes[slots_[i].node];
      if (n.parent == parent && n.frame == frame) return slots_[i].node;
    }
    i = (i + 1) & mask;
  }
  slots_[i] = {nodes.next_id(), h};
  ++used_;
  return add_child(parent, frame);
}

void StackTrie::finish() {
  for (TrieNode& n : nodes) {
    if (n.self < 0) {
      ++negative_stacks;
      negative_total += n.self;
      n.self = 0;
    }
    n.total = n.self;
  }
  for (size_t i = nodes.size(); i-- > 1;) nodes[nodes[i].parent].total += nodes[i].total;
  std::vector<Slot>().swap(slots_);  // lookups are over
  used_ = 0;
}

size_t StackTrie::depth_of(NodeId node) const {
  size_t d = 0;
  while (node != kRootNode) {
    node = nodes[node].parent;
    ++d;
  }
  return d;
}

namespace {

// Groups the samples order[begin, end) of `node` (at `depth`) by their next
// frame: paths ending here add to the node's self; each other group becomes
// a child, handed to `child(node, begin, end, total)`.
template <typename OnChild>
void split_group(StackTrie& trie, const Paths& paths, std::vector<uint32_t>& order,
                 std::vector<std::pair<uint32_t, uint32_t>>& keyed, NodeId node, uint32_t depth, size_t begin,
                 size_t end, OnChild on_child) {
  keyed.clear();
  for (size_t k = begin; k < end; ++k) {
    const Paths::Sample& s = paths.samples[order[k]];
    keyed.emplace_back(depth < s.length ? paths.frames[s.begin + depth].value() : ~0u, order[k]);
  }
  std::sort(keyed.begin(), keyed.end());
  size_t k = 0;
  while (k < keyed.size()) {
    size_t run = k;
    int64_t total = 0;
    uint8_t flags = 0;
    while (run < keyed.size() && keyed[run].first == keyed[k].first) {
      const Paths::Sample& s = paths.samples[keyed[run].second];
      total += s.value;
      if (keyed[k].first != ~0u) flags |= paths.flags[s.begin + depth];
      order[begin + run] = keyed[run].second;
      ++run;
    }
    if (keyed[k].first == ~0u) {
      trie.nodes[node].self += total;
    } else {
      const NodeId child = trie.add_child(node, FrameId(keyed[k].first));
      trie.nodes[child].inline_flags = flags;
      on_child(child, begin + k, begin + run, total);
    }
    k = run;
  }
}

}  // namespace

namespace detail {

// Builds the tree top-down: the samples of a node are grouped by their next
// frame, one child per group. Only groups with a total of at least min_total
// are expanded further, so the work is proportional to what can be drawn.
void build_from_paths(StackTrie& trie, const Paths& paths, int64_t min_total) {
  struct Item {
    NodeId node;
    uint32_t depth;
    size_t begin, end;  // range of `order`
  };
  // Nodes are not reserved from the path length: shared prefixes make that
  // an overstatement, and the heap bound (base/memory.h) counts capacity.
  std::vector<uint32_t> order(paths.samples.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::vector<std::pair<uint32_t, uint32_t>> keyed;  // (next frame or ~0 if the path ends, sample)
  std::vector<Item> todo{{kRootNode, 0, 0, order.size()}};
  while (!todo.empty()) {
    const Item it = todo.back();
    todo.pop_back();
    split_group(trie, paths, order, keyed, it.node, it.depth, it.begin, it.end,
                [&](NodeId child, size_t begin, size_t end, int64_t total) {
                  if (min_total > 0 && total < min_total) {
                    trie.nodes[child].self = total;  // not expanded: drawn by nobody, but widths still add up
                  } else if (end - begin == 1) {
                    // One sample left: its remaining path is a chain, no grouping needed.
                    const Paths::Sample& s = paths.samples[order[begin]];
                    NodeId node = child;
                    for (uint32_t d = it.depth + 1; d < s.length; ++d) {
                      node = trie.add_child(node, paths.frames[s.begin + d]);
                      trie.nodes[node].inline_flags = paths.flags[s.begin + d];
                    }
                    trie.nodes[node].self += s.value;
                  } else {
                    todo.push_back({child, it.depth + 1, begin, end});
                  }
                });
  }
}

}  // namespace detail

namespace {

// Best first, for a flame graph's frame budget: subtrees are expanded largest
// total first (ties shallowest first), and expansion stops once the frames the
// layout can draw are all there: the `budget` largest totals (ties taken
// shallowest first) and every child of those (drawn or not, they place their
// siblings). What is left becomes one node each, its self its whole total, as
// below min_total. render::layout then draws exactly what it would draw from
// the complete tree (unit test). Values must not be negative.
void build_best_first(StackTrie& trie, const Paths& paths, int64_t min_total, size_t budget) {
  std::vector<uint32_t> order(paths.samples.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::vector<std::pair<uint32_t, uint32_t>> keyed;
  const std::vector<detail::Group> left = detail::expand_best_first(
      {0, 0, kRootNode, 0, order.size()}, min_total, budget, [&](const detail::Group& g, auto&& push) {
        split_group(trie, paths, order, keyed, g.node, g.depth, g.begin, g.end,
                    [&](NodeId child, size_t b, size_t e, int64_t total) { push({total, g.depth + 1, child, b, e}); });
      });
  for (const detail::Group& g : left) trie.nodes[g.node].self = g.total;  // not expanded
}

}  // namespace

NodeId StackTrie::add_child(NodeId parent, FrameId frame) {
  const NodeId index = nodes.next_id();
  TrieNode n;
  n.frame = frame;
  n.parent = parent;
  n.next_sibling = nodes[parent].first_child;
  nodes[parent].first_child = index;
  nodes.push_back(n);
  return index;
}

namespace detail {

// Every weighted sample's path at the options' granularity, as trie frames
// of `trie` (made on first use; trie gets no nodes), after the pivot and
// reverse.
Paths collect_paths(const View& view, const TrieOptions& o, StackTrie& trie) {
  const FrameIndex index = FrameIndex::build(view, o.granularity, o.noinlines);
  // Trie frame of each frame id, made on first use.
  std::vector<FrameId> frame_of(index.size(), kRootFrame);  // kRootFrame: not made yet
  std::string scratch;
  auto trie_frame = [&](uint32_t id) {
    FrameId& f = frame_of[id];
    if (f == kRootFrame) {
      const NodeInfo& info = index.infos[id];
      FrameInfo fi;
      fi.name = trie.names.intern(index.printable_name(info, scratch));
      const model::StrId file = info.file != model::kEmptyStr ? info.file : index.function_file[id];
      if (file != model::kEmptyStr) fi.file = trie.names.intern(index.names.str(file));
      fi.line = info.lineno;
      f = trie.add_frame(fi);
    }
    return f;
  };
  // Per trie frame: 1 if its name matches the pivot, 2 if not, 0 unknown.
  std::vector<uint8_t> pivot_match;
  auto is_pivot = [&](FrameId frame) {
    if (frame.value() >= pivot_match.size()) pivot_match.resize(trie.frames.size(), 0);
    uint8_t& m = pivot_match[frame.value()];
    if (m == 0) m = o.pivot->matches(trie.names.str(trie.frames[frame].name)) ? 1 : 2;
    return m == 1;
  };
  Paths paths;
  // Samples with the same locations have the same path: one path each, its
  // value the sum of theirs. Stacks are told apart by an IdIndex over the
  // first sample of each (base/id_index.h).
  IdIndex stacks;
  std::vector<const ViewSample*> first_of_stack;
  // By ordinal - 1: the index of the sample's stack, or UINT32_MAX - 1 for
  // the first sample of a stack (UINT32_MAX: not weighted). The paths are
  // sized exactly before they are made (a pivot only shortens them): the heap
  // bound counts capacity, and doubling would hold two copies at once.
  std::vector<uint32_t> path_of(view.samples.size(), UINT32_MAX);
  size_t steps = 0;
  for_each_weighted_sample(view, o.value, [&](uint32_t ord, const ViewSample& s, int64_t w, int64_t) {
    if (w == 0) return;
    WordHash h;
    h.add(s.count);
    for (size_t i = 0; i < s.count; ++i) h.add(s.stack[i].value());
    const auto [stack, added] = stacks.find_or_add(h.value(), [&](uint32_t id) {
      const ViewSample& t = *first_of_stack[id];
      return t.count == s.count && (s.count == 0 || equal_ids(t.stack, s.stack, s.count));
    });
    if (!added) {
      path_of[ord - 1] = stack;
      return;
    }
    first_of_stack.push_back(&s);
    path_of[ord - 1] = UINT32_MAX - 1;  // first of its stack: gets a path below
    for (size_t j = 0; j < s.count; ++j) steps += index.frames_of(s.stack[j]).size();
  });
  const size_t distinct = first_of_stack.size();
  stacks = IdIndex();
  std::vector<const ViewSample*>().swap(first_of_stack);
  paths.samples.reserve(distinct);
  // Every frame made here is one of index's, after the trie's own.
  paths.frames.set_narrow(trie.frames.size() + index.size() <= size_t{1} << 16);
  paths.frames.reserve(steps);
  paths.flags.reserve(steps);
  // Stack index (in order of first appearance) -> path index, or UINT32_MAX
  // for a stack whose pivot-cut path is empty.
  std::vector<uint32_t> path_index;
  path_index.reserve(distinct);
  for_each_weighted_sample(view, o.value, [&](uint32_t ord, const ViewSample& s, int64_t w, int64_t) {
    if (w == 0) return;
    if (path_of[ord - 1] != UINT32_MAX - 1) {  // a repeat: add to its stack's path
      const uint32_t p = path_index[path_of[ord - 1]];
      if (p != UINT32_MAX) paths.samples[p].value += w;
      return;
    }
    path_index.push_back(UINT32_MAX);
    const auto begin = static_cast<uint32_t>(paths.frames.size());
    for (size_t i = s.count; i-- > 0;) {  // root first
      auto frames = index.frames_of(s.stack[i]);
      for (size_t k = frames.size(); k-- > 0;) {
        paths.frames.push_back(trie_frame(frames[k]));
        paths.flags.push_back(k + 1 != frames.size() ? kReachedInlined : kReachedByCall);
      }
    }
    if (o.pivot != nullptr) {
      uint32_t at = begin;
      while (at < paths.frames.size() && !is_pivot(paths.frames[at])) ++at;
      if (at == paths.frames.size()) {  // the function is not on this stack
        paths.frames.resize(begin);
        paths.flags.resize(begin);
        return;
      }
      if (o.pivot->callers) {  // root .. F, turned around: F first
        paths.frames.resize(at + 1);
        paths.flags.resize(at + 1);
        paths.frames.reverse(begin, paths.frames.size());
        paths.flags.reverse(begin, paths.flags.size());
      } else {  // F .. leaf
        paths.frames.erase(begin, at);
        paths.flags.erase(begin, at);
      }
    }
    const auto length = static_cast<uint32_t>(paths.frames.size() - begin);
    if (o.reverse) {
      paths.frames.reverse(begin, paths.frames.size());
      paths.flags.reverse(begin, paths.flags.size());
    }
    if (length > 0) {
      path_index.back() = static_cast<uint32_t>(paths.samples.size());
      paths.samples.push_back({begin, length, w});
    }
  });
  return paths;
}

}  // namespace detail

StackTrie build_trie(const View& view, const TrieOptions& o) {
  StackTrie trie;
  const Paths paths = detail::collect_paths(view, o, trie);
  int64_t positive = 0;
  for (const Paths::Sample& s : paths.samples) positive += std::max<int64_t>(0, s.value);
  bool negative = false;
  for (const Paths::Sample& s : paths.samples) negative = negative || s.value < 0;
  trie.cut_below =
      o.min_fraction > 0 ? static_cast<int64_t>(std::floor(o.min_fraction * static_cast<double>(positive))) : 0;
  if (o.frame_budget > 0 && o.min_fraction > 0 && !negative) {
    build_best_first(trie, paths, trie.cut_below, o.frame_budget);
  } else {
    detail::build_from_paths(trie, paths, trie.cut_below);
  }
  trie.finish();
  return trie;
}

}  // namespace pprofx::fold
