#include "pprofx/trend/statistics.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

namespace pprofx::trend {

double theil_sen_slope(std::span<const double> t, std::span<const double> x) {
  std::vector<double> slopes;
  for (size_t i = 0; i < x.size(); ++i) {
    for (size_t j = i + 1; j < x.size(); ++j) {
      if (t[j] != t[i]) slopes.push_back((x[j] - x[i]) / (t[j] - t[i]));
    }
  }
  if (slopes.empty()) return 0;
  const size_t mid = slopes.size() / 2;
  std::nth_element(slopes.begin(), slopes.begin() + static_cast<std::ptrdiff_t>(mid), slopes.end());
  const double upper = slopes[mid];
  if (slopes.size() % 2 == 1) return upper;
  const double lower = *std::max_element(slopes.begin(), slopes.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lower + upper) / 2;
}

MannKendall mann_kendall(std::span<const double> x) {
  MannKendall r;
  const auto n = static_cast<double>(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    for (size_t j = i + 1; j < x.size(); ++j) r.s += (x[j] > x[i]) - (x[j] < x[i]);
  }
  std::map<double, int64_t> ties;
  for (double v : x) ++ties[v];
  double tie_term = 0;
  for (const auto& [v, count] : ties) {
    const auto c = static_cast<double>(count);
    tie_term += c * (c - 1) * (2 * c + 5);
  }
  r.variance = (n * (n - 1) * (2 * n + 5) - tie_term) / 18;
  if (r.variance <= 0 || r.s == 0) return r;
  const double s = static_cast<double>(r.s);
  r.z = (s > 0 ? s - 1 : s + 1) / std::sqrt(r.variance);
  r.p_increase = 0.5 * std::erfc(r.z / std::sqrt(2.0));
  r.p_decrease = 0.5 * std::erfc(-r.z / std::sqrt(2.0));
  return r;
}

}  // namespace pprofx::trend
