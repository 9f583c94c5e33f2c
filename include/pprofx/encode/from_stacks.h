// A call tree (e.g. parsed folded stacks) as a pprof profile, so that folded
// stacks from perf, DTrace or async-profiler can be read by pprof's tools.
#pragma once

#include <string_view>

#include "pprofx/fold/stack_trie.h"
#include "pprofx/model/profile.h"

namespace pprofx::encode {

// One sample per path with a positive self value; one function per distinct
// (name, file), one location per distinct frame. Sample and period type are
// type/unit, period 1. Locations have no mapping and no address.
model::Profile profile_from_trie(const fold::StackTrie& trie, std::string_view type, std::string_view unit);

}  // namespace pprofx::encode
