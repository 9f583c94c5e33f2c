#include "pprofx/report/check.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>

#include "pprofx/base/regex.h"
#include "pprofx/base/strings.h"
#include "pprofx/diff/noise.h"

namespace pprofx::report {
namespace {

using diff::median_of;

// 3 robust standard deviations of the baselines' spread.
double spread_bound(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  const double m = median_of(v);
  std::vector<double> dev;
  for (double x : v) dev.push_back(std::fabs(x - m));
  return 3 * 1.4826 * median_of(dev);
}

double share(int64_t v, int64_t total) {
  return total ? 100.0 * static_cast<double>(v) / static_cast<double>(total) : 0;
}

}  // namespace

Result<std::pair<std::string, double>> parse_allow(std::string_view text) {
  const size_t eq = text.rfind('=');
  const std::string points(eq == std::string_view::npos ? "" : text.substr(eq + 1));
  char* end = nullptr;
  const double v = points.empty() ? 0 : std::strtod(points.c_str(), &end);
  if (points.empty() || std::isspace(static_cast<unsigned char>(points[0])) != 0 ||
      end != points.c_str() + points.size() || !std::isfinite(v)) {
    return Error{fmt::format("--allow \"{}\": expected REGEX=POINTS", text)};
  }
  return std::pair{std::string(text.substr(0, eq)), v};
}

namespace {

// The rules compiled, with how specific each is: 0 every type and function,
// 1 a type, 2 a function, 3 both; the base tier (--max-*) ranks below them.
struct CompiledRule {
  const ThresholdRule* rule;
  std::shared_ptr<const RE2> function;
  int rank = 0;
  bool both_tiers = false;  // --allow
};

struct Pick {
  double value = 0;
  int rank = -1;
  bool set = false;
};

void pick(Pick& p, const std::optional<double>& v, int rank) {
  if (v && rank >= p.rank) p = {*v, rank, true};
}

// The fail and warn limits for a function (name) of a sample type (or the
// total, name = nullptr): per tier and limit, the most specific rule that
// sets it (then the last). A warn limit above the fail limit has no effect.
// --allow rules set both tiers: the function may grow that much.
void resolve(const CheckThresholds& t, const std::vector<CompiledRule>& rules, std::string_view type,
             const std::string* name, Limits* fail, Limits* warn) {
  Pick f[4] = {{t.max_flat_increase, -1, true},
               {t.max_cum_increase, -1, true},
               {t.max_relative_increase, -1, true},
               {t.max_total_increase, -1, true}};
  Pick w[4];
  for (const CompiledRule& c : rules) {
    const ThresholdRule& r = *c.rule;
    if (!r.type.empty() && r.type != type) continue;
    if (c.function && (name == nullptr || !RE2::PartialMatch(*name, *c.function))) continue;
    for (Pick* tier : {f, w}) {
      if (tier == (r.warn ? f : w) && !c.both_tiers) continue;
      pick(tier[0], r.flat, c.rank);
      pick(tier[1], r.cum, c.rank);
      pick(tier[2], r.relative, c.rank);
      pick(tier[3], r.total, c.rank);
    }
  }
  double fv[4], wv[4];
  for (int k = 0; k < 4; ++k) {
    fv[k] = f[k].value;
    wv[k] = w[k].set ? std::min(w[k].value, f[k].value) : f[k].value;
  }
  *fail = {fv[0], fv[1], fv[2], fv[3]};
  *warn = {wv[0], wv[1], wv[2], wv[3]};
}

double relative(double before, double after) { return before > 0 ? 100.0 * (after - before) / before : INFINITY; }

// Sets f's verdict fields when a share grew past `limits` and the noise.
// Either limit triggers. A change judged by its relative size alone must
// clear 4 standard errors (not 3) and 0.25 points: small functions jitter
// most in relative terms, and many are judged at once.
bool judge(FunctionChange& f, const Limits& limits, Verdict verdict) {
  const char* tier = verdict == Verdict::kWarn ? "warn threshold" : "threshold";
  auto points = [&](Measure m, double limit) {
    f.measure = m;
    if (!(f.change() > limit && f.change() > f.noise())) return false;
    f.threshold = limit;
    f.relative = false;
    f.reason = fmt::format("{} share {:.2f}% -> {:.2f}% (+{:.2f} pt; {} {:.2f} pt, noise {:.2f} pt)", measure_name(m),
                           f.before(), f.after(), f.change(), tier, limit, f.noise());
    return true;
  };
  auto by_relative = [&](Measure m) {
    f.measure = m;
    if (!(relative(f.before(), f.after()) > limits.relative && f.change() > f.noise() * 4 / 3 && f.change() >= 0.25)) {
      return false;
    }
    f.threshold = limits.relative;
    f.relative = true;
    f.reason = fmt::format("{} share {:.2f}% -> {:.2f}% ({:+.0f}%; {} +{:.0f}%, noise {:.2f} pt)", measure_name(m),
                           f.before(), f.after(), relative(f.before(), f.after()), tier, limits.relative, f.noise());
    return true;
  };
  if (points(Measure::kFlat, limits.flat) || by_relative(Measure::kFlat) || points(Measure::kCum, limits.cum) ||
      by_relative(Measure::kCum)) {
    f.verdict = verdict;
    return true;
  }
  return false;
}

// An improvement: a share that fell by more than the fail tier's points and the noise.
bool improved(FunctionChange& f, const Limits& limits) {
  for (Measure m : {Measure::kFlat, Measure::kCum}) {
    f.measure = m;
    const double limit = m == Measure::kFlat ? limits.flat : limits.cum;
    if (-f.change() > limit && -f.change() > f.noise()) {
      f.verdict = Verdict::kImproved;
      f.threshold = limit;
      f.reason = fmt::format("{} share {:.2f}% -> {:.2f}% ({:.2f} pt; noise {:.2f} pt)", measure_name(m), f.before(),
                             f.after(), f.change(), f.noise());
      return true;
    }
  }
  return false;
}

int verdict_order(Verdict v) {
  switch (v) {
    case Verdict::kFail: return 0;
    case Verdict::kWarn: return 1;
    case Verdict::kImproved: return 2;
    default: return 3;
  }
}

}  // namespace

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kFail: return "regression";
    case Verdict::kWarn: return "warning";
    case Verdict::kImproved: return "improvement";
    default: return "ok";
  }
}

