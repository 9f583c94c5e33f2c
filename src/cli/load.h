// Loading a profile for a command: read, inflate, decode, with one-line errors.
#pragma once

#include <cstdint>
#include <string>

#include "pprofx/base/result.h"
#include "pprofx/model/profile.h"
#include "pprofx/report/info.h"

namespace pprofx::cli {

struct Loaded {
  model::Profile profile;
  report::InfoInput input;
};

Result<Loaded> load_profile(const std::string& path, uint64_t max_bytes);

// Prints "pprofx: warning: FILE: ..." for soft problems pprof accepts silently.
void warn_soft_problems(const std::string& path, const model::Profile& p);

}  // namespace pprofx::cli
