// pprof's -tagroot / -tagleaf (driver/tagroot.go, addLabelNodes): pseudo
// frames made from each sample's labels, added to its stack at the root or at
// the leaf, so that reports, graphs and filters see "which label" as a frame.
//
// One frame per key for every sample (so depth stays constant): its function
// is named by the sample's values for that key joined with "," (numeric ones
// formatted in their unit, as pprof's ScaledLabel in `unit`), "" when the
// sample has no such label, and its file name is the key. Go 1.19's pprof
// shows such a frame by its values alone ("bob", "512kB"), and one with no
// values as "<unknown>" (or the key, at file and line granularity): pprofx's
// reports name frames as pprof does, so they show the same.
// The first root key ends up outermost, the last leaf key innermost.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/model/profile.h"

namespace pprofx::model {

// Keys as given: "a,b" (empty keys are dropped, as pprof does).
struct LabelFrames {
  std::string root;              // --tagroot
  std::string leaf;              // --tagleaf
  std::string unit = "minimum";  // numeric values' unit (pprof's -unit)
  bool any() const { return !root.empty() || !leaf.empty(); }
};

// "a,,b" -> {"a", "b"}.
std::vector<std::string> split_label_keys(std::string_view list);

struct LabelFrameMatches {
  bool root = false;  // some sample has a label of some root key
  bool leaf = false;
};

// Appends the pseudo functions, lines and locations (ids after the profile's
// largest, in pprof's order, so `raw` prints pprof's ids) and rewrites every
// sample's stack. Fails only if the stacks would outgrow the model's 32-bit
// indices.
Result<LabelFrameMatches> add_label_frames(Profile& p, const LabelFrames& frames);

// pprof's warnings for an option whose keys no sample has ("TagRoot
// expression matched no samples"), also when it named no key at all (",").
std::vector<std::string> label_frame_warnings(const LabelFrames& frames, const LabelFrameMatches& m);

}  // namespace pprofx::model
