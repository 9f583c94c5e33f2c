// The trend report as text, Markdown and JSON.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <cctype>
#include <cmath>

#include "pprofx/base/strings.h"
#include "pprofx/model/units.h"
#include "pprofx/trend/trend.h"

namespace pprofx::trend {
namespace {

// 3 / 1.5MB / 250ms: a value in the sample type's unit, readable.
std::string value_text(double v, std::string_view unit) {
  if (!model::is_known_unit(unit)) return fmt::format("{:.3g}", v);
  const double magnitude = std::min(std::abs(v), 9.2e18);
  const model::Scaled s = model::scale(static_cast<int64_t>(std::llround(magnitude)), unit, "auto");
  return fmt::format("{}{:.3g}{}", v < 0 ? "-" : "", s.value, s.unit);
}

std::string slope_text(const Report& r, const Series& s) {
  const std::string v = value_text(s.slope, r.unit);
  return fmt::format("{}{}/{}", s.slope > 0 ? "+" : "", v, r.timed ? "min" : "snapshot");
}

std::string series_text(const Report& r, const Series& s) {
  std::vector<std::string> parts;
  const size_t n = s.values.size();
  for (size_t i = 0; i < n; ++i) {
    if (n > 10 && i == 4) {
      parts.emplace_back("...");
      i = n - 4;
    }
    parts.push_back(value_text(static_cast<double>(s.values[i]), r.unit));
  }
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : " ") + p;
  return out;
}

// "45.2 s", "12.5 min", "3.2 h".
std::string span_text(double minutes) {
  if (minutes < 2) return fmt::format("{:.1f} s", minutes * 60);
  if (minutes < 180) return fmt::format("{:.1f} min", minutes);
  return fmt::format("{:.1f} h", minutes / 60);
}

std::string time_line(const Report& r) {
  if (!r.timed && !r.times.empty()) {
    return "the profiles' time fields are all equal (--interval gives the time between them), growth per snapshot";
  }
  if (!r.timed) return "no times (the profiles have none: --interval gives one), growth per snapshot";
  return fmt::format("{} from the first to the last, times from {}", span_text(r.minutes), r.time_source);
}

// The rows a report shows, and how many steady ones it leaves out.
std::vector<const Series*> shown(const Report& r, size_t max_rows, bool show_all, size_t* hidden) {
  std::vector<const Series*> out;
  *hidden = 0;
  for (const Series& s : r.rows) {
    if (s.verdict == Verdict::kSteady && !show_all) {
      ++*hidden;
      continue;
    }
    if (max_rows > 0 && out.size() >= max_rows) {
      ++*hidden;
      continue;
    }
    out.push_back(&s);
  }
  return out;
}

std::string row_kind(const Report& r) { return r.by_stack ? "groups of stacks" : "functions"; }

}  // namespace

std::string format_text(const Report& r, size_t max_rows, bool show_all) {
  std::string out = fmt::format("Trend of {} over {} snapshots: {}\n", text_escaped(r.type), r.names.size(), time_line(r));
  for (size_t i = 0; i < r.names.size(); ++i) {
    const std::string when =
        r.timed && !r.times.empty() ? fmt::format(" at +{}", span_text(static_cast<double>(r.times[i] - r.times[0]) / 60e9))
                                    : "";
    out += fmt::format("  {}. {}{}: total {}\n", i + 1, text_escaped(r.names[i]), when,
                       value_text(static_cast<double>(r.total.values[i]), r.unit));
  }
  out += fmt::format("Total {} ({}; Mann-Kendall S={}, p={:.3f})\n", verdict_name(r.total.verdict),
                     slope_text(r, r.total), r.total.mk_s, r.total.mk_p);
  size_t hidden = 0;
  const std::vector<const Series*> rows = shown(r, max_rows, show_all, &hidden);
  size_t growing = 0;
  for (const Series& s : r.rows) growing += s.verdict == Verdict::kGrows || s.verdict == Verdict::kGrowsEverySnapshot;
  out += fmt::format("{} of {} {} grow{}\n", growing, r.rows.size(), row_kind(r), hidden > 0
                         ? fmt::format("; {} not shown (--show-all lists every one)", hidden) : "");
  if (rows.empty()) return out;
  size_t verdict_w = 7, slope_w = 6, series_w = 6;
  std::vector<std::string> slopes, series;
  for (const Series* s : rows) {
    slopes.push_back(slope_text(r, *s));
    series.push_back(series_text(r, *s));
    verdict_w = std::max(verdict_w, verdict_name(s->verdict).size());
    slope_w = std::max(slope_w, slopes.back().size());
    series_w = std::max(series_w, series.back().size());
  }
  out += fmt::format("  {:<{}}  {:>{}}  {:<{}}  {}\n", "verdict", verdict_w, "growth", slope_w, "series", series_w,
                     "name");
  for (size_t i = 0; i < rows.size(); ++i) {
    out += fmt::format("  {:<{}}  {:>{}}  {:<{}}  {}\n", verdict_name(rows[i]->verdict), verdict_w, slopes[i], slope_w,
                       series[i], series_w, text_escaped(rows[i]->name));
  }
  return out;
}

