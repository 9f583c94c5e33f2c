// The baseline store: DIR/NAME/000001.pprof, 000002.pprof, ... (the profile's
// bytes as given), oldest first; each written atomically.
#pragma once

#include <string>
#include <vector>

#include "pprofx/base/result.h"

namespace pprofx::cli {

Result<std::vector<std::string>> list_baselines(const std::string& store, const std::string& name);

}  // namespace pprofx::cli
