// pprof's flag spellings (-sample_index=1, -nodecount 10, -inuse_space) as
// aliases: rewritten to pprofx's long options before CLI11 parses them.
#pragma once

#include <string>
#include <vector>

namespace pprofx::cli {

std::vector<std::string> rewrite_pprof_flags(const std::vector<std::string>& args);

}  // namespace pprofx::cli
