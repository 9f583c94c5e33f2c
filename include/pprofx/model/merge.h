// Merging profiles with pprof's rules (profile.Merge and measurement.ScaleProfiles):
// sample types must match in number and kind (names equal up to a trailing
// "s", units of one kind: values are scaled to the finest unit); period types
// must match. Mappings, functions, locations and samples are de-duplicated by
// pprof's identity keys; samples with the same stack and labels are summed;
// all-zero samples are dropped. Header: earliest time, summed duration,
// largest period, comments de-duplicated, the first default sample type, and
// drop/keep frames and period type of the first profile.
#pragma once

#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/model/profile.h"

namespace pprofx::model {

// `names` are used in error messages ("b.pb.gz: sample types differ ...").
Result<Profile> merge(const std::vector<const Profile*>& profiles, const std::vector<std::string>& names);

}  // namespace pprofx::model
