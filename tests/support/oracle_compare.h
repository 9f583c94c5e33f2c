// Compares pprofx's decoded model with libprotobuf's parse of the same bytes.
// Used by the corpus oracle test and the differential fuzzer.
#pragma once

#include <string>

#include "pprofx/model/profile.h"
#include "proto/profile.pb.h"

namespace pprofx::testing {

// "" if they describe the same profile, field by field (modulo what pprof drops on
// purpose: numeric labels of 0 without unit, counted in dropped_zero_labels; undefined
// mapping ids, each such location checked to have no mapping and counted in
// dangling_mapping_refs; and the num / num_unit of a string label, which the model does
// not store); else the first difference found.
// compare_period_type=false for arbitrary bytes: with period_type given twice,
// pprof (and pprofx) keep the last one where libprotobuf merges the two.
std::string compare_with_oracle(const model::Profile& m, const perftools::profiles::Profile& o,
                                bool compare_period_type = true);

}  // namespace pprofx::testing
