// The robust trend test of `pprofx trend` (docs/leak-hunting.md): Theil-Sen's slope
// and the Mann-Kendall test, with its variance corrected for ties and the
// normal approximation with continuity correction.
#pragma once

#include <cstdint>
#include <span>

namespace pprofx::trend {

// The median of the slopes (x[j] - x[i]) / (t[j] - t[i]) over every pair with
// t[i] != t[j]; 0 for fewer than two distinct times. t and x have one size.
double theil_sen_slope(std::span<const double> t, std::span<const double> x);

struct MannKendall {
  int64_t s = 0;          // sum of sign(x[j] - x[i]) over i < j
  double variance = 0;    // of s under no trend, ties corrected
  double z = 0;           // (s -+ 1) / sqrt(variance), 0 when s is 0
  double p_increase = 1;  // one-sided p-value of "x increases"
  double p_decrease = 1;  // and of "x decreases"
};

MannKendall mann_kendall(std::span<const double> x);

}  // namespace pprofx::trend
