// BASE's values added to a tree built from NEW's paths alone (merged_trie.h:
// add_walked_side): each BASE sample's path followed down the tree for as far
// as the tree has it, instead of collecting BASE's paths and building over
// both sides.
#include <algorithm>
#include <bit>
#include <string>

#include "pprofx/fold/frames.h"
#include "pprofx/fold/graph.h"
#include "pprofx/fold/merged_trie.h"

namespace pprofx::fold {
namespace {

constexpr uint32_t kNone = UINT32_MAX;

// (parent node, frame) -> child node, for every node of the tree but the root.
class ChildTable {
 public:
  explicit ChildTable(const StackTrie& trie) {
    const size_t n = trie.nodes.size();
    const size_t slots = std::bit_ceil(std::max<size_t>(16, 2 * n));
    mask_ = slots - 1;
    keys_.assign(slots, kEmpty);
    values_.assign(slots, kNone);
    for (size_t i = 1; i < n; ++i) {
      const TrieNode& node = trie.nodes[NodeId(static_cast<uint32_t>(i))];
      const uint64_t k = key(node.parent.value(), node.frame.value());
      size_t at = slot(k);
      while (keys_[at] != kEmpty) at = (at + 1) & mask_;
      keys_[at] = k;
      values_[at] = static_cast<uint32_t>(i);
    }
  }

  uint32_t find(uint32_t parent, uint32_t frame) const {
    const uint64_t k = key(parent, frame);
    for (size_t at = slot(k);; at = (at + 1) & mask_) {
      if (keys_[at] == k) return values_[at];
      if (keys_[at] == kEmpty) return kNone;
    }
  }

 private:
  static constexpr uint64_t kEmpty = ~uint64_t{0};  // no node has frame UINT32_MAX under parent UINT32_MAX
  static uint64_t key(uint32_t parent, uint32_t frame) { return (uint64_t{parent} << 32) | frame; }
  size_t slot(uint64_t k) const { return static_cast<size_t>((k * 0x9e3779b97f4a7c15ull) >> 32) & mask_; }
  size_t mask_ = 0;
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> values_;
};

}  // namespace

int64_t add_walked_side(MergedTrie& m, const View& view, const TrieOptions& o) {
  const StackTrie& trie = m.trie;
  const FrameIndex index = FrameIndex::build(view, o.granularity, o.noinlines);
  // The tree's frame of each name: the first made of it (frames of one name are one frame).
  std::vector<uint32_t> frame_of_name(trie.names.size(), kNone);
  for (size_t f = trie.frames.size(); f-- > 1;) {
    frame_of_name[trie.frames[FrameId(static_cast<uint32_t>(f))].name.value()] = static_cast<uint32_t>(f);
  }
  // Per index frame: the tree's frame of its name, kNone if the tree has none
  // (then no node has it), kUnknown until first met.
  constexpr uint32_t kUnknown = kNone - 1;
  std::vector<uint32_t> frame_of(index.size(), kUnknown);
  std::string scratch;
  auto tree_frame = [&](uint32_t id) {
    uint32_t& f = frame_of[id];
    if (f == kUnknown) {
      model::StrId name;
      f = trie.names.find(index.printable_name(index.infos[id], scratch), &name) ? frame_of_name[name.value()] : kNone;
    }
    return f;
  };
  const ChildTable children(trie);
  int64_t all = 0;
  for_each_weighted_sample(view, o.value, [&](uint32_t, const ViewSample& s, int64_t w, int64_t) {
    if (w == 0) return;
    uint32_t node = kRootNode.value();
    bool empty = true, whole = true;
    // The steps root first, as collect_paths makes them, until the tree does not have the path so far.
    for (size_t i = s.count; i-- > 0 && whole;) {
      const auto frames = index.frames_of(s.stack[i]);
      for (size_t k = frames.size(); k-- > 0;) {
        empty = false;
        const uint32_t f = tree_frame(frames[k]);
        const uint32_t child = f == kNone ? kNone : children.find(node, f);
        if (child == kNone) {
          whole = false;
          break;
        }
        m.base_total[NodeId(child)] += w;
        node = child;
      }
    }
    if (empty) return;  // no path: as collect_paths, no value
    if (whole) m.base_self[NodeId(node)] += w;
    all += w;
  });
  m.base_total[kRootNode] = all;
  for (const NodeId left : m.left) m.base_self[left] = m.base_total[left];
  return all;
}

}  // namespace pprofx::fold
