// Pure layout: a StackTrie -> one box per drawn frame, in value units.
// Shared by the SVG and PNG writers, so both draw exactly the same graph.
#pragma once

#include <cstdint>
#include <vector>

#include "pprofx/fold/stack_trie.h"

namespace pprofx::render {

inline constexpr size_t kSvgByteBudget = size_t{64} << 20;  // 64 MiB of frames
// What the SVG may spend on the search's record of the frames it does not
// draw (svg.cc), within what the frames leave of the byte budget.
inline constexpr size_t kSearchByteBudget = size_t{32} << 20;

enum class SortOrder { kName, kSize };  // flamegraph.pl sorts by name

struct LayoutOptions {
  double width_px = 1200;          // image width the min width is measured against
  double min_width = 0.1;          // drop frames narrower than this ...
  bool min_width_percent = false;  // ... in px, or in % of the total
  size_t frame_budget = 20000;     // and raise the threshold until at most this many frames remain
  // Size budget (0: none): raise the threshold further (the narrowest frames
  // go first, ties the deepest) until the frames' SVG elements, each counted
  // at frame_bytes(), add up to at most this many bytes. The PNG draws the
  // same frames.
  size_t byte_budget = kSvgByteBudget;
  SortOrder sort = SortOrder::kName;
};

struct Box {
  fold::NodeId node;
  int64_t x;       // start, in value units from the left edge
  int64_t width;   // = the node's total
  uint32_t depth;  // 0 = the root ("all")
};

struct Layout {
  std::vector<Box> boxes;  // parents before children
  int64_t total = 0;
  uint32_t max_depth = 0;
  int64_t threshold = 0;        // frames with a smaller total were not drawn
  size_t pruned_frames = 0;     // frames not drawn whose parent is drawn (their callees are not counted)
  int64_t pruned_value = 0;     // value of those frames, callees included
  bool budget_applied = false;  // the frame budget, not min_width, set the threshold
  bool byte_budget_applied = false;  // the size budget set it
  size_t byte_budget = 0;            // LayoutOptions::byte_budget (0: none)
  // A leaf of the trie may stand for callees it does not hold: the trie was
  // built from a profile with a min width (StackTrie::cut_below) or a frame
  // budget (fold::TrieOptions), which leave subtrees unexpanded. Folded
  // input and unpruned builds hold every path. The search then gives bounds.
  bool leaves_may_hide_callees = false;
};

// The most bytes the SVG writer spends on one frame: a fixed part
// (kFrameFixedBytes: markup, numbers, value or diff detail lines) plus the
// frame's shown name, escaped, twice (tooltip and label) and its file.
inline constexpr size_t kFrameFixedBytes = 1280;
size_t frame_bytes(const fold::StackTrie& trie, fold::NodeId node);

Layout layout(const fold::StackTrie& trie, const LayoutOptions& options);

}  // namespace pprofx::render
