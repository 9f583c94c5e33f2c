// pprof's call graph nodes with flat and cum values (internal/graph).
//
// One node per frame id of a FrameIndex. flat goes to the innermost frame of
// each sample; cum to every node on its stack, once per sample even under
// recursion.
#pragma once

#include <cstdint>
#include <vector>

#include "pprofx/fold/frames.h"
#include "pprofx/fold/options.h"
#include "pprofx/fold/view.h"

namespace pprofx::fold {

struct Node {
  int64_t flat = 0, flat_div = 0, cum = 0, cum_div = 0;
  // Values shown: with -mean, divided by the summed count.
  int64_t flat_value() const { return flat_div == 0 ? flat : flat / flat_div; }
  int64_t cum_value() const { return cum_div == 0 ? cum : cum / cum_div; }
};

struct GraphOptions {
  Granularity granularity = Granularity::kFunctions;
  bool noinlines = false;
  ValueChoice value;
  // At most this many threads (1 or 2) walk the samples, when they hold
  // enough frames to be worth it; the graph is the same for any number.
  unsigned threads = 2;
};

enum class InlineMark : uint8_t { kNone, kInline, kPartialInline };

// A call edge of pprof's graph between two kept nodes (internal/graph Edge).
struct Edge {
  uint32_t src = 0, dest = 0;  // frame ids: caller, callee
  int64_t weight = 0, weight_div = 0;
  bool inlined = true;    // every call along it was an inlined frame
  bool residual = false;  // it stands for a path through nodes not kept
};

// Calls visit(ordinal, sample, value, mean_divisor) for each view sample with
// a non-zero value or divisor; ordinal is 1-based and unique per sample.
// The same over the view samples [begin, end) only (ordinals as above).
template <typename Visit>
void for_each_weighted_sample(const View& view, const ValueChoice& value, size_t begin, size_t end, Visit visit) {
  const model::Profile& p = *view.profile;
  for (size_t i = begin; i < end; ++i) {
    const ViewSample& s = view.samples[i];
    auto v = p.sample_values(s.sample);
    const int64_t w = v[value.index];
    const int64_t dw = value.mean ? v[0] : 0;
    if (w == 0 && dw == 0) continue;
    visit(static_cast<uint32_t>(i + 1), s, w, dw);
  }
}
template <typename Visit>
void for_each_weighted_sample(const View& view, const ValueChoice& value, Visit visit) {
  for_each_weighted_sample(view, value, 0, view.samples.size(), visit);
}

class Graph {
 public:
  // Builds every node and accumulates flat/cum over the view's samples.
  static Graph build(const View& view, const GraphOptions& options);

  FrameIndex frames;
  std::vector<Node> nodes;  // per frame id, including ones with zero values

  // pprof's "(inline)" / "(partial-inline)" markers for the nodes in `kept`,
  // from the call edges between kept nodes whose |weight| >= edge_cutoff.
  std::vector<InlineMark> inline_marks(const std::vector<uint8_t>& kept, int64_t edge_cutoff) const;

  // The edges between kept nodes as pprof's graph rebuilt over the kept nodes
  // has them (counted once per sample; a path through dropped nodes makes a
  // residual edge). With `dest_filter`, only edges into nodes it marks.
  // Sorted by (src, dest).
  std::vector<Edge> edges(const std::vector<uint8_t>& kept, const std::vector<uint8_t>* dest_filter = nullptr) const;

 private:
  const View* view_ = nullptr;
  GraphOptions options_;
  size_t split_ = 0;  // where a second thread takes over the samples (0: one thread)
};

}  // namespace pprofx::fold
