// `pprofx raw`: pprof's -raw, the text dump of the profile (Go's
// Profile.String()) as pprof prints it: the profile merged with itself (as pprof
// reads every profile) and filtered, then comments, period, time, duration, samples with
// their values, location ids and labels, locations with their lines, mappings.
#pragma once

#include <string>

#include "pprofx/base/result.h"
#include "pprofx/model/profile.h"
#include "pprofx/report/traces.h"

namespace pprofx::report {

// The samples and lines are those left by o.selection.filters, in pprof's way:
// samples without a stack left out, hidden lines gone from their locations,
// every location listed. Sample type, granularity and unit do not apply (pprof
// forces addresses). Names, files and labels are escaped as text.
Result<LabelReport> raw_report(const model::Profile& p, const LabelReportOptions& o);

// Go's time.Duration.String(): "1h2m3.5s", "1.5ms", "0s".
std::string go_duration(int64_t nanos);

// Go's time.Time.String() of time.Unix(0, nanos) in the local time zone:
// "2006-01-02 15:04:05.999999999 -0700 MST".
std::string go_time(int64_t unix_nanos);

}  // namespace pprofx::report
