// The baseline store of `pprofx check --store`: DIR/NAME/000001.pprof,
// 000002.pprof, ... (each the profile's bytes as given), oldest first, each
// written atomically; files of other names in the directory are left alone.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "pprofx/base/result.h"

namespace pprofx::report {

// Letters, digits, '-', '_' and '.'; not "." or "..".
bool valid_baseline_name(std::string_view name);

// The stored files of NAME, oldest first (none when NAME has no directory).
Result<std::vector<std::string>> list_baselines(const std::string& store, const std::string& name);

// The names in the store (directories with valid names), sorted.
Result<std::vector<std::string>> baseline_names(const std::string& store);

// Stores bytes as NAME's newest baseline, then keeps the newest `keep` (at
// least 1). Returns the new file's path.
Result<std::string> save_baseline(const std::string& store, const std::string& name, std::string_view bytes,
                                  size_t keep);

// Removes all but the newest `keep` baselines of NAME.
Status prune_baselines(const std::string& store, const std::string& name, size_t keep);

}  // namespace pprofx::report
