// pprof's legacy profile formats, read the way pprof's profile package reads
// them (profile/legacy_profile.go, legacy_java_profile.go): gperftools binary
// CPU profiles (C++ and Java), heap text (heap_v2, heapz_v2, heap/, heapprofile,
// growthz, fragmentationz), Go count profiles, threadz, contention text and
// Java heapz/contentionz, with their memory maps and pprof's default
// drop_frames/keep_frames.
#pragma once

#include <optional>
#include <string_view>

#include "pprofx/base/result.h"
#include "pprofx/model/profile.h"

namespace pprofx::legacy {

// nullopt when no legacy parser recognises `bytes` (tried in pprof's order);
// else the profile or pprof's error, prefixed with `name` and the format.
// dump_symbols: read a Go debug=1 dump's "#" lines as its frames' names, files
// and lines, and its "# labels:" (pprof reads only the addresses, for a
// binary to symbolize: pass false when one is given).
std::optional<Result<model::Profile>> parse_legacy(std::string_view bytes, std::string_view name,
                                                   bool dump_symbols = true);

}  // namespace pprofx::legacy
