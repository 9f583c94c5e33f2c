// `pprofx info`: what a profile holds, in one screen.
#pragma once

#include <string>

#include "pprofx/model/profile.h"

namespace pprofx::report {

struct InfoInput {
  std::string name;         // as given on the command line
  uint64_t file_bytes = 0;  // size on disk
  bool gzipped = false;
  uint64_t raw_bytes = 0;   // decompressed size
};

std::string format_info(const model::Profile& p, const InfoInput& in);

}  // namespace pprofx::report
