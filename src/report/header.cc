#include "pprofx/report/header.h"

#include <fmt/format.h>

#include <ctime>

#include "pprofx/base/strings.h"
#include "pprofx/model/units.h"

namespace pprofx::report {

std::string format_time(int64_t unix_nanos) {
  // Go's time.Unix floors toward negative infinity.
  int64_t secs = unix_nanos / 1000000000;
  if (unix_nanos % 1000000000 < 0) --secs;
  const std::time_t t = static_cast<std::time_t>(secs);
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
