// Internal to fold: every sample's path as trie frames, shared by build_trie
// (stack_trie.cc) and the folded writer of a view (folded.cc).
#pragma once

#include <cstdint>
#include <vector>

#include "pprofx/fold/stack_trie.h"
#include "pprofx/fold/view.h"

namespace pprofx::fold::detail {

// Every sample's path, root first (or leaf first with reverse), flat.
struct Paths {
  std::vector<FrameId> frames;
  std::vector<uint8_t> flags;    // InlineFlags per step
  struct Sample {
    uint32_t begin, length;
    int64_t value;
  };
  std::vector<Sample> samples;
};

// Every weighted sample's path at the options' granularity, as frames of
// `trie` (made on first use; the trie gets no nodes), after pivot and reverse.
Paths collect_paths(const View& view, const TrieOptions& o, StackTrie& trie);

// Adds the paths to the trie top-down; subtrees under min_total (> 0) are
// one node each, their self their whole total.
void build_from_paths(StackTrie& trie, const Paths& paths, int64_t min_total);

}  // namespace pprofx::fold::detail
