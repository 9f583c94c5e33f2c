// A filtered picture of a profile's stacks, built without modifying the
// Profile: which samples take part, the locations of each one's stack, and
// for each location the lines (frames) that remain.
//
// build_view applies, in pprof's order: the profile's drop_frames/keep_frames
// (RemoveUninteresting), focus/ignore/hide/show, show_from, tagfocus/tagignore
// and prune_from. Samples whose stacks end up empty are dropped, as pprof does.
#pragma once

#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/fold/options.h"
#include "pprofx/model/profile.h"

namespace pprofx::fold {

struct ViewSample {
  uint32_t sample;              // index into Profile::samples
  uint32_t count;               // stack length
  const model::LocationId* stack;  // [0] is the leaf
};

struct View {
  View() = default;
  View(View&&) = default;  // stacks point into stack_storage, which moves along
  View& operator=(View&&) = default;
  View(const View&) = delete;
  View& operator=(const View&) = delete;

  const model::Profile* profile = nullptr;
  std::vector<ViewSample> samples;
  // Lines of location l: line_refs[line_begin[l] .. + line_count[l]), indices
  // into Profile::lines, innermost first.
  IdVector<model::LocationId, uint32_t> line_begin;
  IdVector<model::LocationId, uint32_t> line_count;
  std::vector<model::LineId> line_refs;
  // Messages pprof would print to stderr ("Focus expression matched no samples").
  std::vector<std::string> warnings;

  std::span<const model::LineId> lines(model::LocationId loc) const {
    return {line_refs.data() + line_begin[loc], line_count[loc]};
  }
  std::span<const model::LocationId> stack(const ViewSample& s) const { return {s.stack, s.count}; }
  // Label keys removed by --tagshow / --taghide (pprof's FilterTagsByName),
  // sorted: reports that print labels skip these.
  std::vector<model::StrId> hidden_label_keys;
  bool label_shown(model::StrId key) const {
    return hidden_label_keys.empty() ||
           !std::binary_search(hidden_label_keys.begin(), hidden_label_keys.end(), key);
  }
  // Backing store for stacks rewritten by hide/show; other stacks point into
  // Profile::sample_locations.
  std::vector<model::LocationId> stack_storage;
  // Stacks the profile's drop_frames cut while keeping --tagleaf's frames at
  // their leaf (written once, before any filter, so pointers into it stay valid).
  std::vector<model::LocationId> pruned_storage;
};

Result<View> build_view(const model::Profile& p, const Filters& filters);

// pprof's report total: the sum of |value| (divided by the count sum for
// -mean) over all samples, or over the view's samples with
// relative_percentages.
int64_t report_total(const model::Profile& p, const ValueChoice& value, const View* relative);

}  // namespace pprofx::fold