const char* measure_name(Measure m) { return m == Measure::kFlat ? "flat" : "cum"; }

size_t CheckResult::failures() const {
  size_t n = total == Verdict::kFail;
  for (const Finding& f : findings) n += f.verdict == Verdict::kFail;
  return n;
}

size_t CheckResult::warnings() const {
  size_t n = total == Verdict::kWarn;
  for (const Finding& f : findings) n += f.verdict == Verdict::kWarn;
  return n;
}

size_t CheckResult::improvements() const {
  size_t n = 0;
  for (const FunctionChange& f : judged) n += f.verdict == Verdict::kImproved;
  return n;
}

Result<ThresholdRule> parse_threshold_rule(std::string_view spec, bool warn) {
  const char* option = warn ? "--warn-threshold" : "--fail-threshold";
  ThresholdRule r;
  r.warn = warn;
  auto bad = [&](std::string_view why) {
    return Error{
        fmt::format("{} \"{}\": {} (expected e.g. flat=2,cum=5,relative=50,total=15[,type=TYPE]"
                    "[,function=REGEX])",
                    option, spec, why)};
  };
  std::string_view rest = spec;
  bool any = false;
  while (!rest.empty()) {
    const size_t eq = rest.find('=');
    if (eq == std::string_view::npos)
      return bad(fmt::format("\"{}\" is not KEY=VALUE", rest.substr(0, rest.find(','))));
    const std::string_view key = rest.substr(0, eq);
    rest.remove_prefix(eq + 1);
    if (key == "function") {  // the rest of the text, commas and all
      if (rest.empty()) return bad("function= needs a regex");
      r.function = std::string(rest);
      break;
    }
    const size_t comma = rest.find(',');
    const std::string value(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (key == "type") {
      if (value.empty()) return bad("type= needs a sample type");
      r.type = value;
      continue;
    }
    std::optional<double>* slot = key == "flat"       ? &r.flat
                                  : key == "cum"      ? &r.cum
                                  : key == "relative" ? &r.relative
                                  : key == "total"    ? &r.total
                                                      : nullptr;
    if (slot == nullptr) return bad(fmt::format("unknown key \"{}\"", key));
    if (value == "off") {
      *slot = INFINITY;
    } else {
      char* end = nullptr;
      const double v = value.empty() ? NAN : std::strtod(value.c_str(), &end);
      if (value.empty() || std::isspace(static_cast<unsigned char>(value[0])) != 0 ||
          end != value.c_str() + value.size() || !std::isfinite(v) || v < 0) {
        return bad(fmt::format("{}={} is not a number of 0 or more (or off)", key, value));
      }
      *slot = v;
    }
    any = true;
  }
  if (!any) return bad("no limit given");
  if (!r.function.empty() && r.total) return bad("total= is a limit of a sample type, not of a function");
  return r;
}

Result<CheckResult> run_check(const std::vector<const model::Profile*>& baselines, const model::Profile& next,
                              const fold::Selection& options, const CheckThresholds& t, const CheckSides& sides) {
  if (baselines.empty()) return Error{"no baseline profile"};
  std::vector<std::shared_ptr<const RE2>> ignore;
  for (const std::string& re : t.ignore) {
    auto r = compile_regex(re);
    if (!r) return Error{fmt::format("parsing ignore regexp: {}", r.error().message)};
    ignore.push_back(std::move(*r));
  }
  // --allow first: a --fail-threshold rule of the same specificity given later wins.
  std::vector<ThresholdRule> allow_rules;
  for (const auto& [re, points] : t.allow) {
    ThresholdRule r;
    r.function = re;
    r.flat = points;
    r.relative = INFINITY;
    allow_rules.push_back(std::move(r));
  }
  std::vector<CompiledRule> rules;
  const std::vector<ThresholdRule>& allowed = allow_rules;
  for (const std::vector<ThresholdRule>* list : {&allowed, &t.rules}) {
    for (const ThresholdRule& r : *list) {
      CompiledRule c{&r, nullptr, (r.type.empty() ? 0 : 1) + (r.function.empty() ? 0 : 2), list == &allowed};
      if (!r.function.empty()) {
        auto re = compile_regex(r.function);
        if (!re) {
          return Error{fmt::format("parsing {} regexp: {}", list == &allow_rules ? "allow" : "threshold function",
                                   re.error().message)};
        }
        c.function = std::move(*re);
      }
      rules.push_back(std::move(c));
    }
  }
  std::shared_ptr<const RE2> own;
  if (!t.own_code.empty()) {
    auto re = compile_regex(t.own_code);
    if (!re) return Error{fmt::format("parsing own-code regexp: {}", re.error().message)};
    own = std::move(*re);
  }

  CheckResult out;
  struct Shares {
    std::vector<double> base_flat, base_cum;
    double new_flat = 0, new_cum = 0;
    std::string file;
  };
  const size_t k = baselines.size();
  std::map<std::string, Shares> by_name;
  std::map<std::pair<std::string, std::string>, Shares> by_call;  // base_flat/new_flat hold the call's shares
  // Every baseline against NEW first (NEW's side computed once): per operation, each side's scale needs them all.
  auto tables = diff::diff_tables(baselines, next, options, {.with_edges = true, .by_stack = false, .own_code = {}});
  if (!tables) return tables.error();
  out.tables = std::move(*tables);
  out.type = out.tables.front().type;
  out.unit = out.tables.front().unit;
  for (size_t b = 0; b < k; ++b) {
    out.baselines.push_back({b < sides.names.size() ? sides.names[b] : fmt::format("baseline {}", b + 1),
                             baselines[b]->time_nanos});
  }
  // The totals compared: per operation (--normalize per-op), else per second where both durations
  // are known, else as they are.
  out.per_op = sides.new_ops > 0;
  if (out.per_op && sides.base_ops.size() != k) return Error{"per-op: an operation count for every baseline is needed"};
  auto per = [&](int64_t total, int64_t duration, int64_t ops) {
    if (out.per_op) return static_cast<double>(total) / static_cast<double>(ops);
    return duration > 0 ? static_cast<double>(total) * 1e9 / static_cast<double>(duration) : static_cast<double>(total);
  };
  std::vector<double> base_totals, counts;
  double new_total = 0;
  for (size_t b = 0; b < k; ++b) {
    diff::DiffTable& table = out.tables[b];
    const bool durations = table.base_duration > 0 && table.new_duration > 0;
    out.total_per_second = !out.per_op && durations;
    if (out.per_op) {
      table.base_ops = sides.base_ops[b];
      table.new_ops = sides.new_ops;
      out.baselines[b].ops = table.base_ops;
    }
    const bool scaled = out.per_op || durations;
    base_totals.push_back(scaled ? per(table.base_total, table.base_duration, table.base_ops)
                                 : static_cast<double>(table.base_total));
    new_total = scaled ? per(table.new_total, table.new_duration, table.new_ops) : static_cast<double>(table.new_total);
    counts.push_back(static_cast<double>(table.base_count));
  }
  const auto base_count = static_cast<int64_t>(median_of(counts));
  const int64_t new_count = out.tables.front().new_count;
  const double base_total = median_of(base_totals);
  out.total_change_percent = base_total > 0 ? 100.0 * (new_total - base_total) / base_total : 0;
  // Shares of the total; per operation, of the baselines' median total per operation, so that a
  // uniform slowdown raises every function's "share" by as much as the total grew.
  std::vector<double> base_scale(k, 1.0);
  double new_scale = 1.0;
  if (out.per_op && base_total > 0) {
    for (size_t b = 0; b < k; ++b) base_scale[b] = base_totals[b] / base_total;
    new_scale = new_total / base_total;
  }
  for (size_t b = 0; b < k; ++b) {
    const diff::DiffTable& table = out.tables[b];
    for (const diff::DiffRow& row : table.rows) {
      Shares& s = by_name[row.name];
      s.base_flat.resize(k, 0);
      s.base_cum.resize(k, 0);
      s.base_flat[b] = share(row.base_flat, table.base_total) * base_scale[b];
      s.base_cum[b] = share(row.base_cum, table.base_total) * base_scale[b];
      s.new_flat = share(row.new_flat, table.new_total) * new_scale;
      s.new_cum = share(row.new_cum, table.new_total) * new_scale;
      if (s.file.empty()) s.file = row.file;
    }
    for (const diff::DiffEdge& e : table.edges) {
      Shares& s = by_call[{table.rows[e.caller].name, table.rows[e.callee].name}];
      s.base_flat.resize(k, 0);
      s.base_flat[b] = share(e.base, table.base_total) * base_scale[b];
      s.new_flat = share(e.next, table.new_total) * new_scale;
    }
  }
  Limits total_fail, total_warn;
  resolve(t, rules, out.type, nullptr, &total_fail, &total_warn);
  out.total_threshold = total_fail.total;
  out.total_warn_threshold = total_warn.total;
  // The total must also clear its baselines' spread: CPU per second moves with the machine's load.
  if (base_total > 0) {
    std::vector<double> relative_totals;
    for (double v : base_totals) relative_totals.push_back(100.0 * v / base_total);
    out.total_noise = spread_bound(relative_totals);
  }
  const bool past_noise = out.total_change_percent > out.total_noise;
  out.total = past_noise && out.total_change_percent > total_fail.total   ? Verdict::kFail
              : past_noise && out.total_change_percent > total_warn.total ? Verdict::kWarn
                                                                          : Verdict::kOk;
  for (auto& [call, s] : by_call) {
    s.base_flat.resize(k, 0);
    out.calls.push_back({call.first, call.second, median_of(s.base_flat), s.new_flat});
  }

  const diff::DiffTable& t0 = out.tables.front();
  for (auto& [name, s] : by_name) {
    s.base_flat.resize(k, 0);
    s.base_cum.resize(k, 0);
    FunctionChange f;
    f.name = name;
    f.file = s.file;
    f.base_flat = median_of(s.base_flat);
    f.base_cum = median_of(s.base_cum);
    f.new_flat = s.new_flat;
    f.new_cum = s.new_cum;
    if (std::max(f.base_cum, f.new_cum) < t.min_share) continue;
    bool ignored = false;
    for (const auto& re : ignore) ignored = ignored || RE2::PartialMatch(name, *re);
    if (ignored) continue;
    // Exact counts (goroutines) have no sampling noise; several baselines' spread still bounds them.
    f.bound_flat = std::max(diff::share_noise_points(t0, f.base_flat, f.new_flat, base_count, new_count),
                            spread_bound(s.base_flat));
    f.bound_cum =
        std::max(diff::share_noise_points(t0, f.base_cum, f.new_cum, base_count, new_count), spread_bound(s.base_cum));
    Limits fail, warn;
    resolve(t, rules, out.type, &name, &fail, &warn);
    if (!judge(f, fail, Verdict::kFail) && !judge(f, warn, Verdict::kWarn) && !improved(f, fail)) {
      f.measure =
          std::fabs(f.new_cum - f.base_cum) > std::fabs(f.new_flat - f.base_flat) ? Measure::kCum : Measure::kFlat;
      f.threshold = f.measure == Measure::kFlat ? fail.flat : fail.cum;
      f.reason.clear();
    }
    out.judged.push_back(std::move(f));
  }
  std::sort(out.judged.begin(), out.judged.end(), [](const FunctionChange& a, const FunctionChange& b) {
    if (a.verdict != b.verdict) return verdict_order(a.verdict) < verdict_order(b.verdict);
    if (a.verdict == Verdict::kOk) {  // the rest: by change of flat share, then cum, as before
      const double da = a.new_flat - a.base_flat, db = b.new_flat - b.base_flat;
      if (da != db) return da > db;
      const double ca = a.new_cum - a.base_cum, cb = b.new_cum - b.base_cum;
      if (ca != cb) return ca > cb;
    } else if (a.change() != b.change()) {
      return a.verdict == Verdict::kImproved ? a.change() < b.change() : a.change() > b.change();
    }
    return a.name < b.name;
  });
  group_findings(out, own.get());
  return out;
}

}  // namespace pprofx::report
