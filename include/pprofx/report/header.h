// The profile description pprof prints above every report (ProfileLabels).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "pprofx/model/profile.h"

namespace pprofx::report {

// "File:", "Build ID:", comments, "Type:", "Time:", "Duration: ..., Total samples = ..."
// `format` prints a value of the chosen sample type.
std::vector<std::string> profile_header(const model::Profile& p, std::string_view type, std::string_view unit,
                                        int64_t total, const std::function<std::string(int64_t)>& format);

// Go's time layout "Jan 2, 2006 at 3:04pm (MST)" in the local time zone.
std::string format_time(int64_t unix_nanos);
// "2026-11-30 12:00 UTC", the same in every time zone (check's baselines); "" for 0 or a time gmtime cannot show.
std::string format_utc_time(int64_t unix_nanos);

}  // namespace pprofx::report
