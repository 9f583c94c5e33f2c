// Writing results: files are written to a temporary name in the same
// directory and renamed when complete, so a failure or a kill never leaves a
// half-written file under the final name (an old file stays intact).
#pragma once

#include <string>
#include <string_view>

#include "pprofx/base/result.h"

namespace pprofx::io {

// Writes data to path atomically; "-" writes to stdout.
Status write_output(const std::string& path, std::string_view data);

}  // namespace pprofx::io
