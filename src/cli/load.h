// Loading a profile for a command: read, inflate, decode, with one-line errors.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/model/profile.h"
#include "pprofx/report/info.h"

namespace pprofx::cli {

struct Loaded {
  model::Profile profile;
  report::InfoInput input;
};

Result<Loaded> load_profile(const std::string& path, uint64_t max_bytes);

// Several profiles, read and decoded in parallel on `threads` threads (0: one
// per core), then merged with pprof's rules. One path: no merge.
Result<Loaded> load_profiles(const std::vector<std::string>& paths, uint64_t max_bytes, unsigned threads);

// Prints "pprofx: warning: FILE: ..." for soft problems pprof accepts silently.
void warn_soft_problems(const std::string& path, const model::Profile& p);

}  // namespace pprofx::cli
