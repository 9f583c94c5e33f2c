#include "pprofx/report/dot.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <map>
#include <unordered_map>

#include "machine_formats.h"
#include "node_selection.h"
#include "pprofx/base/regex.h"
#include "pprofx/base/strings.h"
#include "pprofx/fold/graph.h"
#include "pprofx/fold/tag_filter.h"
#include "pprofx/fold/view.h"
#include "pprofx/model/units.h"
#include "pprofx/report/header.h"

namespace pprofx::report {
namespace {

// Go's int64 arithmetic wraps (abs64 of MinInt64 is MinInt64); C++'s would be undefined.
int64_t abs64(int64_t v) { return v < 0 ? static_cast<int64_t>(0 - static_cast<uint64_t>(v)) : v; }
int64_t wrapping_add(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}
int64_t wrapping_mul(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
}
// Go's int64(float64) on amd64: out of range (or NaN) gives INT64_MIN.
int64_t go_int64(double d) {
  if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) return INT64_MIN;
  return static_cast<int64_t>(d);
}
// Go's math.Log2: exact for powers of two, else Log(frac)/Ln2 + exp.
double go_log2(double x) {
  int exp = 0;
  const double frac = std::frexp(x, &exp);
  if (frac == 0.5) return exp - 1;
  return std::log(frac) * 1.4426950408889634 + exp;
}

// pprof's escapeForDot of a name as a terminal shows it (control characters
// and invalid UTF-8 as \xNN first): \ and " escaped.
std::string escape_for_dot(std::string_view s) {
  std::string out;
  for (char c : text_escaped(s)) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out;
}
// What pprof writes unescaped (file names, labels, the title): as it is when
// that is valid DOT and harmless on a terminal, else escaped.
std::string dot_safe(std::string_view s) {
  if (text_escaped(s) == s && s.find('"') == std::string_view::npos && (s.empty() || s.back() != '\\')) {
    return std::string(s);
  }
  return escape_for_dot(s);
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

// pprof's graph.ShortenFunctionName.
std::string shorten_function_name(std::string f) {
  static const auto anonymous = compile_regex(R"(^\(anonymous namespace\)::)");
  static const auto go_version = compile_regex(R"(^(.*?)/v(?:[2-9]|[1-9][0-9]+)([./].*)$)");
  static const auto go = compile_regex(R"(^(?:[\w\-\.]+\/)+(.+))");
  static const auto java = compile_regex(R"(^(?:[a-z]\w*\.)*([A-Z][\w\$]*\.(?:<init>|[a-z][\w\$]*(?:\$\d+)?))(?:(?:\()|$))");
  static const auto cpp = compile_regex(R"(^(?:[_a-zA-Z]\w*::)+(_*[A-Z]\w*::~?[_a-zA-Z]\w*(?:<.*>)?))");
  RE2::Replace(&f, **anonymous, "");
  RE2::Replace(&f, **go_version, "\\1\\2");
  for (const auto* re : {&go, &java, &cpp}) {
    std::string group;
    if (RE2::PartialMatch(f, ***re, &group)) return group;
  }
  return f;
}

// A label or `bytes` value box's weights (internal/graph Tag).
struct Tag {
  std::string name;
  std::string shown;  // label tags: the name as written in DOT (each "key:value" made safe)
  std::string unit;  // "" for label tags
  int64_t value = 0;
  int64_t flat = 0, flat_div = 0, cum = 0, cum_div = 0;
  int64_t flat_value() const { return flat_div == 0 ? flat : flat / flat_div; }
  int64_t cum_value() const { return cum_div == 0 ? cum : cum / cum_div; }
};

// pprof's SortTags: by |cum| (unless flat), then |flat|, then name.
void sort_tags(std::vector<const Tag*>& ts, bool flat) {
  std::stable_sort(ts.begin(), ts.end(), [flat](const Tag* a, const Tag* b) {
    if (!flat && a->cum != b->cum) return abs64(a->cum) > abs64(b->cum);
    if (a->flat != b->flat) return abs64(a->flat) > abs64(b->flat);
    return a->name < b->name;
  });
}

// One node's tags: label tags by their joined labels, and `bytes` tags per
// joined labels ("" for samples without string labels).
struct NodeTags {
  std::map<std::string, Tag> labels;
  std::map<std::string, std::map<std::string, Tag>> numeric;
};

struct DotEdge {
  fold::Edge e;
  bool alive = true;
};

// The graph pprof draws: kept nodes in order, edges between them.
class VisualGraph {
 public:
  VisualGraph(const fold::Graph& g, const std::vector<std::string>& names, const std::vector<std::string>& infos)
      : g_(g), names_(names), infos_(infos) {}

  // pprof's newGraph(kept): the edges between the kept nodes.
  void rebuild(const std::vector<uint32_t>& nodes) {
    nodes_ = nodes;
    std::vector<uint8_t> kept(g_.nodes.size(), 0);
    for (uint32_t n : nodes) kept[n] = 1;
    edges_.clear();
    for (const fold::Edge& e : g_.edges(kept)) edges_.push_back({e, true});
    in_.assign(g_.nodes.size(), {});
    out_.assign(g_.nodes.size(), {});
    for (uint32_t i = 0; i < edges_.size(); ++i) {
      in_[edges_[i].e.dest].push_back(i);
      out_[edges_[i].e.src].push_back(i);
    }
  }

  // pprof's SortNodes in visual mode (EntropyOrder).
  void sort_by_entropy() {
    std::vector<int64_t> score(g_.nodes.size());
    for (uint32_t n : nodes_) score[n] = entropy_score(n);
    std::sort(nodes_.begin(), nodes_.end(), [&](uint32_t a, uint32_t b) {
      if (abs64(score[a]) != abs64(score[b])) return abs64(score[a]) > abs64(score[b]);
      if (names_[a] != names_[b]) return names_[a] < names_[b];
      if (abs64(g_.nodes[a].flat) != abs64(g_.nodes[b].flat)) return abs64(g_.nodes[a].flat) > abs64(g_.nodes[b].flat);
      return infos_[a] < infos_[b];
    });
  }

  // pprof's TrimLowFrequencyEdges: the number removed.
  int trim_edges(int64_t cutoff) {
    int dropped = 0;
    for (DotEdge& d : edges_) {
      if (d.alive && abs64(d.e.weight) < cutoff) {
        d.alive = false;
        ++dropped;
      }
    }
    return dropped;
  }

  // pprof's edgeList order: heavier first, then caller and callee names.
  bool edge_before(uint32_t x, uint32_t y) const {
    const fold::Edge& a = edges_[x].e;
    const fold::Edge& b = edges_[y].e;
    if (a.weight != b.weight) return abs64(a.weight) > abs64(b.weight);
    if (names_[a.src] != names_[b.src]) return names_[a.src] < names_[b.src];
    if (names_[a.dest] != names_[b.dest]) return names_[a.dest] < names_[b.dest];
    // pprof leaves edges between equally named nodes in Go's map order (its output varies from
    // run to run there); pprofx orders them by node ids, the same on every run.
    return a.src != b.src ? a.src < b.src : a.dest < b.dest;
  }
  std::vector<uint32_t> sorted(std::vector<uint32_t> list) const {
    std::erase_if(list, [&](uint32_t e) { return !edges_[e].alive; });
    std::sort(list.begin(), list.end(), [&](uint32_t a, uint32_t b) { return edge_before(a, b); });
    return list;
  }

  // pprof's RemoveRedundantEdges: residual edges whose callee is reached another way.
  void remove_redundant_edges() {
    for (size_t i = nodes_.size(); i > 0; --i) {
      const std::vector<uint32_t> in = sorted(in_[nodes_[i - 1]]);
      for (size_t j = in.size(); j > 0; --j) {
        DotEdge& d = edges_[in[j - 1]];
        if (!d.e.residual) break;
        if (redundant(in[j - 1])) d.alive = false;
      }
    }
  }

  bool has_out(uint32_t n) const {
    return std::any_of(out_[n].begin(), out_[n].end(), [&](uint32_t e) { return edges_[e].alive; });
  }
  const std::vector<uint32_t>& nodes() const { return nodes_; }
  std::vector<uint32_t>& nodes() { return nodes_; }
  const std::vector<DotEdge>& edges() const { return edges_; }

 private:
  int64_t entropy_score(uint32_t n) const {
    double score = 0;
    const fold::Node& node = g_.nodes[n];
    const auto alive = [&](const std::vector<uint32_t>& list) {
      return std::any_of(list.begin(), list.end(), [&](uint32_t e) { return edges_[e].alive; });
    };
    score += alive(in_[n]) ? edge_entropy(in_[n], 0) : 1;  // favour entry nodes
    score += alive(out_[n]) ? edge_entropy(out_[n], node.flat) : 1;  // and leaves
    return wrapping_add(go_int64(score * static_cast<double>(node.cum)), node.flat);
  }

  double edge_entropy(const std::vector<uint32_t>& list, int64_t self) const {
    double score = 0;
    int64_t total = self;
    for (uint32_t e : list) {
      if (edges_[e].alive && edges_[e].e.weight > 0) total += abs64(edges_[e].e.weight);
    }
    if (total == 0) return 0;
    for (uint32_t e : list) {
      if (!edges_[e].alive) continue;
      const double frac = static_cast<double>(abs64(edges_[e].e.weight)) / static_cast<double>(total);
      score += -frac * go_log2(frac);
    }
    if (self > 0) {
      const double frac = static_cast<double>(abs64(self)) / static_cast<double>(total);
      score += -frac * go_log2(frac);
    }
    return score;
  }

  bool redundant(uint32_t edge) const {
    const uint32_t src = edges_[edge].e.src;
    std::vector<uint8_t> seen(g_.nodes.size(), 0);
    std::deque<uint32_t> queue{edges_[edge].e.dest};
    seen[edges_[edge].e.dest] = 1;
    while (!queue.empty()) {
      const uint32_t n = queue.front();
      queue.pop_front();
      for (uint32_t ie : in_[n]) {
        if (!edges_[ie].alive || ie == edge || seen[edges_[ie].e.src]) continue;
        if (edges_[ie].e.src == src) return true;
        seen[edges_[ie].e.src] = 1;
        queue.push_back(edges_[ie].e.src);
      }
    }
    return false;
  }

  const fold::Graph& g_;
  const std::vector<std::string>& names_;
  const std::vector<std::string>& infos_;
  std::vector<uint32_t> nodes_;
  std::vector<DotEdge> edges_;
  std::vector<std::vector<uint32_t>> in_, out_;
};

// The tags of every node, as pprof's addSample collects them: string labels
// joined ("k:v\nk:v", sorted) and the numeric label `bytes` (the only one
// pprof keeps for graphs), cum once per node and sample, flat on the leaf.
std::vector<NodeTags> collect_tags(const fold::View& view, const fold::Graph& g, const fold::ValueChoice& value,
                                   const std::string& output_unit) {
  const model::Profile& p = *view.profile;
  std::vector<NodeTags> tags(g.nodes.size());
  model::StrId bytes_key;
  const bool has_bytes = p.strings.find("bytes", &bytes_key);
  const auto units = fold::num_label_units(p);
  const auto bytes_unit = units.find(std::string_view("bytes"));
  const std::string unit = bytes_unit == units.end() ? std::string() : bytes_unit->second;
  bool any = false;
  for (const model::Label& l : p.labels) {
    if (l.str != model::kEmptyStr || (has_bytes && l.key == bytes_key)) any = true;
  }
  if (!any) return tags;
  std::vector<uint32_t> stamp(g.nodes.size(), 0xffffffffu);
  std::vector<std::string> pairs;
  std::vector<int64_t> bytes;
  std::vector<std::string> byte_names;  // per sample: each `bytes` value as its tag is named
  fold::for_each_weighted_sample(view, value, [&](uint32_t ordinal, const fold::ViewSample& s, int64_t w, int64_t dw) {
    pairs.clear();
    bytes.clear();
    for (const model::Label& l : p.sample_labels(p.samples[s.sample])) {
      if (!view.label_shown(l.key)) continue;
      if (l.str != model::kEmptyStr) {
        if (p.str(l.key) != "pprof::base") pairs.push_back(fmt::format("{}:{}", p.str(l.key), p.str(l.str)));
      } else if (has_bytes && l.key == bytes_key) {
        bytes.push_back(l.num);
      }
    }
    std::sort(pairs.begin(), pairs.end());
    std::string joined, shown;
    for (size_t i = 0; i < pairs.size(); ++i) {
      joined += (i ? "\\n" : "") + pairs[i];  // pprof's separator: DOT's \n, two characters
      shown += (i ? "\\n" : "") + dot_safe(pairs[i]);
    }
    // Named once per sample; each node on the stack only adds to its tags.
    byte_names.clear();
    for (int64_t v : bytes) byte_names.push_back(model::scaled_label(v, unit, output_unit));
    const auto add = [&](uint32_t n, bool flat) {
      NodeTags& t = tags[n];
      const auto bump = [&](Tag& tag) {
        (flat ? tag.flat : tag.cum) += w;
        (flat ? tag.flat_div : tag.cum_div) += dw;
      };
      if (!joined.empty()) {
        auto [it, added] = t.labels.try_emplace(joined);
        if (added) it->second.name = joined, it->second.shown = shown;
        bump(it->second);
      }
      if (bytes.empty()) return;
      auto& numeric = t.numeric[joined];
      for (size_t i = 0; i < bytes.size(); ++i) {
        auto [it, added] = numeric.try_emplace(byte_names[i]);
        if (added) it->second.name = byte_names[i], it->second.unit = unit, it->second.value = bytes[i];
        bump(it->second);
      }
    };
    int64_t last = -1;
    for (size_t i = s.count; i-- > 0;) {
      auto frames = g.frames.frames_of(s.stack[i]);
      for (size_t k = frames.size(); k-- > 0;) {
        const uint32_t n = frames[k];
        if (stamp[n] != ordinal) {
          stamp[n] = ordinal;
          add(n, false);
        }
        last = n;
      }
    }
    if (last >= 0) add(static_cast<uint32_t>(last), true);
  });
  return tags;
}

// pprof's TrimLowFrequencyTags.
void trim_tags(NodeTags& t, int64_t cutoff) {
  const auto low = [cutoff](const Tag& tag) { return abs64(tag.flat) < cutoff && abs64(tag.cum) < cutoff; };
  std::erase_if(t.labels, [&](const auto& kv) { return low(kv.second); });
  for (auto& [labels, numeric] : t.numeric) std::erase_if(numeric, [&](const auto& kv) { return low(kv.second); });
}

// pprof's countTags: tags with a flat value.
int count_tags(const NodeTags& t) {
  int count = 0;
  for (const auto& [name, tag] : t.labels) count += tag.flat != 0;
  for (const auto& [labels, numeric] : t.numeric) {
    for (const auto& [name, tag] : numeric) count += tag.flat != 0;
  }
  return count;
}

constexpr int kMaxNodelets = 4;

// pprof's tagDistance and tagGroupLabel, for collapsing `bytes` tags into kMaxNodelets ranges.
double tag_distance(const Tag& t, const Tag& u) {
  const double v = model::scale(u.value, u.unit, t.unit).value;
  return v < static_cast<double>(t.value) ? static_cast<double>(t.value) - v : v - static_cast<double>(t.value);
}

Tag group_tag(const std::vector<const Tag*>& group) {
  Tag out;
  if (group.size() == 1) {
    out.name = model::scaled_label(group[0]->value, group[0]->unit, "auto");
    out.flat = group[0]->flat_value();
    out.cum = group[0]->cum_value();
    return out;
  }
  const Tag* min = group[0];
  const Tag* max = group[0];
  int64_t df = min->flat_div, f = min->flat, dc = min->cum_div, c = min->cum;
  for (size_t i = 1; i < group.size(); ++i) {
    const Tag* t = group[i];
    if (go_int64(model::scale(t->value, t->unit, min->unit).value) < min->value) min = t;
    if (go_int64(model::scale(t->value, t->unit, max->unit).value) > max->value) max = t;
    f += t->flat;
    df += t->flat_div;
    c += t->cum;
    dc += t->cum_div;
  }
  if (df != 0) f /= df;
  if (dc != 0) c /= dc;
  out.name = model::scaled_label(min->value, min->unit, "auto") + ".." + model::scaled_label(max->value, max->unit, "auto");
  out.flat = f;
  out.cum = c;
  return out;
}

std::vector<Tag> collapsed_tags(std::vector<const Tag*> ts, bool flat) {
  sort_tags(ts, flat);
  std::vector<Tag> out;
  if (ts.size() <= static_cast<size_t>(kMaxNodelets)) {
    for (const Tag* t : ts) out.push_back(*t);
    return out;
  }
  std::vector<std::vector<const Tag*>> groups(kMaxNodelets);
  for (int i = 0; i < kMaxNodelets; ++i) groups[i] = {ts[i]};
  for (size_t k = kMaxNodelets; k < ts.size(); ++k) {
    size_t best = 0;
    double d = tag_distance(*ts[k], *groups[0][0]);
    for (size_t i = 1; i < groups.size(); ++i) {
      if (const double nd = tag_distance(*ts[k], *groups[i][0]); nd < d) best = i, d = nd;
    }
    groups[best].push_back(ts[k]);
  }
  for (const auto& g : groups) out.push_back(group_tag(g));
  std::vector<const Tag*> ptrs;
  for (const Tag& t : out) ptrs.push_back(&t);
  sort_tags(ptrs, flat);
  std::vector<Tag> sorted;
  for (const Tag* t : ptrs) sorted.push_back(*t);
  return sorted;
}

// pprof's multilinePrintableName: the short name split at "::" and "." for the box.
std::string multiline_name(const fold::FrameIndex& frames, const fold::NodeInfo& info) {
  std::string name = escape_for_dot(shorten_function_name(std::string(frames.names.str(info.name))));
  replace_all(name, "::", "\\n");
  replace_all(name, "[...]", "[\xe2\x80\xa6]");
  replace_all(name, ".", "\\n");
  std::vector<std::string> parts;
  if (info.address != 0) parts.push_back(fmt::format("{:016x}", info.address));
  if (info.name != model::kEmptyStr) parts.push_back(name);
  const std::string file = info.file != model::kEmptyStr ? dot_safe(base_name(frames.names.str(info.file))) : "";
  if (info.lineno != 0) {
    parts.push_back(fmt::format("{}:{}", file, info.lineno));
  } else if (info.file != model::kEmptyStr) {
    parts.push_back(file);
  } else if (info.name != model::kEmptyStr) {
  } else if (info.objfile != model::kEmptyStr) {
    parts.push_back("[" + dot_safe(base_name(frames.names.str(info.objfile))) + "]");
  } else {
    parts.push_back("<unknown>");
  }
  std::string out;
  for (const std::string& p : parts) out += p + "\\n";
  return out;
}

}  // namespace

std::string dot_color(double score, bool background) {
  const double saturation0 = background ? 0.1 : 1.0;
  const double value = background ? 0.93 : 0.7;
  double saturation = saturation0;
  score = std::fmax(-1.0, std::fmin(1.0, score));
  if (std::fabs(score) < 0.2) saturation *= std::fabs(score) / 0.2;
  // pprof's math.Pow(score, 1-shift) with shift 0.7: Go computes it as Exp(0.3 * Log(score)).
  if (score > 0.0) score = std::exp(0.3 * std::log(score));
  if (score < 0.0) score = -std::exp(0.3 * std::log(-score));
  double r, g;
  if (score < 0.0) {
    g = value;
    r = value * (1 + saturation * score);
  } else {
    r = value;
    g = value * (1 - saturation * score);
  }
  const double b = value * (1 - saturation);
  const auto byte = [](double x) { return static_cast<unsigned>(static_cast<uint8_t>(go_int64(x * 255.0))); };
  return fmt::format("#{:02x}{:02x}{:02x}", byte(r), byte(g), byte(b));
}

Result<DotReport> dot_report(const model::Profile& p, const TopOptions& o) {
  auto value = fold::choose_value(p, o.sample_index, o.mean);
  if (!value) return value.error();
  auto view = fold::build_view(p, o.filters);
  if (!view) return view.error();
  const int64_t total = fold::report_total(p, *value, o.filters.relative_percentages ? &*view : nullptr);
  const fold::Graph g = fold::Graph::build(*view, {.granularity = o.granularity, .noinlines = o.noinlines, .value = *value, .threads = o.threads});
  std::vector<std::string> names(g.nodes.size()), infos(g.nodes.size());
  std::vector<uint32_t> present;
  int64_t flat_total = 0;
  for (uint32_t n = 0; n < g.nodes.size(); ++n) {
    if (g.nodes[n].cum == 0 && g.nodes[n].flat == 0) continue;
    present.push_back(n);
    names[n] = g.frames.printable_name(g.frames.infos[n]);
    infos[n] = g.frames.info_string(g.frames.infos[n]);
    flat_total += g.nodes[n].flat;
  }
  const int64_t node_cutoff = abs64(static_cast<int64_t>(static_cast<double>(flat_total) * o.node_fraction));
  const int64_t edge_cutoff = abs64(static_cast<int64_t>(static_cast<double>(flat_total) * o.edge_fraction));

  // newTrimmedGraph in visual mode.
  VisualGraph vg(g, names, infos);
  size_t dropped_nodes = 0;
  if (node_cutoff > 0) {
    std::vector<uint32_t> kept;
    for (uint32_t n : present) {
      if (abs64(g.nodes[n].cum) >= node_cutoff) kept.push_back(n);
    }
    dropped_nodes = present.size() - kept.size();
    present = std::move(kept);
  }
  vg.rebuild(present);
  const size_t orig_count = present.size();
  std::vector<NodeTags> tags = collect_tags(*view, g, *value, o.unit);
  for (uint32_t n : present) trim_tags(tags[n], node_cutoff);
  vg.sort_by_entropy();
  if (o.node_count > 0) {
    vg.trim_edges(edge_cutoff);
    size_t max_nodes = static_cast<size_t>(o.node_count);
    int count = 0;
    for (size_t i = 0; i < vg.nodes().size(); ++i) {
      count += std::min(count_tags(tags[vg.nodes()[i]]), kMaxNodelets) + 1;
      if (count >= o.node_count) {
        max_nodes = i + 1;
        break;
      }
    }
    if (max_nodes < vg.nodes().size()) {
      std::vector<uint32_t> top(vg.nodes().begin(), vg.nodes().begin() + static_cast<ptrdiff_t>(max_nodes));
      vg.rebuild(top);
      vg.sort_by_entropy();
    }
  }
  const int dropped_edges = vg.trim_edges(edge_cutoff);
  vg.remove_redundant_edges();

  // The values' unit and the legend (GetDOT, reportLabels with full headers).
  TopTable t;
  t.sample_unit = value->unit;
  t.total = total;
  t.divide_by = o.divide_by;
  t.output_unit = o.unit;
  std::vector<const fold::Node*> shown;
  for (uint32_t n : vg.nodes()) shown.push_back(&g.nodes[n]);
  if (o.unit == "minimum" && !shown.empty()) t.output_unit = select_output_unit(shown, total, value->unit, o.divide_by);
  std::vector<std::string> labels =
      profile_header(p, value->type, value->unit, total, [&](int64_t v) { return t.format_value(v); });
  for (std::string& line : labels) {
    // pprof's "Total samples = %s %s" keeps its space when there is no share of the duration;
    // text reports drop it as trailing, here it is inside the legend.
    if (starts_with(line, "Duration: ") && line.find(", Total samples = ") != std::string::npos && line.back() != ')') {
      line += ' ';
    }
  }
  for (std::string& line : active_filters(o.filters)) labels.push_back(std::move(line));
  int64_t flat_sum = 0;
  for (const fold::Node* n : shown) flat_sum += n->flat_value();
  labels.push_back(fmt::format("Showing nodes accounting for {}, {} of {} total", t.format_value(flat_sum),
                               trimmed(model::percentage(flat_sum, total)), t.format_value(total)));
  if (total != 0) {
    if (dropped_nodes > 0) {
      labels.push_back(fmt::format("Dropped {} {} (cum <= {})", dropped_nodes, dropped_nodes > 1 ? "nodes" : "node",
                                   t.format_value(abs64(static_cast<int64_t>(static_cast<double>(total) * o.node_fraction)))));
    }
    if (dropped_edges > 0) {
      labels.push_back(fmt::format("Dropped {} {} (freq <= {})", dropped_edges, dropped_edges > 1 ? "edges" : "edge",
                                   t.format_value(abs64(static_cast<int64_t>(static_cast<double>(total) * o.edge_fraction)))));
    }
    if (!shown.empty() && shown.size() < orig_count) {
      labels.push_back(fmt::format("Showing top {} nodes out of {}", shown.size(), orig_count));
    }
  }

  // ComposeDot. Values carry the profile's unit: made safe like names.
  const auto shown_value = [&](int64_t v) { return dot_safe(t.format_value(v)); };
  std::string title;
  if (!p.mappings.empty() && p.mappings[0].filename != model::kEmptyStr) {
    title = dot_safe(base_name(p.str(p.mappings[0].filename)));
  }
  std::string out = fmt::format("digraph \"{}\" {{\nnode [style=filled fillcolor=\"#f8f8f8\"]\n",
                                title.empty() ? "unnamed" : title);
  std::string legend;
  for (const std::string& l : labels) legend += escape_for_dot(l) + "\\l";
  legend += "\\lSee https://git.io/JfYMW for how to read the graph\\l";
  out += fmt::format("subgraph cluster_L {{ \"{}\" [shape=box fontsize=16 label=\"{}\"{}] }}\n",
                     escape_for_dot(labels.front()), legend,
                     title.empty() ? "" : fmt::format(" tooltip=\"{}\"", title));
  const std::vector<uint32_t>& nodes = vg.nodes();
  if (!nodes.empty()) {
    std::vector<uint32_t> id(g.nodes.size(), 0);
    double max_flat = static_cast<double>(abs64(g.nodes[nodes[0]].flat_value()));
    for (size_t i = 0; i < nodes.size(); ++i) {
      id[nodes[i]] = static_cast<uint32_t>(i + 1);
      max_flat = std::max(max_flat, static_cast<double>(abs64(g.nodes[nodes[i]].flat_value())));
    }
    const double abs_total = static_cast<double>(abs64(total));
    std::vector<uint8_t> has_nodelets(g.nodes.size(), 0);
    for (uint32_t n : nodes) {
      const fold::Node& node = g.nodes[n];
      const int64_t flat = node.flat_value(), cum = node.cum_value();
      std::string label = multiline_name(g.frames, g.frames.infos[n]);
      const std::string flat_text = shown_value(flat);
      label += flat != 0 ? fmt::format("{} ({})", flat_text, trimmed(model::percentage(flat, total))) : "0";
      std::string cum_text = flat_text;
      if (cum != flat) {
        label += flat != 0 ? "\\n" : " ";
        cum_text = shown_value(cum);
        label += fmt::format("of {} ({})", cum_text, trimmed(model::percentage(cum, total)));
      }
      int font_size = 8;
      if (max_flat != 0 && flat != 0 && static_cast<double>(abs64(flat)) <= max_flat) {
        font_size += static_cast<int>(std::ceil(16.0 * std::sqrt(static_cast<double>(abs64(flat)) / max_flat)));
      }
      out += fmt::format("N{} [label=\"{}\" id=\"node{}\" fontsize={} shape=box tooltip=\"{} ({})\" color=\"{}\" "
                         "fillcolor=\"{}\"]\n",
                         id[n], label, id[n], font_size, escape_for_dot(names[n]), cum_text,
                         dot_color(static_cast<double>(node.cum_value()) / abs_total, false),
                         dot_color(static_cast<double>(node.cum_value()) / abs_total, true));

      // Nodelets: the heaviest label tags, then `bytes` ranges under each and under the node.
      const bool flat_tags = vg.has_out(n);
      std::vector<const Tag*> ts;
      for (const auto& [name, tag] : tags[n].labels) ts.push_back(&tag);
      sort_tags(ts, flat_tags);
      if (ts.size() > static_cast<size_t>(kMaxNodelets)) ts.resize(kMaxNodelets);
      std::string nodelets;
      const auto numeric_nodelets = [&](const std::map<std::string, Tag>& numeric, const std::string& source) {
        std::vector<const Tag*> nts;
        for (const auto& [name, tag] : numeric) nts.push_back(&tag);
        const std::vector<Tag> groups = collapsed_tags(nts, flat_tags);
        for (size_t j = 0; j < groups.size(); ++j) {
          const Tag& tg = groups[j];
          int64_t w = tg.cum_value();
          std::string_view attr = " style=\"dotted\"";
          if (flat_tags || tg.flat_value() == tg.cum_value()) w = tg.flat_value(), attr = "";
          if (w == 0) continue;
          const std::string weight = shown_value(w);
          nodelets += fmt::format("N{}_{} [label = \"{}\" id=\"N{}_{}\" fontsize=8 shape=box3d tooltip=\"{}\"]\n", source,
                                  j, dot_safe(tg.name), source, j, weight);
          nodelets += fmt::format("{} -> N{}_{} [label=\" {}\" weight=100 tooltip=\"{}\" labeltooltip=\"{}\"{}]\n", source,
                                  source, j, weight, weight, weight, attr);
        }
      };
      for (size_t i = 0; i < ts.size(); ++i) {
        const int64_t w = flat_tags ? ts[i]->flat_value() : ts[i]->cum_value();
        if (w == 0) continue;
        const std::string weight = shown_value(w);
        nodelets += fmt::format("N{}_{} [label = \"{}\" id=\"N{}_{}\" fontsize=8 shape=box3d tooltip=\"{}\"]\n", id[n], i,
                                ts[i]->shown, id[n], i, weight);
        nodelets += fmt::format("N{} -> N{}_{} [label=\" {}\" weight=100 tooltip=\"{}\" labeltooltip=\"{}\"]\n", id[n],
                                id[n], i, weight, weight, weight);
        if (auto it = tags[n].numeric.find(ts[i]->name); it != tags[n].numeric.end() && !it->second.empty()) {
          numeric_nodelets(it->second, fmt::format("N{}_{}", id[n], i));
        }
      }
      if (auto it = tags[n].numeric.find(""); it != tags[n].numeric.end() && !it->second.empty()) {
        numeric_nodelets(it->second, fmt::format("N{}", id[n]));
      }
      out += nodelets;
      has_nodelets[n] = !nodelets.empty();
    }
    std::vector<uint32_t> all;
    for (uint32_t e = 0; e < vg.edges().size(); ++e) all.push_back(e);
    for (uint32_t e : vg.sorted(all)) {
      const fold::Edge& edge = vg.edges()[e].e;
      const int64_t weight_value = edge.weight_div == 0 ? edge.weight : edge.weight / edge.weight_div;
      const std::string w = shown_value(weight_value);
      std::string attr = fmt::format("label=\" {}{}\"", w, edge.inlined ? "\\n (inline)" : "");
      if (total != 0) {
        if (const int weight = 1 + static_cast<int>(std::min<int64_t>(abs64(wrapping_mul(weight_value, 100) / total), 100));
            weight > 1) {
          attr += fmt::format(" weight={}", weight);
        }
        if (const int width = 1 + static_cast<int>(std::min<int64_t>(abs64(wrapping_mul(weight_value, 5) / total), 5));
            width > 1) {
          attr += fmt::format(" penwidth={}", width);
        }
        attr += fmt::format(" color=\"{}\"", dot_color(static_cast<double>(weight_value) / abs_total, false));
      }
      const std::string tooltip = fmt::format("\"{} {} {} ({})\"", escape_for_dot(names[edge.src]),
                                              edge.residual ? "..." : "->", escape_for_dot(names[edge.dest]), w);
      attr += fmt::format(" tooltip={} labeltooltip={}", tooltip, tooltip);
      if (edge.residual) attr += " style=\"dotted\"";
      if (has_nodelets[edge.src]) attr += " minlen=2";
      out += fmt::format("N{} -> N{} [{}]\n", id[edge.src], id[edge.dest], attr);
    }
  }
  out += "}\n";
  return DotReport{.text = std::move(out), .warnings = std::move(view->warnings)};
}

}  // namespace pprofx::report
