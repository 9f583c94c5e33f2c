#include "pprofx/trend/trend.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "pprofx/diff/noise.h"
#include "pprofx/diff/tables.h"
#include "pprofx/trend/statistics.h"

namespace pprofx::trend {

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kGrowsEverySnapshot: return "grows in every snapshot";
    case Verdict::kGrows: return "grows";
    case Verdict::kSteady: return "steady";
    case Verdict::kShrinks: return "shrinks";
  }
  return "steady";
}

namespace {

// The time axis in minutes from the first snapshot (or snapshot numbers), and where it came from.
Status time_axis(const std::vector<Snapshot>& snapshots, const Options& o, Report& r, std::vector<double>& axis) {
  const size_t n = snapshots.size();
  axis.resize(n);
  for (size_t i = 0; i < n; ++i) axis[i] = static_cast<double>(i);
  if (o.interval_nanos > 0) {
    r.timed = true;
    r.time_source = "--interval";
    for (size_t i = 0; i < n; ++i) axis[i] = static_cast<double>(i) * static_cast<double>(o.interval_nanos) / 60e9;
    r.minutes = axis.back();
    return Ok{};
  }
  bool all = true;
  for (const Snapshot& s : snapshots) all = all && s.profile->time_nanos > 0;
  if (!all) return Ok{};
  for (size_t i = 1; i < n; ++i) {
    if (snapshots[i].profile->time_nanos < snapshots[i - 1].profile->time_nanos) {
      return Error{fmt::format("{} was taken before {} (by the profiles' time fields): give the snapshots in time "
                               "order",
                               snapshots[i].name, snapshots[i - 1].name)};
    }
  }
  for (const Snapshot& s : snapshots) r.times.push_back(s.profile->time_nanos);
  if (r.times.back() == r.times.front()) return Ok{};
  r.timed = true;
  r.time_source = "the profiles' time fields";
  for (size_t i = 0; i < n; ++i) axis[i] = static_cast<double>(r.times[i] - r.times[0]) / 60e9;
  r.minutes = axis.back();
  return Ok{};
}

void judge(Series& s, const std::vector<double>& axis, double min_move, const diff::DiffTable& first_vs_last,
           const Options& o) {
  std::vector<double> x(s.values.begin(), s.values.end());
  s.slope = theil_sen_slope(axis, x);
  const MannKendall mk = mann_kendall(x);
  s.mk_s = mk.s;
  s.mk_p = s.slope < 0 ? mk.p_decrease : mk.p_increase;
  s.within_noise = diff::value_within_noise(s.values.front(), s.values.back(), first_vs_last);
  const double moved = s.slope * (axis.back() - axis.front());
  bool up = true, down = true;
  for (size_t i = 1; i < x.size(); ++i) {
    up = up && x[i] > x[i - 1];
    down = down && x[i] < x[i - 1];
  }
  s.verdict = Verdict::kSteady;
  if (s.within_noise || std::abs(moved) < min_move || moved == 0) return;
  if (moved > 0 && up) {
    s.verdict = Verdict::kGrowsEverySnapshot;
  } else if (moved > 0 && mk.p_increase < o.alpha) {
    s.verdict = Verdict::kGrows;
  } else if (moved < 0 && (down || mk.p_decrease < o.alpha)) {
    s.verdict = Verdict::kShrinks;
  }
}

int rank_group(Verdict v) {
  switch (v) {
    case Verdict::kGrowsEverySnapshot:
    case Verdict::kGrows: return 0;
    case Verdict::kShrinks: return 1;
    case Verdict::kSteady: return 2;
  }
  return 2;
}

}  // namespace

