// One profile folded as a report asks: the sample type, pprof's filters and
// the granularity chosen, the view built, the call tree built. Shared by
// flame, fold, convert and the differential graph.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/fold/options.h"
#include "pprofx/fold/stack_trie.h"
#include "pprofx/fold/view.h"

namespace pprofx::fold {

// A profile's view (filters applied) and the options to fold it with.
// warnings: soft problems of the filters (e.g. a drop_frames regex ignored).
struct PreparedFold {
  View view;
  TrieOptions options;
  std::vector<std::string> warnings;
};

// shape gives reverse, min_fraction, pivot and frame_budget; the selection
// sets granularity, noinlines and the value. Errors are prefixed with name.
Result<PreparedFold> prepare_fold(const model::Profile& profile, const std::string& name, const Selection& selection,
                                  TrieOptions shape);

struct FoldedProfile {
  StackTrie trie;
  ValueChoice value;
  std::vector<std::string> warnings;
};
Result<FoldedProfile> fold_profile(const model::Profile& profile, const std::string& name, const Selection& selection,
                                   TrieOptions shape);

// A pivot for the frames whose name matches regex (RE2, partial match, as
// pprof's --focus): callers or callees of the function. Errors name
// --focus-function.
Result<std::shared_ptr<Pivot>> make_pivot(const std::string& regex, bool callers);

}  // namespace pprofx::fold
