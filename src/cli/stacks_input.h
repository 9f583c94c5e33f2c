// Input for flame/fold: a pprof profile (folded through the filters) or a
// folded-stacks text file, told apart by content.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "load.h"
#include "options_common.h"
#include "pprofx/base/result.h"
#include "pprofx/fold/stack_trie.h"

namespace pprofx::cli {

struct StacksInput {
  fold::StackTrie trie;
  std::string name;        // as given (or <stdin>)
  std::string type;        // sample type shown ("cpu"), "samples" for folded input
  std::string unit;        // its unit
  int64_t duration_nanos = 0;
  bool folded = false;     // read from folded text
};

// One input, read: either folded stacks (parsed, leaf first if reverse) or a
// pprof profile (several merged, symbolized as load says).
struct LoadedInput {
  std::string name;
  std::optional<fold::StackTrie> folded;
  std::optional<model::Profile> profile;
};
Result<LoadedInput> load_input(const std::vector<std::string>& paths, const LoadOptions& load, bool reverse);

// Folded stacks say nothing of sample types or frame details: an error if
// args (or --focus-function, `pivot`) ask for them on folded input.
Status refuse_details_for_folded(const LoadedInput& in, const ReportArgs& args, bool pivot);

// A profile's view (filters applied) and the options to fold it with, as
// args say (the value from *sample_index_override when given); shape gives
// reverse, min_fraction, pivot and frame_budget.
struct PreparedFold {
  fold::View view;
  fold::TrieOptions options;
};
Result<PreparedFold> prepare_fold(const model::Profile& profile, const std::string& name, const ReportArgs& args,
                                  const std::string* sample_index_override, fold::TrieOptions shape);

// The call tree of a profile as args say (filters, granularity, value; the
// value from *sample_index_override when given); shape gives reverse,
// min_fraction and pivot. *chosen gets the value.
Result<fold::StackTrie> fold_profile(const model::Profile& profile, const std::string& name, const ReportArgs& args,
                                     const std::string* sample_index_override, fold::TrieOptions shape,
                                     fold::ValueChoice* chosen);

// Text that is not a pprof profile nor a legacy one: folded stacks.
bool looks_folded(std::string_view bytes);

// min_fraction: subtrees under this share of the total need not be expanded
// (flame graphs cannot draw them); 0 for the complete tree.
// Several pprof profiles are merged first (decoded on load.threads threads);
// profiles are symbolized as load says.
// frame_budget: the layout's, so that only what it can draw is built (0: all).
Result<StacksInput> load_stacks(const std::vector<std::string>& paths, const LoadOptions& load, const ReportArgs& args,
                                bool reverse, double min_fraction, size_t frame_budget = 0);

}  // namespace pprofx::cli
