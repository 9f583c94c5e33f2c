#include "pprofx/report/header.h"

#include <fmt/format.h>

#include <ctime>

#include "pprofx/base/strings.h"
#include "pprofx/model/units.h"

namespace pprofx::report {

namespace {

// Go's time.Unix floors toward negative infinity.
std::time_t floor_seconds(int64_t unix_nanos) {
  int64_t secs = unix_nanos / 1000000000;
  if (unix_nanos % 1000000000 < 0) --secs;
  return static_cast<std::time_t>(secs);
}

}  // namespace

std::string format_utc_time(int64_t unix_nanos) {
  if (unix_nanos == 0) return "";
  const std::time_t t = floor_seconds(unix_nanos);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return "";
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02} UTC", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min);
}

std::string format_time(int64_t unix_nanos) {
  const std::time_t t = floor_seconds(unix_nanos);
  std::tm tm{};
  localtime_r(&t, &tm);
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int hour = tm.tm_hour % 12;
  if (hour == 0) hour = 12;
  return fmt::format("{} {}, {} at {}:{:02}{} ({})", kMonths[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900, hour,
                     tm.tm_min, tm.tm_hour < 12 ? "am" : "pm", tm.tm_zone ? tm.tm_zone : "UTC");
}

std::vector<std::string> profile_header(const model::Profile& p, std::string_view type, std::string_view unit,
                                        int64_t total, const std::function<std::string(int64_t)>& format) {
  std::vector<std::string> out;
  if (!p.mappings.empty()) {
    const model::Mapping& main = p.mappings[0];
    if (main.filename != model::kEmptyStr) out.push_back("File: " + base_name(p.str(main.filename)));
    if (main.build_id != model::kEmptyStr) out.push_back(fmt::format("Build ID: {}", p.str(main.build_id)));
  }
  for (model::StrId c : p.comments) {
    if (!starts_with(p.str(c), "#")) out.emplace_back(p.str(c));
  }
  if (!type.empty()) out.push_back(fmt::format("Type: {}", type));
  if (p.time_nanos != 0) out.push_back("Time: " + format_time(p.time_nanos));
  if (p.duration_nanos != 0) {
    const std::string duration = model::scaled_label(p.duration_nanos, "nanoseconds", "auto");
    const model::Scaled in_ns = model::scale(total, unit, "nanoseconds");
    std::string ratio;
    if (in_ns.unit == "ns" && in_ns.value != 0) {
      ratio = " (" + model::percentage(static_cast<int64_t>(in_ns.value), p.duration_nanos) + ")";
    }
    out.push_back(fmt::format("Duration: {}, Total samples = {}{}", duration, format(total), ratio));
  }
  return out;
}

}  // namespace pprofx::report
