#include "pprofx/report/tree.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <map>

#include "node_selection.h"
#include "pprofx/base/regex.h"
#include "pprofx/base/strings.h"
#include "pprofx/model/units.h"
#include "pprofx/report/ansi.h"

namespace pprofx::report {
namespace {

int64_t abs64(int64_t v) { return v < 0 ? -v : v; }

constexpr std::string_view kSeparator = "----------------------------------------------------------+-------------";
constexpr std::string_view kLegend = "      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t ";

}  // namespace

Result<TreeReport> tree_report(const model::Profile& p, const TopOptions& o, const std::string& peek, bool color) {
  std::shared_ptr<const RE2> rx;
  if (!peek.empty()) {
    auto re = compile_regex(peek);
    if (!re) return Error{fmt::format("parsing argument regexp {}: {}", peek, re.error().message)};
    rx = std::move(*re);
  }
  auto selected = select_nodes(p, o);
  if (!selected) return selected.error();
  const NodeSelection& sel = **selected;
  const TopTable& t = sel.table;
  const fold::Graph& g = sel.graph;

  // Edges of the final graph: between kept nodes, at least the edge cutoff.
  std::vector<std::vector<fold::Edge>> in(g.nodes.size()), out(g.nodes.size());
  for (const fold::Edge& e : g.edges(sel.kept)) {
    if (abs64(e.weight) < sel.edge_cutoff) continue;
    in[e.dest].push_back(e);
    out[e.src].push_back(e);
  }
  std::vector<std::string> names(g.nodes.size());
  for (uint32_t id : sel.ids) names[id] = g.frames.printable_name(g.frames.infos[id]);
  // pprof's edgeList order: heavier first, then caller name, then callee name.
  auto edge_order = [&](const fold::Edge& a, const fold::Edge& b) {
    if (a.weight != b.weight) return abs64(a.weight) > abs64(b.weight);
    if (names[a.src] != names[b.src]) return names[a.src] < names[b.src];
    return names[a.dest] < names[b.dest];
  };

  TreeReport r;
  r.warnings = t.warnings;
  std::string& s = r.text;
  for (const std::string& line : t.header) s += ansi::paint(text_escaped(line), ansi::kDim, color) + "\n";
  s += fmt::format("{}\n{}\n", kSeparator, kLegend);
  int64_t flat_sum = 0;
  size_t matched = 0;
  for (size_t i = 0; i < sel.ids.size(); ++i) {
    const uint32_t id = sel.ids[i];
    const TopRow& row = t.rows[i];
    if (rx && !RE2::PartialMatch(names[id], *rx)) continue;
    ++matched;
    s += fmt::format("{}\n", kSeparator);
    auto edge_line = [&](const fold::Edge& e, uint32_t other) {
      s += fmt::format("{:>50} {} |   {}{}\n", text_escaped(t.format_value(e.weight)),
                       model::percentage(e.weight, row.cum), text_escaped(names[other]), e.inlined ? " (inline)" : "");
    };
    std::sort(in[id].begin(), in[id].end(), edge_order);
    for (const fold::Edge& e : in[id]) edge_line(e, e.src);
    flat_sum += row.flat;
    s += ansi::paint(fmt::format("{:>10} {} {} {:>10} {}                | {}", text_escaped(t.format_value(row.flat)),
                                 model::percentage(row.flat, t.total), model::percentage(flat_sum, t.total),
                                 text_escaped(t.format_value(row.cum)), model::percentage(row.cum, t.total),
                                 text_escaped(names[id])),
                     ansi::kBold, color);
    s += '\n';
    std::sort(out[id].begin(), out[id].end(), edge_order);
    for (const fold::Edge& e : out[id]) edge_line(e, e.dest);
  }
  if (!sel.ids.empty()) s += fmt::format("{}\n", kSeparator);
  if (rx && matched == 0) return Error{fmt::format("no matches found for regexp: {}", peek)};
  return r;
}

}  // namespace pprofx::report
