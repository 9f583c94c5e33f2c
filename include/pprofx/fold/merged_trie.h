// Two views' call trees merged path by path (frames matched by name), for the
// differential flame graph: first every path of both sides with each side's
// value (add_merged_side, one side at a time), then, once the caller has given each path its
// width, the tree built as far as a flame graph under the frame budget draws
// (build_merged_trie: best first over the union, as build_trie for flame).
#pragma once

#include <cstdint>
#include <vector>

#include "pprofx/base/id.h"
#include "pprofx/base/id_index.h"
#include "pprofx/fold/path_steps.h"
#include "pprofx/fold/stack_trie.h"

namespace pprofx::fold {

// Every distinct path of either side once (root first), BASE's and NEW's value
// on it: the self of the node it ends at in each side's complete tree (a
// negative self, of delta profiles, counts as 0, as StackTrie::finish()).
// Each side's frames stay where add_merged_side put them (no copy): a path is
// kept where it was first seen, NEW's steps also known where NEW has it.
struct MergedPaths {
  StackTrie trie;  // its frames and names only (no nodes yet)
  // Per side (0 BASE, 1 NEW): the frames of its paths, 2 bytes a step when
  // the trie's frame ids allow (path_steps.h), and how each step was reached.
  StepFrames frames[2];
  StepFlags flags[2];
  struct Path {
    uint32_t begin = 0, length = 0;  // in side's frames
    uint32_t new_begin = UINT32_MAX;  // in NEW's frames, when NEW has the path
    uint8_t side = 0;
    int64_t base = 0, next = 0;
  };
  std::vector<Path> paths;
  int64_t base_total = 0, new_total = 0;  // the sides' tree totals (after finish_merged_paths)
  IdIndex index;                          // paths by their frames, while sides are added

  FrameId step(int side, uint32_t at) const { return frames[side][at]; }
  FrameId frame(const Path& p, uint32_t depth) const { return step(p.side, p.begin + depth); }
  uint8_t flag(const Path& p, uint32_t depth) const {
    const bool in_new = p.new_begin != UINT32_MAX;  // NEW's flags where NEW has the path
    return flags[in_new ? 1 : p.side][(in_new ? p.new_begin : p.begin) + depth];
  }
};

// Adds one side's paths, BASE (side 0) first, then NEW (side 1), as
// prepare_fold made the view and options (each side's value, the shared
// granularity, reverse and pivot); frames of one name are one frame. The view
// (and its profile) may be freed once this returns. join: a path both sides
// have is one path with both values (widths that round a scaled BASE per
// node need that); without, each side's paths stay apart (the build adds them
// up alike; cheaper, for widths from NEW).
void add_merged_side(MergedPaths& out, const View& view, const TrieOptions& options, int side, bool join = true);
// One side's paths read on their own, before the other side's profile is
// loaded (the diff graph of two large files then holds one profile at a
// time): its frames in a trie of its own, made in the order add_merged_side
// would make them. add_collected_side adds them later, after the other side:
// the same MergedPaths as add_merged_side of the side's view then.
struct CollectedSide {
  StackTrie trie;  // the side's frames and names only
  Paths paths;
};
CollectedSide collect_side(const View& view, const TrieOptions& options);
void add_collected_side(MergedPaths& out, CollectedSide collected, int side, bool join = true);
// A side's paths as collect_side gave them, back from a MergedPaths that
// holds that side alone (add_collected_side into an empty one, then
// finish_merged_paths; no negative value) and the tree build_merged_trie
// made of it (its frames and names are the side's): for a caller that built
// the side's tree alone and then must merge it with the other after all.
CollectedSide take_collected_side(MergedPaths paths, StackTrie trie, int side);
// Once a side was added (and its profile freed): its frames in 2 bytes a step
// when the trie's frames now allow it and collect_paths could not know they
// would (it goes by the frames the side might make).
void pack_merged_side(MergedPaths& out, int side);
// After both sides: negative values to 0, the totals.
void finish_merged_paths(MergedPaths& out);

// The merged tree; its self and total are the widths. Per node, each side's
// self and total; `left`: the nodes left whole (subtrees not expanded, their
// self their total).
struct MergedTrie {
  StackTrie trie;
  IdVector<NodeId, int64_t> base_self, base_total, new_self, new_total;
  std::vector<NodeId> left;
};

// width[i] is path i's width (>= 0; the caller makes sure they add up within
// int64). min_fraction and frame_budget as TrieOptions: subtrees the layout
// cannot draw are one node each, self = its whole total (each side's too).
// With frame_budget 0 (or min_fraction 0) the tree is complete. paths.trie
// is moved into the result (its frames and names, now with nodes); the
// paths and their steps are left as they were.
MergedTrie build_merged_trie(MergedPaths& paths, const std::vector<int64_t>& width, double min_fraction,
                             size_t frame_budget);

// BASE's values (side 0) added to a tree that build_merged_trie made of NEW's
// paths alone (widths from NEW; no value negative on either side), so that
// BASE's paths need not be collected: each weighted sample's path, made as
// collect_paths makes it (no pivot, no reverse), is followed down the tree for as far as
// the tree has it, its value added to the total of every node on the way and
// to the self of the node it ends at. What the tree does not have is under a
// node left whole (whose self is then its total) or only in BASE (widths from
// NEW draw none of it). The same values on the tree's nodes as a build over
// both sides' paths. Returns BASE's total.
int64_t add_walked_side(MergedTrie& m, const View& view, const TrieOptions& options);

}  // namespace pprofx::fold
