// Compiling a regular expression from user input or a profile: RE2 syntax
// (Go's regexp syntax, as pprof), UTF-8, errors not logged by RE2 itself.
#pragma once

#include <memory>
#include <string_view>

#include "pprofx/base/result.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace pprofx {

// The compiled pattern (RE2's default options with log_errors off), or an
// Error whose message is RE2's own ("missing ): ..."), for the caller to
// prefix with what the pattern was for.
Result<std::shared_ptr<const re2::RE2>> compile_regex(std::string_view pattern);

}  // namespace pprofx
