// check's findings: the regressions of one cause grouped, led by the frame
// where the increase enters.
//
// An increase travels along calls: a function that got slower raises its own
// cum share and every caller's, and the callees where its time is spent. From
// each regression the path that carries the increase is followed both ways
// along the calls whose share grew most: down while a callee's call carries at
// least half of what is traced and more than the frame's own flat increase
// (there the time is spent), up while a caller's call carries half. The lead
// is the deepest of the project's own frames on that path (else its topmost
// regression); regressions with one lead are one finding.
#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "pprofx/diff/own_code.h"
#include "pprofx/report/check.h"

namespace pprofx::report {

using diff::is_own_code;

void group_findings(CheckResult& r, const RE2* own_code) {
  r.findings.clear();
  // The calls by caller and by callee, with the change of their share.
  struct Call {
    std::string_view other;
    double change;
  };
  std::unordered_map<std::string_view, std::vector<Call>> callees, callers;
  for (const CallChange& c : r.calls) {
    const double d = c.after - c.before;
    if (d <= 0) continue;
    callees[c.caller].push_back({c.callee, d});
    callers[c.callee].push_back({c.caller, d});
  }
  std::unordered_map<std::string_view, size_t> judged_at;
  for (size_t i = 0; i < r.judged.size(); ++i) judged_at.emplace(r.judged[i].name, i);
  auto flat_change = [&](std::string_view name) {
    auto it = judged_at.find(name);
    return it == judged_at.end() ? 0.0 : r.judged[it->second].new_flat - r.judged[it->second].base_flat;
  };
  // The call of the largest growth from `from` (ties: the name first in order), or none.
  auto best = [](const std::unordered_map<std::string_view, std::vector<Call>>& calls, std::string_view from,
                 const std::set<std::string_view>& seen) -> const Call* {
    auto it = calls.find(from);
    if (it == calls.end()) return nullptr;
    const Call* out = nullptr;
    for (const Call& c : it->second) {
      if (seen.count(c.other) != 0) continue;
      if (out == nullptr || c.change > out->change || (c.change == out->change && c.other < out->other)) out = &c;
    }
    return out;
  };
  struct Traced {
    std::vector<std::string_view> path;  // top -> ... -> leaf
    std::vector<double> carried;         // per call on the path (path.size() - 1)
  };
  auto trace = [&](std::string_view start, double increase) {
    std::set<std::string_view> seen{start};
    std::vector<std::string_view> up, down;
    std::vector<double> up_calls, down_calls;
    for (std::string_view at = start;;) {
      const Call* c = best(callers, at, seen);
      if (c == nullptr || c->change < increase / 2) break;
      up.push_back(c->other);
      up_calls.push_back(c->change);
      seen.insert(c->other);
      at = c->other;
    }
    double traced = increase;
    for (std::string_view at = start;;) {
      const Call* c = best(callees, at, seen);
      if (c == nullptr || c->change < traced / 2 || c->change <= flat_change(at)) break;
      down.push_back(c->other);
      down_calls.push_back(c->change);
      seen.insert(c->other);
      traced = c->change;
      at = c->other;
    }
    Traced t;
    t.path.assign(up.rbegin(), up.rend());
    t.path.push_back(start);
    t.path.insert(t.path.end(), down.begin(), down.end());
    t.carried.assign(up_calls.rbegin(), up_calls.rend());
    t.carried.insert(t.carried.end(), down_calls.begin(), down_calls.end());
    return t;
  };
  auto flagged = [&](std::string_view name) {
    auto it = judged_at.find(name);
    return it != judged_at.end() &&
           (r.judged[it->second].verdict == Verdict::kFail || r.judged[it->second].verdict == Verdict::kWarn);
  };
  auto own = [&](std::string_view name) {
    auto it = judged_at.find(name);
    return is_own_code(name, it == judged_at.end() ? std::string_view{} : r.judged[it->second].file, own_code);
  };

  std::map<std::string_view, size_t> finding_of;  // lead -> index in r.findings
  for (size_t i = 0; i < r.judged.size(); ++i) {
    const FunctionChange& f = r.judged[i];
    if (f.verdict != Verdict::kFail && f.verdict != Verdict::kWarn) continue;
    const Traced t = trace(f.name, f.change());
    size_t lead = t.path.size();
    for (size_t p = t.path.size(); p-- > 0 && lead == t.path.size();) {
      if (own(t.path[p])) lead = p;
    }
    for (size_t p = 0; p < t.path.size() && lead == t.path.size(); ++p) {
      if (flagged(t.path[p])) lead = p;
    }
    auto [it, added] = finding_of.try_emplace(t.path[lead], r.findings.size());
    if (added) {
      Finding g;
      g.lead = std::string(t.path[lead]);
      r.findings.push_back(std::move(g));
    }
    r.findings[it->second].members.push_back(i);
  }
  for (Finding& g : r.findings) {
    // The change quoted: the lead's own if it regressed, else the largest of the worst tier.
    auto rank = [&](size_t m) { return std::pair{r.judged[m].verdict == Verdict::kFail, r.judged[m].change()}; };
    std::stable_sort(g.members.begin(), g.members.end(), [&](size_t a, size_t b) { return rank(a) > rank(b); });
    g.headline = g.members.front();
    for (size_t m : g.members) {
      if (r.judged[m].name == g.lead && r.judged[m].verdict == r.judged[g.headline].verdict) g.headline = m;
    }
    std::stable_partition(g.members.begin(), g.members.end(), [&](size_t m) { return m == g.headline; });
    g.verdict = r.judged[g.headline].verdict;
    // The path from the lead down to where the time is spent, and what it carries.
    auto lead_at = judged_at.find(g.lead);
    const double increase = lead_at != judged_at.end()
                                ? std::max(r.judged[lead_at->second].new_cum - r.judged[lead_at->second].base_cum, 0.0)
                                : r.judged[g.headline].change();
    const Traced t = trace(g.lead, increase);
    const size_t from = static_cast<size_t>(std::find(t.path.begin(), t.path.end(), g.lead) - t.path.begin());
    g.path.assign(t.path.begin() + static_cast<std::ptrdiff_t>(from), t.path.end());
    if (g.path.size() > 1) {
      g.path_increase = *std::min_element(t.carried.begin() + static_cast<std::ptrdiff_t>(from), t.carried.end());
    } else {
      g.path_increase = r.judged[g.headline].change();
    }
  }
  std::stable_sort(r.findings.begin(), r.findings.end(), [&](const Finding& a, const Finding& b) {
    if (a.verdict != b.verdict) return a.verdict == Verdict::kFail;
    return r.judged[a.headline].change() > r.judged[b.headline].change();
  });
}

}  // namespace pprofx::report
