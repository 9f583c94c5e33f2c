#include "pprofx/report/top.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "pprofx/base/strings.h"
#include "pprofx/fold/graph.h"
#include "pprofx/fold/view.h"
#include "pprofx/model/units.h"
#include "pprofx/report/ansi.h"
#include "pprofx/report/header.h"
#include "machine_formats.h"
#include "node_selection.h"

namespace pprofx::report {
namespace {

int64_t abs64(int64_t v) { return v < 0 ? -v : v; }

}  // namespace

// pprof's selectOutputUnit for -unit=minimum: one unit for the whole report,
// fine enough that the smallest node still shows as at least 0.01.
std::string select_output_unit(const std::vector<const fold::Node*>& nodes, int64_t total,
                               const std::string& sample_unit, double divide_by) {
  int64_t min_value = 0;
  for (const fold::Node* n : nodes) {
    int64_t m = abs64(n->flat_value());
    if (m == 0) m = abs64(n->cum_value());
    if (m > 0 && (min_value == 0 || m < min_value)) min_value = m;
  }
  int64_t max_value = total;
  if (min_value == 0) min_value = max_value;
  min_value = model::divided(min_value, divide_by);
  max_value = model::divided(max_value, divide_by);
  const std::string min_unit = model::scale(min_value, sample_unit, "minimum").unit;
  const std::string max_unit = model::scale(max_value, sample_unit, "minimum").unit;
  std::string unit = min_unit;
  if (min_unit != max_unit && min_value * 100 < max_value) {
    unit = model::scale(100 * min_value, sample_unit, "minimum").unit;
  }
  return unit.empty() ? sample_unit : unit;
}

std::vector<std::string> active_filters(const fold::Filters& f) {
  std::vector<std::string> out;
  auto add = [&](std::string_view key, const std::string& value) {
    if (value.empty()) return;
    std::string s = fmt::format("{}={}", key, value);
    if (s.size() > 80) s = s.substr(0, 80) + "\xe2\x80\xa6";
    out.push_back("   " + s);
  };
  f.for_each_named(add);
  if (!out.empty()) out.insert(out.begin(), "Active filters:");
  return out;
}

std::string TopTable::format_value(int64_t v) const {
  return model::scaled_label(model::divided(v, divide_by), sample_unit, output_unit);
}

Result<std::unique_ptr<NodeSelection>> select_nodes(const model::Profile& p, const TopOptions& o) {
  auto value = fold::choose_value(p, o.sample_index, o.mean);
  if (!value) return value.error();
  auto view = fold::build_view(p, o.filters);
  if (!view) return view.error();

  auto sel = std::make_unique<NodeSelection>();
  sel->view = std::move(*view);
  TopTable& t = sel->table;
  t.warnings = sel->view.warnings;
  t.sample_unit = value->unit;
  t.type = value->type;
  t.total = fold::report_total(p, *value, o.filters.relative_percentages ? &sel->view : nullptr);

  sel->graph = fold::Graph::build(sel->view, {.granularity = o.granularity, .noinlines = o.noinlines, .value = *value, .threads = o.threads});
  const fold::Graph& g = sel->graph;

  // newTrimmedGraph: drop nodes whose |cum| is under node_fraction of the flat sum.
  std::vector<const fold::Node*> nodes;
  int64_t flat_sum = 0;
  for (const fold::Node& n : g.nodes) {
    if (n.cum == 0 && n.flat == 0) continue;
    nodes.push_back(&n);
    flat_sum += n.flat;
  }
  const int64_t node_cutoff = abs64(static_cast<int64_t>(static_cast<double>(flat_sum) * o.node_fraction));
  const int64_t edge_cutoff = abs64(static_cast<int64_t>(static_cast<double>(flat_sum) * o.edge_fraction));
  size_t dropped = 0;
  if (node_cutoff > 0) {
    const size_t before = nodes.size();
    std::erase_if(nodes, [&](const fold::Node* n) { return abs64(n->cum) < node_cutoff; });
    dropped = before - nodes.size();
  }
  const size_t orig_count = nodes.size();

  // Sort as pprof: by |flat| (or |cum|), then name, then the other value,
  // then Go's fmt.Sprint of the node key.
  struct Keyed {
    const fold::Node* node;
    std::string name;
    std::string tie;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(nodes.size());
  for (const fold::Node* n : nodes) {
    const fold::NodeInfo& info = g.frames.infos[static_cast<size_t>(n - g.nodes.data())];
    keyed.push_back({n, g.frames.printable_name(info), g.frames.info_string(info)});
  }
  std::sort(keyed.begin(), keyed.end(), [&](const Keyed& a, const Keyed& b) {
    const int64_t a1 = abs64(o.sort_by_cum ? a.node->cum : a.node->flat);
    const int64_t b1 = abs64(o.sort_by_cum ? b.node->cum : b.node->flat);
    if (a1 != b1) return a1 > b1;
    if (a.name != b.name) return a.name < b.name;
    const int64_t a2 = abs64(o.sort_by_cum ? a.node->flat : a.node->cum);
    const int64_t b2 = abs64(o.sort_by_cum ? b.node->flat : b.node->cum);
    if (a2 != b2) return a2 > b2;
    return a.tie < b.tie;
  });
  if (o.node_count > 0 && static_cast<size_t>(o.node_count) < keyed.size()) keyed.resize(o.node_count);

  std::vector<uint8_t>& kept = sel->kept;
  kept.assign(g.nodes.size(), 0);
  nodes.clear();
  for (const Keyed& k : keyed) {
    const auto id = static_cast<uint32_t>(k.node - g.nodes.data());
    kept[id] = 1;
    sel->ids.push_back(id);
    nodes.push_back(k.node);
  }
  sel->edge_cutoff = edge_cutoff;
  const std::vector<fold::InlineMark> marks = g.inline_marks(kept, edge_cutoff);

  t.output_unit = o.unit;
  t.divide_by = o.divide_by;
  if (o.unit == "minimum" && !nodes.empty()) {
    t.output_unit = select_output_unit(nodes, t.total, t.sample_unit, o.divide_by);
  }

  int64_t shown = 0;
  for (const Keyed& k : keyed) {
    TopRow row;
    row.name = k.name;
    row.flat = k.node->flat_value();
    row.cum = k.node->cum_value();
    switch (marks[static_cast<size_t>(k.node - g.nodes.data())]) {
      case fold::InlineMark::kInline: row.inline_mark = "(inline)"; break;
      case fold::InlineMark::kPartialInline: row.inline_mark = "(partial-inline)"; break;
      case fold::InlineMark::kNone: break;
    }
    shown += row.flat;
    t.rows.push_back(std::move(row));
  }

  t.header = profile_header(p, value->type, value->unit, t.total,
                            [&](int64_t v) { return t.format_value(v); });
  for (std::string& line : active_filters(o.filters)) t.header.push_back(std::move(line));
  t.header.push_back(fmt::format("Showing nodes accounting for {}, {} of {} total", t.format_value(shown),
                                 trimmed(model::percentage(shown, t.total)), t.format_value(t.total)));
  if (t.total != 0) {
    if (dropped > 0) {
      const int64_t at = abs64(static_cast<int64_t>(static_cast<double>(t.total) * o.node_fraction));
      t.header.push_back(fmt::format("Dropped {} {} (cum <= {})", dropped, dropped > 1 ? "nodes" : "node",
                                     t.format_value(at)));
    }
    if (!t.rows.empty() && t.rows.size() < orig_count) {
      t.header.push_back(fmt::format("Showing top {} nodes out of {}", t.rows.size(), orig_count));
    }
  }
  return sel;
}

Result<TopTable> top_table(const model::Profile& p, const TopOptions& o) {
  auto sel = select_nodes(p, o);
  if (!sel) return sel.error();
  return std::move((*sel)->table);
}

std::string format_top_text(const TopTable& t, bool color) {
  using ansi::paint;
  std::string out;
  for (const std::string& line : t.header) {
    out += paint(text_escaped(line), ansi::kDim, color);
    out += '\n';
  }
  out += paint(fmt::format("{:>10} {:>5}% {:>5}% {:>10} {:>5}%", "flat", "flat", "sum", "cum", "cum"), ansi::kBold,
               color);
  out += '\n';
  int64_t sum = 0;
  for (const TopRow& r : t.rows) {
    sum += r.flat;
    const double share = t.total != 0 ? std::fabs(static_cast<double>(r.flat) / static_cast<double>(t.total)) : 0;
    const std::string_view heat = share >= 0.10 ? ansi::kBoldRed : share >= 0.01 ? ansi::kYellow : std::string_view();
    const std::string flat = fmt::format("{:>10} {}", text_escaped(t.format_value(r.flat)),
                                         model::percentage(r.flat, t.total));
    out += fmt::format("{} {} {:>10} {}  {}{}{}\n", paint(flat, heat, color && !heat.empty()),
                       model::percentage(sum, t.total), text_escaped(t.format_value(r.cum)),
                       model::percentage(r.cum, t.total), paint(text_escaped(r.name), ansi::kBold, color && share >= 0.10), r.inline_mark.empty() ? "" : " ",
                       r.inline_mark);
  }
  return out;
}

namespace {

std::string_view inline_word(const TopRow& r) {
  return r.inline_mark == "(inline)" ? "inline" : r.inline_mark == "(partial-inline)" ? "partial-inline" : "";
}

}  // namespace

std::string format_top_markdown(const TopTable& t) {
  std::string out = markdown_lines(t.header);
  out += "| function | flat | flat% | sum% | cum | cum% | |\n|---|---:|---:|---:|---:|---:|---|\n";
  int64_t sum = 0;
  for (const TopRow& r : t.rows) {
    sum += r.flat;
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", markdown_code_span(r.name, true),
                       markdown_inline(t.format_value(r.flat), true), trimmed(model::percentage(r.flat, t.total)),
                       trimmed(model::percentage(sum, t.total)), markdown_inline(t.format_value(r.cum), true),
                       trimmed(model::percentage(r.cum, t.total)), inline_word(r));
  }
  return out;
}

std::string json_head(const TopTable& t, std::string_view report, std::string_view list) {
  return fmt::format(
      "{{\n  \"report\": \"{}\",\n  \"type\": \"{}\",\n  \"unit\": \"{}\",\n  \"divided_by\": {},\n  "
      "\"total\": {},\n  \"header\": {},\n  \"{}\": [",
      report, json_escaped(t.type), json_escaped(t.sample_unit), json_number(t.divide_by),
      model::divided(t.total, t.divide_by), json_strings(t.header), list);
}

std::string format_top_json(const TopTable& t) {
  std::string out = json_head(t, "top", "rows");
  int64_t sum = 0;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    const TopRow& r = t.rows[i];
    sum += r.flat;
    out += fmt::format(
        "{}\n    {{\"name\": \"{}\", \"inline\": \"{}\", \"flat\": {}, \"flat_pct\": {}, \"sum_pct\": {}, "
        "\"cum\": {}, \"cum_pct\": {}}}",
        i ? "," : "", json_escaped(r.name), inline_word(r), model::divided(r.flat, t.divide_by),
        share_number(r.flat, t.total), share_number(sum, t.total), model::divided(r.cum, t.divide_by),
        share_number(r.cum, t.total));
  }
  out += t.rows.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

std::string format_top_csv(const TopTable& t) {
  std::string out = "name,inline,flat,flat_pct,sum_pct,cum,cum_pct,unit\n";
  int64_t sum = 0;
  for (const TopRow& r : t.rows) {
    sum += r.flat;
    out += fmt::format("{},{},{},{},{},{},{},{}\n", csv_field(r.name), inline_word(r), model::divided(r.flat, t.divide_by),
                       share_number(r.flat, t.total), share_number(sum, t.total), model::divided(r.cum, t.divide_by),
                       share_number(r.cum, t.total), csv_field(t.sample_unit));
  }
  return out;
}

}  // namespace pprofx::report
