// How large a change must be to be more than sampling noise, and the
// metric changes are compared in (shares, absolute values, per second).
// Formulas in docs/ci.md.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/diff/tables.h"

namespace pprofx::diff {

// kPerOp: values divided by the number of operations each profile ran
// (DiffTable's base_ops and new_ops).
enum class Normalize { kShare, kAbsolute, kPerSecond, kPerOp };

Result<Normalize> parse_normalize(std::string_view s);
std::string_view normalize_name(Normalize n);  // "share", "absolute", "per-second", "per-op"

// What BASE's values are multiplied by to be in NEW's scale under n: the
// ratio of the totals (share), of the durations (per second), of the
// operation counts (per op); 1 when absolute or a ratio is unknown.
double base_scale(const DiffTable& t, Normalize n);
// pprofx's default per profile kind: CPU-like (time) types compare by share,
// so profiles of different lengths compare; heap, goroutine, mutex and block
// by absolute value.
Normalize default_normalize(const DiffTable& t);

// Sample types whose values are exact counts, not samples (goroutine and
// threadcreate profiles count every goroutine or thread): no sampling noise.
bool exact_counts(std::string_view type);

// The noise bound on a change of share, in share points: 3 standard errors of
// the difference of two proportions, from the estimated sample counts
// (docs/diff.md). Zero when a profile has no samples.
double share_noise_points(double base_share, double new_share, int64_t base_count, int64_t new_count);
// The same for table t's type: zero for exact counts.
double share_noise_points(const DiffTable& t, double base_share, double new_share, int64_t base_count, int64_t new_count);

// For absolute comparisons: is new - base within 3 standard errors of the
// sampling noise (Poisson sample counts, estimated from the totals)? Never
// for unsampled counts (goroutine, threadcreate profiles).
// base_scale: BASE's values in NEW's scale (per second, per op) first.
bool value_within_noise(int64_t base_value, int64_t new_value, const DiffTable& t, double base_scale = 1.0);

// The median (of an even count: the mean of the middle two); 0 for none.
double median_of(std::vector<double> values);

}  // namespace pprofx::diff
