#include "pprofx/diff/noise.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "pprofx/base/checked.h"
#include "pprofx/model/units.h"

namespace pprofx::diff {

Result<Normalize> parse_normalize(std::string_view s) {
  if (s == "share") return Normalize::kShare;
  if (s == "absolute") return Normalize::kAbsolute;
  if (s == "per-second") return Normalize::kPerSecond;
  if (s == "per-op") return Normalize::kPerOp;
  return Error{fmt::format("unknown --normalize \"{}\" (share, absolute, per-second or per-op)", s)};
}

std::string_view normalize_name(Normalize n) {
  switch (n) {
    case Normalize::kShare: return "share";
    case Normalize::kAbsolute: return "absolute";
    case Normalize::kPerSecond: return "per-second";
    case Normalize::kPerOp: return "per-op";
  }
  return "share";
}

double base_scale(const DiffTable& t, Normalize n) {
  auto ratio = [](int64_t next, int64_t base) {
    return next > 0 && base > 0 ? static_cast<double>(next) / static_cast<double>(base) : 1.0;
  };
  switch (n) {
    case Normalize::kShare: return ratio(t.new_total, t.base_total);
    case Normalize::kPerSecond: return ratio(t.new_duration, t.base_duration);
    case Normalize::kPerOp: return ratio(t.new_ops, t.base_ops);
    case Normalize::kAbsolute: break;
  }
  return 1.0;
}

Normalize default_normalize(const DiffTable& t) {
  // Time-valued types other than contention delays are CPU/wall profiles.
  const bool time_unit = model::same_unit_kind(t.unit, "nanoseconds");
  if ((time_unit && t.type != "delay") || t.type == "samples") return Normalize::kShare;
  return Normalize::kAbsolute;
}

double share_noise_points(double base_share, double new_share, int64_t base_count, int64_t new_count) {
  if (base_count <= 0 || new_count <= 0) return 0;
  const double nb = static_cast<double>(base_count), na = static_cast<double>(new_count);
  const double p = std::clamp((base_share / 100 * nb + new_share / 100 * na) / (nb + na), 0.0, 1.0);
  return 100.0 * 3.0 * std::sqrt(p * (1 - p) * (1 / nb + 1 / na));
}

bool exact_counts(std::string_view type) { return type == "goroutine" || type == "threadcreate"; }

double share_noise_points(const DiffTable& t, double base_share, double new_share, int64_t base_count,
                          int64_t new_count) {
  return exact_counts(t.type) ? 0 : share_noise_points(base_share, new_share, base_count, new_count);
}

bool value_within_noise(int64_t base_value, int64_t new_value, const DiffTable& t, double base_scale) {
  if (exact_counts(t.type)) return false;  // no sampling noise: not even an unchanged count is "within" it
  if (base_value == new_value && base_scale == 1.0) return true;
  if (t.base_count <= 0 || t.new_count <= 0 || t.base_total <= 0 || t.new_total <= 0) return false;
  // Sampled values: each side is (samples x value per sample); samples are
  // Poisson, so the change's standard error is sqrt(cb*ub^2 + cn*un^2).
  // BASE's side in NEW's scale: as many samples, each worth base_scale times as much.
  const double ub = static_cast<double>(t.base_total) / static_cast<double>(t.base_count);
  const double un = static_cast<double>(t.new_total) / static_cast<double>(t.new_count);
  const double cb = std::fabs(static_cast<double>(base_value)) / ub, cn = std::fabs(static_cast<double>(new_value)) / un;
  const double sb = ub * base_scale;
  const double se = std::sqrt(cb * sb * sb + cn * un * un);
  const std::optional<int64_t> change = base_scale == 1.0 ? checked_sub(new_value, base_value) : std::nullopt;
  const double d = change ? static_cast<double>(*change)
                          : static_cast<double>(new_value) - static_cast<double>(base_value) * base_scale;
  return std::fabs(d) <= 3 * se;
}

double median_of(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace pprofx::diff