std::string format_markdown(const Report& r, size_t max_rows, bool show_all) {
  std::string when = time_line(r);
  when[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(when[0])));
  std::string out = fmt::format("### Trend of {} over {} snapshots\n\n{}.\n\n", markdown_code_span(r.type, false),
                                r.names.size(), when);
  out += fmt::format("Total: **{}** ({}; Mann-Kendall S={}, p={:.3f}).\n\n", verdict_name(r.total.verdict),
                     markdown_code_span(slope_text(r, r.total), false), r.total.mk_s, r.total.mk_p);
  size_t hidden = 0;
  const std::vector<const Series*> rows = shown(r, max_rows, show_all, &hidden);
  if (!rows.empty()) {
    out += "| verdict | growth | series | name |\n|---|---:|---|---|\n";
    for (const Series* s : rows) {
      out += fmt::format("| {} | {} | {} | {} |\n", verdict_name(s->verdict), markdown_code_span(slope_text(r, *s), true),
                         markdown_code_span(series_text(r, *s), true), markdown_code_span(s->name, true));
    }
    out += "\n";
  }
  if (hidden > 0) out += fmt::format("{} more {} not shown (steady, or past the row limit).\n", hidden, row_kind(r));
  return out;
}

std::string format_json(const Report& r) {
  using nlohmann::ordered_json;
  auto series = [&](const Series& s) {
    ordered_json j;
    j["name"] = s.name;
    j["verdict"] = verdict_name(s.verdict);
    j["values"] = s.values;
    j[r.timed ? "slope_per_minute" : "slope_per_snapshot"] = std::isfinite(s.slope) ? ordered_json(s.slope) : nullptr;
    j["mann_kendall"] = {{"s", s.mk_s}, {"p", s.mk_p}};
    j["within_noise"] = s.within_noise;
    return j;
  };
  ordered_json doc;
  doc["schema"] = "pprofx-trend/1";
  doc["type"] = r.type;
  doc["unit"] = r.unit;
  doc["rows_are"] = r.by_stack ? "stacks" : "functions";
  doc["time_source"] = r.timed ? ordered_json(r.time_source) : nullptr;
  doc["minutes"] = r.timed ? ordered_json(r.minutes) : nullptr;
  ordered_json snaps = ordered_json::array();
  for (size_t i = 0; i < r.names.size(); ++i) {
    ordered_json s = {{"name", r.names[i]}, {"total", r.total.values[i]}};
    s["time_nanos"] = r.times.empty() ? nullptr : ordered_json(r.times[i]);
    snaps.push_back(std::move(s));
  }
  doc["snapshots"] = std::move(snaps);
  doc["total"] = series(r.total);
  ordered_json rows = ordered_json::array();
  for (const Series& s : r.rows) rows.push_back(series(s));
  doc["rows"] = std::move(rows);
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace pprofx::trend
