// Internal to fold: every sample's path as trie frames, shared by build_trie
// (stack_trie.cc) and the folded writer of a view (folded.cc).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "pprofx/fold/path_steps.h"
#include "pprofx/fold/stack_trie.h"
#include "pprofx/fold/view.h"

namespace pprofx::fold::detail {

using fold::Paths;  // path_steps.h

// Every weighted sample's path at the options' granularity, as frames of
// `trie` (made on first use; the trie gets no nodes), after pivot and reverse.
Paths collect_paths(const View& view, const TrieOptions& o, StackTrie& trie);

// Adds the paths to the trie top-down; subtrees under min_total (> 0) are
// one node each, their self their whole total.
void build_from_paths(StackTrie& trie, const Paths& paths, int64_t min_total);

// A subtree waiting to be expanded: its node, depth, total (its width) and
// its samples' range in the builder's order.
struct Group {
  int64_t total;
  uint32_t depth;
  NodeId node;
  size_t begin, end;
};

// The best-first expansion under a frame budget, shared by build_trie and
// build_merged_trie. expand(group, push) splits a group into its children,
// handing each to push(child group); groups are expanded largest total first
// (ties shallowest first, then first made). Frames surely at or over the
// layout's min-width threshold count toward the budget (min_total is its
// floor, up to rounding). Once `budget` of them are expanded, the smallest of
// them is the layout's threshold; any further frame of that total would be
// drawn only if it fitted in the budget (ties go shallowest first, and the
// heap hands them out in that order), so nothing more is expanded. Returns
// the groups left: they exist with their totals (they place their siblings
// and count as pruned), unexpanded.
template <typename Expand>
std::vector<Group> expand_best_first(Group root, int64_t min_total, size_t budget, Expand expand) {
  auto later = [](const Group& a, const Group& b) {  // the heap's top: largest total, then shallowest, then first made
    if (a.total != b.total) return a.total < b.total;
    if (a.depth != b.depth) return a.depth > b.depth;
    return a.node > b.node;
  };
  std::vector<Group> heap;
  auto push = [&](const Group& g) {
    heap.push_back(g);
    std::push_heap(heap.begin(), heap.end(), later);
  };
  expand(root, push);
  const int64_t countable = min_total + 2;
  size_t counted = 0;
  int64_t kth = -1;
  while (!heap.empty()) {
    const Group top = heap.front();
    if (top.total < min_total || (kth >= 0 && top.total <= kth)) break;
    std::pop_heap(heap.begin(), heap.end(), later);
    heap.pop_back();
    expand(top, push);
    if (top.total >= countable && ++counted == budget) kth = top.total;
  }
  return heap;
}

}  // namespace pprofx::fold::detail
