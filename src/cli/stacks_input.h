// Input for flame/fold: a pprof profile (folded through the filters) or a
// folded-stacks text file, told apart by content.
#pragma once

#include <string>
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

// min_fraction: subtrees under this share of the total need not be expanded
// (flame graphs cannot draw them); 0 for the complete tree.
// Several pprof profiles are merged first (decoded on load.threads threads);
// profiles are symbolized as load says.
Result<StacksInput> load_stacks(const std::vector<std::string>& paths, const LoadOptions& load, const ReportArgs& args,
                                bool reverse, double min_fraction);

}  // namespace pprofx::cli
