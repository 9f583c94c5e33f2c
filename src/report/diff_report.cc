#include "pprofx/report/diff_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "pprofx/base/checked.h"
#include "pprofx/base/strings.h"
#include "pprofx/model/units.h"
#include "pprofx/report/ansi.h"

namespace pprofx::report {

using diff::Normalize;

namespace {

double share(int64_t v, int64_t total) { return total != 0 ? 100.0 * static_cast<double>(v) / static_cast<double>(total) : 0; }

double per_second(int64_t v, int64_t duration) {
  return duration > 0 ? static_cast<double>(v) * 1e9 / static_cast<double>(duration) : static_cast<double>(v);
}

using diff::normalize_name;

double per_op(int64_t v, int64_t ops) {
  return ops > 0 ? static_cast<double>(v) / static_cast<double>(ops) : static_cast<double>(v);
}

// A value in the report's metric, for display.
std::string show(double v, const DiffReport& r, bool signed_value) {
  if (r.normalize == Normalize::kShare) return signed_value ? fmt::format("{:+.2f}%", v) : fmt::format("{:.2f}%", v);
  std::string unit = r.table.unit;
  // Per second (or a change near INT64_MAX) can pass int64, where llround is undefined: shown as a float.
  const double magnitude = std::fabs(v);
  std::string s = magnitude < 9223372036854775808.0
                      ? model::scaled_label(static_cast<int64_t>(std::llround(magnitude)), unit, "auto")
                      : fmt::format("{:.3g} {}", magnitude, unit);
  if (r.normalize == Normalize::kPerSecond) s += "/s";
  if (r.normalize == Normalize::kPerOp) s += "/op";
  if (signed_value) return (v < 0 ? "-" : "+") + s;
  return v < 0 ? "-" + s : s;
}

// after - before, exactly (it fits in 65 bits).
std::string exact_change(int64_t before, int64_t after) {
  if (const std::optional<int64_t> d = checked_sub(after, before)) return fmt::format("{}", *d);
  const uint64_t a = static_cast<uint64_t>(after), b = static_cast<uint64_t>(before);
  return after > before ? fmt::format("{}", a - b) : fmt::format("-{}", b - a);
}

std::string relative(double before, double after) {
  if (before == 0) return after == 0 ? "0%" : "new";
  if (after == 0) return "gone";
  return fmt::format("{:+.0f}%", 100.0 * (after - before) / std::fabs(before));
}

}  // namespace

DiffReport make_diff_report(diff::DiffTable table, Normalize normalize, bool sort_by_cum, size_t max_rows) {
  DiffReport r;
  r.table = std::move(table);
  r.normalize = normalize;
  const diff::DiffTable& t = r.table;
  auto metric = [&](int64_t v, bool base) {
    switch (normalize) {
      case Normalize::kShare: return share(v, base ? t.base_total : t.new_total);
      case Normalize::kPerSecond: return per_second(v, base ? t.base_duration : t.new_duration);
      case Normalize::kPerOp: return per_op(v, base ? t.base_ops : t.new_ops);
      case Normalize::kAbsolute: break;
    }
    return static_cast<double>(v);
  };
  for (const diff::DiffRow& row : t.rows) {
    DiffRowView v{};
    v.row = &row;
    v.base_flat = metric(row.base_flat, true);
    v.new_flat = metric(row.new_flat, false);
    v.base_cum = metric(row.base_cum, true);
    v.new_cum = metric(row.new_cum, false);
    v.delta_flat = v.new_flat - v.base_flat;
    v.delta_cum = v.new_cum - v.base_cum;
    const double bf = share(row.base_flat, t.base_total), nf = share(row.new_flat, t.new_total);
    const double bc = share(row.base_cum, t.base_total), nc = share(row.new_cum, t.new_total);
    v.delta_flat_points = nf - bf;
    v.delta_cum_points = nc - bc;
    if (normalize == Normalize::kShare) {
      v.noise = std::fabs(v.delta_flat_points) <= diff::share_noise_points(t, bf, nf, t.base_count, t.new_count) &&
                std::fabs(v.delta_cum_points) <= diff::share_noise_points(t, bc, nc, t.base_count, t.new_count);
    } else {
      const double scale = diff::base_scale(t, normalize);  // BASE in NEW's scale (per second, per op)
      v.noise = diff::value_within_noise(row.base_flat, row.new_flat, t, scale) &&
                diff::value_within_noise(row.base_cum, row.new_cum, t, scale);
    }
    r.rows.push_back(v);
  }
  std::sort(r.rows.begin(), r.rows.end(), [&](const DiffRowView& a, const DiffRowView& b) {
    const double ka = std::fabs(sort_by_cum ? a.delta_cum : a.delta_flat);
    const double kb = std::fabs(sort_by_cum ? b.delta_cum : b.delta_flat);
    if (ka != kb) return ka > kb;
    const double ka2 = std::fabs(sort_by_cum ? a.delta_flat : a.delta_cum);
    const double kb2 = std::fabs(sort_by_cum ? b.delta_flat : b.delta_cum);
    if (ka2 != kb2) return ka2 > kb2;
    return a.row->name < b.row->name;
  });
  if (max_rows > 0 && r.rows.size() > max_rows) r.rows.resize(max_rows);
  return r;
}

std::string format_diff_text(const DiffReport& r, bool color) {
  const diff::DiffTable& t = r.table;
  const bool per_op = r.normalize == Normalize::kPerOp;
  auto ops = [&](int64_t n) { return per_op ? fmt::format(", {} ops", n) : std::string(); };
  std::string out = fmt::format(
      "Type: {} ({}), compared by {}\nBASE {}: {} ({} samples{})\nNEW  {}: {} ({} samples{})\n", text_escaped(t.type),
      text_escaped(t.unit), normalize_name(r.normalize), text_escaped(r.base_name),
      text_escaped(model::scaled_label(t.base_total, t.unit, "auto")), t.base_count, ops(t.base_ops),
      text_escaped(r.new_name), text_escaped(model::scaled_label(t.new_total, t.unit, "auto")), t.new_count,
      ops(t.new_ops));
  out += fmt::format("{:>10} {:>10} {:>10} {:>7} {:>10} {:>10} {:>10} {:>7}  {}\n", "flat base", "flat new", "Δflat",
                     "rel", "cum base", "cum new", "Δcum", "rel", "name");
  for (const DiffRowView& v : r.rows) {
    auto value = [&](double x, bool signed_value) { return text_escaped(show(x, r, signed_value)); };
    std::string line = fmt::format("{:>10} {:>10} {:>10} {:>7} {:>10} {:>10} {:>10} {:>7}  {}{}",
                                   value(v.base_flat, false), value(v.new_flat, false), value(v.delta_flat, true),
                                   relative(v.base_flat, v.new_flat), value(v.base_cum, false),
                                   value(v.new_cum, false), value(v.delta_cum, true),
                                   relative(v.base_cum, v.new_cum), text_escaped(v.row->name),
                                   v.noise ? "  (within noise)" : "");
    const double delta = v.delta_flat != 0 ? v.delta_flat : v.delta_cum;
    const std::string_view style = v.noise ? ansi::kDim : delta > 0 ? ansi::kRed : delta < 0 ? ansi::kGreen : "";
    out += ansi::paint(line, style, color && !style.empty());
    out += '\n';
  }
  return out;
}

std::string format_diff_markdown(const DiffReport& r) {
  const diff::DiffTable& t = r.table;
  auto ops = [&](int64_t n) { return r.normalize == Normalize::kPerOp ? fmt::format(" in {} ops", n) : std::string(); };
  std::string out = fmt::format("**{}** ({}), compared by {}: BASE {} {}{} → NEW {} {}{}\n\n",
                                markdown_inline(t.type, false), markdown_inline(t.unit, false),
                                normalize_name(r.normalize), markdown_code_span(r.base_name, false),
                                markdown_inline(model::scaled_label(t.base_total, t.unit, "auto"), false),
                                ops(t.base_ops), markdown_code_span(r.new_name, false),
                                markdown_inline(model::scaled_label(t.new_total, t.unit, "auto"), false), ops(t.new_ops));
  out += "| function | flat base | flat new | Δ flat | cum base | cum new | Δ cum | Δ share (flat / cum) | |\n"
         "|---|---:|---:|---:|---:|---:|---:|---:|---|\n";
  for (const DiffRowView& v : r.rows) {
    auto value = [&](double x, bool signed_value) { return markdown_inline(show(x, r, signed_value), true); };
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {:+.2f} / {:+.2f} pt | {} |\n",
                       markdown_code_span(v.row->name, true), value(v.base_flat, false), value(v.new_flat, false),
                       value(v.delta_flat, true), value(v.base_cum, false), value(v.new_cum, false),
                       value(v.delta_cum, true), v.delta_flat_points, v.delta_cum_points, v.noise ? "noise" : "");
  }
  return out;
}

