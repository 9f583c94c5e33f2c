#include <fmt/format.h>

#include <cstdint>

#include "pprofx/model/profile.h"
#include "pprofx/model/units.h"

namespace pprofx::model {

std::string value_sums_error(const Profile& p) {
  const size_t types = p.num_types();
  for (size_t t = 0; t < types; ++t) {
    uint64_t sum = 0;
    for (size_t i = t; i < p.values.size(); i += types) {
      const int64_t v = p.values[i];
      const uint64_t a = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
      if (a > static_cast<uint64_t>(INT64_MAX) - sum) {
        return fmt::format("sample type {} ({}): the values add up past the int64 range (sample {})", t,
                           p.str(p.sample_types[t].type), i / types);
      }
      sum += a;
    }
  }
  return {};
}

std::string divide_values(Profile& p, double divide_by) {
  if (divide_by == 1) return {};
  for (int64_t& v : p.values) {
    const int64_t d = divided(v, divide_by);
    if (d == INT64_MIN && v != INT64_MIN) {
      return fmt::format("--divide-by {}: a value of {} divided by it is outside the int64 range", divide_by, v);
    }
    v = d;
  }
  return value_sums_error(p);
}

}  // namespace pprofx::model
