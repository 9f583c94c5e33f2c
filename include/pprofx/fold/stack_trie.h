// The merged call tree of a profile: one node per distinct call path, as
// flame graphs and folded stacks need. Built from a View (pprof input) or
// from folded stacks (flamegraph.pl / inferno / perf input).
//
// Nodes live in one vector; node 0 is the root ("all"). A child's index is
// always greater than its parent's, so totals are one reverse pass. Nothing
// recurses over depth: stacks of 100,000 frames are fine.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pprofx/base/id.h"
#include "pprofx/base/result.h"
#include "pprofx/fold/folded.h"  // parse_folded, write_folded: for their users
#include "pprofx/fold/options.h"
#include "pprofx/fold/view.h"
#include "pprofx/model/string_table.h"

namespace pprofx::fold {

// Ids of StackTrie::nodes and StackTrie::frames: distinct types, so
// child(parent, frame) does not compile with its arguments swapped.
using NodeId = Id<struct TrieNodeTag>;
using FrameId = Id<struct TrieFrameTag>;
inline constexpr NodeId kRootNode{0};
inline constexpr NodeId kNoNode{0};  // no first child / next sibling (the root is nobody's child)
inline constexpr FrameId kRootFrame{0};

struct FrameInfo {
  model::StrId name = model::kEmptyStr;  // display name, in StackTrie::names
  model::StrId file = model::kEmptyStr;  // source file where known
  int64_t line = 0;                      // at line granularity
};

// How a trie node's frame was reached: as an inlined call (a frame that is
// not the outermost of its location), as a real call, or both.
enum InlineFlags : uint8_t { kReachedInlined = 1, kReachedByCall = 2 };

struct TrieNode {
  FrameId frame = kRootFrame;
  NodeId parent = kRootNode;
  NodeId first_child = kNoNode;
  NodeId next_sibling = kNoNode;
  int64_t self = 0;                   // value of stacks ending here
  int64_t total = 0;                  // self + descendants (after finish())
  uint8_t inline_flags = 0;           // InlineFlags; 0 for folded input
  bool inlined() const { return inline_flags == kReachedInlined; }
  bool partly_inlined() const { return inline_flags == (kReachedInlined | kReachedByCall); }
};

class StackTrie {
 public:
  StackTrie();

  model::StringTable names;
  IdVector<FrameId, FrameInfo> frames;  // frame 0: the root, "all"
  IdVector<NodeId, TrieNode> nodes;     // node 0: the root

  // Stacks whose summed value was negative (delta profiles): not drawable,
  // left out of the tree and counted here.
  uint64_t negative_stacks = 0;
  int64_t negative_total = 0;
  // Subtrees with a total under this (TrieOptions::min_fraction of the sum of
  // the positive stack values, rounded down) were not expanded: each is one
  // node whose self is its whole total. 0: the tree is complete.
  int64_t cut_below = 0;

  FrameId add_frame(const FrameInfo& f) {
    frames.push_back(f);
    return id_at<FrameId>(frames.size() - 1);
  }
  // The child of `parent` for `frame`, created if new.
  NodeId child(NodeId parent, FrameId frame);
  // A new child, without looking for an existing one (the caller knows).
  NodeId add_child(NodeId parent, FrameId frame);
  // Sets totals; stacks with negative net values are moved to negative_*.
  void finish();

  std::string_view name(const TrieNode& n) const { return names.str(frames[n.frame].name); }
  int64_t total() const { return nodes[kRootNode].total; }
  size_t depth_of(NodeId node) const;

 private:
  // Child lookup by (parent, frame): open addressing over node indices
  // (0 = empty: the root is nobody's child), with the hash kept beside each
  // index so most probes do not touch the node.
  struct Slot {
    NodeId node = kNoNode;
    uint32_t hash = 0;
  };
  std::vector<Slot> slots_;
  size_t used_ = 0;
  void grow();
};

// The sandwich view of one function: each sample's path is cut at its
// outermost frame whose name `matches` (samples without one are left out) and
// kept from there to the leaf (callees), or from there back to the root
// (callers: the function first, then its caller, ... the root last).
struct Pivot {
  std::function<bool(std::string_view)> matches;
  bool callers = false;
};

struct TrieOptions {
  Granularity granularity = Granularity::kFunctions;
  bool noinlines = false;
  ValueChoice value{};
  bool reverse = false;  // leaf first: the callers' view (flamegraph.pl --reverse)
  // Do not expand subtrees whose total is under this fraction of the total
  // (they cannot be drawn): keeps flame graphs of profiles with millions of
  // distinct paths fast. 0 builds the complete tree, as folded output needs.
  double min_fraction = 0;
  const Pivot* pivot = nullptr;  // the sandwich view of a function; applied before reverse
  // With min_fraction: the flame graph's frame budget (render::LayoutOptions::
  // frame_budget). Only what the layout can draw under it is expanded, so a
  // profile of millions of distinct deep paths builds thousands of nodes.
  // 0: no budget. Ignored when a sample value is negative.
  size_t frame_budget = 0;
};

// Frames are named as pprof names rows at the granularity (pprof top's names).
StackTrie build_trie(const View& view, const TrieOptions& options);

}  // namespace pprofx::fold
