#include "pprofx/report/tree.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <map>

#include "machine_formats.h"
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

Result<TreeTable> tree_table(const model::Profile& p, const TopOptions& o, const std::string& peek) {
  std::shared_ptr<const RE2> rx;
  if (!peek.empty()) {
    auto re = compile_regex(peek);
    if (!re) return Error{fmt::format("parsing argument regexp {}: {}", peek, re.error().message)};
    rx = std::move(*re);
  }
  auto selected = select_nodes(p, o);
  if (!selected) return selected.error();
  NodeSelection& sel = **selected;
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

  TreeTable t;
  for (size_t i = 0; i < sel.ids.size(); ++i) {
    const uint32_t id = sel.ids[i];
    if (rx && !RE2::PartialMatch(names[id], *rx)) continue;
    TreeNode node{.row = sel.table.rows[i], .callers = {}, .callees = {}};
    std::sort(in[id].begin(), in[id].end(), edge_order);
    for (const fold::Edge& e : in[id]) node.callers.push_back({names[e.src], e.weight, e.inlined});
    std::sort(out[id].begin(), out[id].end(), edge_order);
    for (const fold::Edge& e : out[id]) node.callees.push_back({names[e.dest], e.weight, e.inlined});
    t.nodes.push_back(std::move(node));
  }
  if (rx && t.nodes.empty()) return Error{fmt::format("no matches found for regexp: {}", peek)};
  sel.table.rows.clear();  // the nodes hold them
  t.table = std::move(sel.table);
  return t;
}

std::string format_tree_text(const TreeTable& tree, bool color) {
  const TopTable& t = tree.table;
  std::string s;
  for (const std::string& line : t.header) s += ansi::paint(text_escaped(line), ansi::kDim, color) + "\n";
  s += fmt::format("{}\n{}\n", kSeparator, kLegend);
  int64_t flat_sum = 0;
  for (const TreeNode& node : tree.nodes) {
    const TopRow& row = node.row;
    s += fmt::format("{}\n", kSeparator);
    auto edge_line = [&](const TreeEdge& e) {
      s += fmt::format("{:>50} {} |   {}{}\n", text_escaped(t.format_value(e.weight)),
                       model::percentage(e.weight, row.cum), text_escaped(e.name), e.inlined ? " (inline)" : "");
    };
    for (const TreeEdge& e : node.callers) edge_line(e);
    flat_sum += row.flat;
    s += ansi::paint(fmt::format("{:>10} {} {} {:>10} {}                | {}", text_escaped(t.format_value(row.flat)),
                                 model::percentage(row.flat, t.total), model::percentage(flat_sum, t.total),
                                 text_escaped(t.format_value(row.cum)), model::percentage(row.cum, t.total),
                                 text_escaped(row.name)),
                     ansi::kBold, color);
    s += '\n';
    for (const TreeEdge& e : node.callees) edge_line(e);
  }
  if (!tree.nodes.empty()) s += fmt::format("{}\n", kSeparator);
  return s;
}

Result<TreeReport> tree_report(const model::Profile& p, const TopOptions& o, const std::string& peek, bool color) {
  auto t = tree_table(p, o, peek);
  if (!t) return t.error();
  return TreeReport{.text = format_tree_text(*t, color), .warnings = t->table.warnings};
}

namespace {

std::string markdown_edges(const TopTable& t, const std::vector<TreeEdge>& edges, int64_t cum) {
  std::string out;
  for (const TreeEdge& e : edges) {
    if (!out.empty()) out += "<br>";
    out += fmt::format("{} {} ({}){}", markdown_code_span(e.name, true), markdown_inline(t.format_value(e.weight), true),
                       trimmed(model::percentage(e.weight, cum)), e.inlined ? " (inline)" : "");
  }
  return out;
}

std::string json_edges(const TopTable& t, const std::vector<TreeEdge>& edges, int64_t cum) {
  std::string out = "[";
  for (size_t i = 0; i < edges.size(); ++i) {
    const TreeEdge& e = edges[i];
    out += fmt::format("{}{{\"name\": \"{}\", \"weight\": {}, \"pct\": {}, \"inline\": {}}}", i ? ", " : "",
                       json_escaped(e.name), model::divided(e.weight, t.divide_by), share_number(e.weight, cum),
                       e.inlined ? "true" : "false");
  }
  return out + "]";
}

}  // namespace

std::string format_tree_markdown(const TreeTable& tree) {
  const TopTable& t = tree.table;
  std::string out = markdown_lines(t.header);
  out += "| function | flat | flat% | sum% | cum | cum% | called from | calls |\n"
         "|---|---:|---:|---:|---:|---:|---|---|\n";
  int64_t sum = 0;
  for (const TreeNode& n : tree.nodes) {
    sum += n.row.flat;
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", markdown_code_span(n.row.name, true),
                       markdown_inline(t.format_value(n.row.flat), true), trimmed(model::percentage(n.row.flat, t.total)),
                       trimmed(model::percentage(sum, t.total)), markdown_inline(t.format_value(n.row.cum), true),
                       trimmed(model::percentage(n.row.cum, t.total)), markdown_edges(t, n.callers, n.row.cum),
                       markdown_edges(t, n.callees, n.row.cum));
  }
  return out;
}

std::string format_tree_json(const TreeTable& tree) {
  const TopTable& t = tree.table;
  std::string out = json_head(t, "tree", "nodes");
  int64_t sum = 0;
  for (size_t i = 0; i < tree.nodes.size(); ++i) {
    const TreeNode& n = tree.nodes[i];
    sum += n.row.flat;
    out += fmt::format(
        "{}\n    {{\"name\": \"{}\", \"flat\": {}, \"flat_pct\": {}, \"sum_pct\": {}, \"cum\": {}, "
        "\"cum_pct\": {},\n     \"callers\": {},\n     \"callees\": {}}}",
        i ? "," : "", json_escaped(n.row.name), model::divided(n.row.flat, t.divide_by), share_number(n.row.flat, t.total),
        share_number(sum, t.total), model::divided(n.row.cum, t.divide_by), share_number(n.row.cum, t.total),
        json_edges(t, n.callers, n.row.cum), json_edges(t, n.callees, n.row.cum));
  }
  out += tree.nodes.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

std::string format_tree_csv(const TreeTable& tree) {
  const TopTable& t = tree.table;
  std::string out = "name,relation,other,weight,pct,inline,flat,flat_pct,cum,cum_pct,unit\n";
  for (const TreeNode& n : tree.nodes) {
    const std::string self = fmt::format("{},{},{},{},{}", model::divided(n.row.flat, t.divide_by),
                                         share_number(n.row.flat, t.total), model::divided(n.row.cum, t.divide_by),
                                         share_number(n.row.cum, t.total), csv_field(t.sample_unit));
    out += fmt::format("{},self,,,,,{}\n", csv_field(n.row.name), self);
    for (auto [relation, edges] : {std::pair{"caller", &n.callers}, std::pair{"callee", &n.callees}}) {
      for (const TreeEdge& e : *edges) {
        out += fmt::format("{},{},{},{},{},{},{}\n", csv_field(n.row.name), relation, csv_field(e.name),
                           model::divided(e.weight, t.divide_by), share_number(e.weight, n.row.cum),
                           e.inlined ? "inline" : "", self);
      }
    }
  }
  return out;
}

}  // namespace pprofx::report