std::string format_diff_json(const DiffReport& r) {
  const diff::DiffTable& t = r.table;
  std::string out = fmt::format(
      "{{\n  \"type\": \"{}\",\n  \"unit\": \"{}\",\n  \"normalize\": \"{}\",\n  \"base\": {{\"file\": \"{}\", "
      "\"total\": {}, \"samples\": {}{}}},\n  \"new\": {{\"file\": \"{}\", \"total\": {}, \"samples\": {}{}}},\n  "
      "\"functions\": [",
      json_escaped(t.type), json_escaped(t.unit), normalize_name(r.normalize), json_escaped(r.base_name), t.base_total,
      t.base_count, t.base_ops > 0 ? fmt::format(", \"ops\": {}", t.base_ops) : "", json_escaped(r.new_name),
      t.new_total, t.new_count, t.new_ops > 0 ? fmt::format(", \"ops\": {}", t.new_ops) : "");
  for (size_t i = 0; i < r.rows.size(); ++i) {
    const DiffRowView& v = r.rows[i];
    out += fmt::format(
        "{}\n    {{\"name\": \"{}\", \"flat\": {{\"base\": {}, \"new\": {}, \"delta\": {}, \"delta_share_points\": "
        "{}}}, \"cum\": {{\"base\": {}, \"new\": {}, \"delta\": {}, \"delta_share_points\": {}}}, "
        "\"within_noise\": {}}}",
        i ? "," : "", json_escaped(v.row->name), v.row->base_flat, v.row->new_flat,
        exact_change(v.row->base_flat, v.row->new_flat), json_number(v.delta_flat_points, 4), v.row->base_cum,
        v.row->new_cum, exact_change(v.row->base_cum, v.row->new_cum), json_number(v.delta_cum_points, 4),
        v.noise ? "true" : "false");
  }
  out += "\n  ]\n}\n";
  return out;
}

}  // namespace pprofx::report