Result<Report> trend(const std::vector<Snapshot>& snapshots, const Options& o) {
  if (snapshots.size() < 3) {
    return Error{fmt::format("trend needs three or more snapshots in time order (got {}); pprofx diff compares two",
                             snapshots.size())};
  }
  const Snapshot& last = snapshots.back();
  auto nv = fold::choose_value(*last.profile, o.selection.sample_index, false);
  if (!nv) return Error{fmt::format("{}: {}", last.name, nv.error().message)};
  for (const Snapshot& s : snapshots) {
    auto v = fold::choose_value(*s.profile, o.selection.sample_index.empty() ? nv->type : o.selection.sample_index,
                                false);
    if (!v && o.selection.sample_index.empty()) {
      const auto types = [](const model::Profile& p) {
        std::string out;
        for (const model::ValueType& t : p.sample_types) out += (out.empty() ? "" : ", ") + std::string(p.str(t.type));
        return out;
      };
      return Error{fmt::format("{} is a different kind of profile ({}) from {} ({}): give snapshots of one kind", s.name,
                               types(*s.profile), last.name, types(*last.profile))};
    }
    if (!v) return Error{fmt::format("{}: {}", s.name, v.error().message)};
    if (v->unit != nv->unit) {
      return Error{fmt::format("{}: {} is in {}, but in {} in {}", s.name, nv->type, v->unit, nv->unit, last.name)};
    }
  }
  Report r;
  r.type = nv->type;
  r.unit = nv->unit;
  r.by_stack = o.by_stack;
  for (const Snapshot& s : snapshots) r.names.push_back(s.name);
  std::vector<double> axis;
  if (Status st = time_axis(snapshots, o, r, axis); !st) return st.error();

  std::vector<const model::Profile*> earlier;
  std::vector<std::string> earlier_names;  // an error names the snapshot compared with the last
  for (size_t i = 0; i + 1 < snapshots.size(); ++i) {
    earlier.push_back(snapshots[i].profile);
    earlier_names.push_back(snapshots[i].name + " against " + last.name);
  }
  fold::Selection selection = o.selection;
  if (selection.sample_index.empty()) selection.sample_index = nv->type;
  auto tables = diff::diff_tables(earlier, *last.profile, selection,
                                  {.with_edges = false,
                                   .by_stack = o.by_stack,
                                   .own_code = o.own_code,
                                   .base_names = std::move(earlier_names)});
  if (!tables) return tables.error();

  const size_t n = snapshots.size();
  std::unordered_map<std::string, size_t> row_of;
  for (size_t i = 0; i + 1 < n; ++i) {
    for (const diff::DiffRow& d : (*tables)[i].rows) {
      auto [it, inserted] = row_of.try_emplace(d.name, r.rows.size());
      if (inserted) r.rows.push_back({.name = d.name, .values = std::vector<int64_t>(n, 0)});
      Series& s = r.rows[it->second];
      s.values[i] = o.cum ? d.base_cum : d.base_flat;
      s.values[n - 1] = o.cum ? d.new_cum : d.new_flat;
    }
  }
  r.total.name = "total";
  int64_t largest = 0;
  for (size_t i = 0; i + 1 < n; ++i) r.total.values.push_back((*tables)[i].base_total);
  r.total.values.push_back((*tables)[0].new_total);
  for (int64_t t : r.total.values) largest = std::max(largest, t);
  const double min_move = std::max(o.min_growth * static_cast<double>(largest), 0.0);
  judge(r.total, axis, min_move, (*tables)[0], o);
  for (Series& s : r.rows) judge(s, axis, min_move, (*tables)[0], o);
  std::sort(r.rows.begin(), r.rows.end(), [](const Series& a, const Series& b) {
    const int ga = rank_group(a.verdict), gb = rank_group(b.verdict);
    if (ga != gb) return ga < gb;
    // Growing rows by growth, shrinking ones by decline, steady ones by size.
    const double ka = ga == 0 ? -a.slope : ga == 1 ? a.slope : -static_cast<double>(a.values.back());
    const double kb = gb == 0 ? -b.slope : gb == 1 ? b.slope : -static_cast<double>(b.values.back());
    if (ka != kb) return ka < kb;
    return a.name < b.name;
  });
  return r;
}

}  // namespace pprofx::trend
