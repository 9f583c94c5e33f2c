// Merging profiles with pprof's rules (profile.Merge and measurement.ScaleProfiles):
// sample types must match in number and kind (names equal up to a trailing
// "s", units of one kind: values are scaled to the finest unit); period types
// must match. Mappings, functions, locations and samples are de-duplicated by
// pprof's identity keys; samples with the same stack and labels are summed;
// all-zero samples are dropped. Header: earliest time, summed duration,
// largest period, comments de-duplicated, the first default sample type, and
// drop/keep frames and period type of the first profile. Where pprof's int64
// arithmetic would wrap around (sums, unit conversions, the duration),
// pprofx refuses the inputs instead (docs/errors.md).
//
// Entities are numbered in first-seen order over the inputs in the order
// they are added, so the result depends on that order only.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/model/profile.h"

namespace pprofx::model {

// pprof's compatibility check of `p` against the first profile of a merge;
// the names appear in the message ("b.pb.gz: incompatible sample types: ...").
Status check_mergeable(const Profile& first, const std::string& first_name, const Profile& p,
                       const std::string& name);

// Merges profiles one at a time, so a caller can free each input once it is
// added: memory is the merged profile plus the input being added.
class Merger {
 public:
  Merger();
  ~Merger();
  Merger(const Merger&) = delete;
  Merger& operator=(const Merger&) = delete;

  // Adds `p`, which has passed check_mergeable against the first profile added.
  // Every sum and unit conversion is checked: an error ("a.pb.gz and b.pb.gz:
  // merging overflows int64: ...", `name` being p's) when a merged value, a
  // sample type's sum of |values| (the decoder's rule), the summed duration or
  // a converted period or value would leave int64. After an error the Merger
  // is spent.
  Status add(const Profile& p, std::string_view name);
  // The merged profile (empty if nothing was added); the Merger is spent.
  Profile finish();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// All of `profiles` in order; `names` are used in error messages.
Result<Profile> merge(const std::vector<const Profile*>& profiles, const std::vector<std::string>& names);

}  // namespace pprofx::model
