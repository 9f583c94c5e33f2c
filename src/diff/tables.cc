#include "pprofx/diff/tables.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "pprofx/base/strings.h"
#include "pprofx/base/checked.h"
#include "pprofx/base/regex.h"
#include "pprofx/diff/own_code.h"
#include "pprofx/fold/graph.h"
#include "pprofx/fold/view.h"
#include "pprofx/diff/noise.h"
#include "pprofx/model/units.h"

namespace pprofx::diff {

// The comparison is made of fold's parts.
using fold::build_view;
using fold::choose_value;
using fold::FrameId;
using fold::FrameInfo;
using fold::Graph;
using fold::kNoNode;
using fold::kRootFrame;
using fold::kRootNode;
using fold::Node;
using fold::NodeId;
using fold::StackTrie;
using fold::ValueChoice;

Result<size_t> sample_index_for(const model::Profile& p, std::string_view type) {
  auto c = choose_value(p, type, false);
  if (!c) return c.error();
  return c->index;
}

int64_t estimated_count(const model::Profile& p, size_t value_index) {
  const std::string_view unit = p.str(p.sample_types[value_index].unit);
  auto abs_sum = [&](size_t index) {
    int64_t sum = 0;
    for (size_t s = 0; s < p.samples.size(); ++s) sum += std::abs(p.sample_values(s)[index]);
    return sum;
  };
  if (unit == "count") return abs_sum(value_index);
  // Sampled every `period` units of the value (CPU: ns per sample; heap:
  // bytes per sampled allocation): the number of samples is total / period.
  if (p.period > 0 && model::same_unit_kind(p.str(p.period_type.unit), unit)) return abs_sum(value_index) / p.period;
  // Else a count type of the same family (alloc_space -> alloc_objects), or the first count type.
  const std::string_view type = p.str(p.sample_types[value_index].type);
  const std::string_view family = type.substr(0, type.find('_'));
  size_t first_count = p.num_types();
  for (size_t i = 0; i < p.num_types(); ++i) {
    if (p.str(p.sample_types[i].unit) != "count") continue;
    if (first_count == p.num_types()) first_count = i;
    const std::string_view t = p.str(p.sample_types[i].type);
    if (t.substr(0, t.find('_')) == family) return abs_sum(i);
  }
  if (first_count < p.num_types()) return abs_sum(first_count);
  return static_cast<int64_t>(p.samples.size());
}

bool by_stack_by_default(std::string_view type) { return exact_counts(type); }

namespace {

// The rows of one side by groups of stacks, added into t (see TableOptions).
Status add_stack_groups(const fold::View& view, const fold::Selection& o, const ValueChoice& value, const RE2* own,
                        bool is_base, DiffTable& t, std::unordered_map<std::string, size_t>& row_of) {
  const fold::FrameIndex frames = fold::FrameIndex::build(view, fold::Granularity::kFunctions, o.noinlines);
  std::vector<uint8_t> own_frame(frames.size());
  std::vector<std::string> names(frames.size());
  for (size_t n = 0; n < frames.size(); ++n) {
    names[n] = frames.printable_name(frames.infos[n]);
    own_frame[n] = is_own_code(names[n], frames.names.str(frames.function_file[n]), own);
  }
  const model::Profile& p = *view.profile;
  std::vector<uint32_t> stack;  // leaf first
  for (const fold::ViewSample& s : view.samples) {
    const int64_t v = p.sample_values(s.sample)[value.index];
    if (v == 0) continue;
    stack.clear();
    for (size_t i = 0; i < s.count; ++i) {
      for (uint32_t n : frames.frames_of(s.stack[i])) stack.push_back(n);
    }
    if (stack.empty()) continue;
    size_t lead = stack.size(), entry = stack.size();
    for (size_t i = 0; i < stack.size(); ++i) {
      if (!own_frame[stack[i]]) continue;
      if (lead == stack.size()) lead = i;  // the deepest
      entry = i;                           // the outermost
    }
    std::string name;
    if (lead == stack.size()) {
      name = names[stack.front()];  // none of the project's: the leaf
    } else {
      name = names[stack[lead]];
      // A goroutine dump's root frame says it already: "main.f (created by main.g)".
      if (entry != lead) {
        const std::string& e = names[stack[entry]];
        name += starts_with(e, "created by ") ? " (" + e + ")" : " (from " + e + ")";
      }
    }
    auto [it, inserted] = row_of.try_emplace(name, t.rows.size());
    if (inserted) t.rows.push_back({.name = it->first});
    DiffRow& r = t.rows[it->second];
    int64_t& flat = is_base ? r.base_flat : r.new_flat;
    const std::optional<int64_t> sum = checked_add(flat, v);
    if (!sum) return Error{fmt::format("the values of the stacks named {} add up past the int64 range", name)};
    flat = *sum;
    (is_base ? r.base_cum : r.new_cum) = flat;
  }
  return Ok{};
}

}  // namespace

namespace {

// A profile's sample types as (type, unit).
SampleTypes sample_types_of(const model::Profile& p) {
  SampleTypes out;
  for (const model::ValueType& t : p.sample_types) out.emplace_back(p.str(t.type), p.str(t.unit));
  return out;
}

// BASE's value for NEW's (o.sample_index, else NEW's type), or an error
// saying why the two cannot be compared (new_types: NEW's sample types).
Result<ValueChoice> base_value(const model::Profile& base, const SampleTypes& new_types, const ValueChoice& nv,
                               const fold::Selection& o) {
  auto bv = choose_value(base, o.sample_index.empty() ? nv.type : o.sample_index, false);
  if (!bv && o.sample_index.empty()) {
    // Different kinds of profile (a heap profile against CPU baselines): say which, and what both have.
    const auto joined = [](const SampleTypes& types) {
      std::vector<std::string> out;
      for (const auto& [type, unit] : types) out.push_back(fmt::format("{}/{}", type, unit));
      return out;
    };
    const SampleTypes base_types = sample_types_of(base);
    const std::vector<std::string> b = joined(base_types), n = joined(new_types);
    std::string common;
    for (const auto& [type, unit] : new_types) {
      if (std::find(b.begin(), b.end(), fmt::format("{}/{}", type, unit)) != b.end()) {
        common = type;
        break;
      }
    }
    return Error{fmt::format("BASE and NEW are different kinds of profile: NEW's {} ({}) is not among BASE's sample types "
                             "({}); {}",
                             nv.type, fmt::join(n, ", "), fmt::join(b, ", "),
                             common.empty() ? "compare profiles of one kind"
                                            : fmt::format("choose a type both have with --sample-index {}", common))};
  }
  if (!bv) return Error{fmt::format("BASE has no sample type \"{}\": {}", o.sample_index, bv.error().message)};
  if (bv->unit != nv.unit) {
    return Error{fmt::format("the sample type \"{}\" is in {} in BASE but in {} in NEW", nv.type, bv->unit, nv.unit)};
  }
  return *bv;
}

// A table being joined: its rows by name, its calls by row pair.
struct Joined {
  DiffTable t;
  std::unordered_map<std::string, size_t> row_of;
  std::map<std::pair<uint32_t, uint32_t>, DiffEdge> edges;
};

// One side's rows (and calls) added into j.
Status add_side(Joined& j, const model::Profile& p, const ValueChoice& value, bool is_base, const fold::Selection& o,
                const TableOptions& options, const RE2* own) {
  DiffTable& t = j.t;
  auto view = build_view(p, o.filters);
  if (!view) return view.error();
  (is_base ? t.base_total : t.new_total) = report_total(p, value, o.filters.relative_percentages ? &*view : nullptr);
  if (options.totals_only) return Ok{};
  if (options.by_stack) return add_stack_groups(*view, o, value, own, is_base, t, j.row_of);
  const Graph g = Graph::build(*view, {.granularity = o.granularity, .noinlines = o.noinlines, .value = value,
                                       .threads = options.threads});
  std::vector<uint32_t> row_for(g.nodes.size(), UINT32_MAX);
  for (size_t n = 0; n < g.nodes.size(); ++n) {
    const Node& node = g.nodes[n];
    if (node.flat == 0 && node.cum == 0) continue;
    auto [it, inserted] = j.row_of.try_emplace(g.frames.printable_name(g.frames.infos[n]), t.rows.size());
    if (inserted) t.rows.push_back({.name = it->first});
    row_for[n] = static_cast<uint32_t>(it->second);
    DiffRow& r = t.rows[it->second];
    if (r.file.empty() && n < g.frames.function_file.size()) r.file = g.frames.names.str(g.frames.function_file[n]);
    // Several nodes can print alike (one name, two files): their cum values can exceed int64 together.
    int64_t& flat = is_base ? r.base_flat : r.new_flat;
    int64_t& cum = is_base ? r.base_cum : r.new_cum;
    const std::optional<int64_t> f = checked_add(flat, node.flat), c = checked_add(cum, node.cum);
    if (!f || !c) {
      return Error{fmt::format("the {} values of the frames named {} add up past the int64 range", f ? "cum" : "flat",
                               r.name)};
    }
    flat = *f;
    cum = *c;
  }
  if (options.with_edges) {
    for (const fold::Edge& e : g.edges(std::vector<uint8_t>(g.nodes.size(), 1))) {
      const uint32_t from = row_for[e.src], to = row_for[e.dest];
      if (from == UINT32_MAX || to == UINT32_MAX || from == to) continue;
      DiffEdge& d = j.edges[{from, to}];
      d.caller = from;
      d.callee = to;
      // Edges between rows of frames that print alike add up; a sum past int64 (values of
      // mixed signs) stays at the range's edge: edges only guide check's grouping.
      int64_t& w = is_base ? d.base : d.next;
      w = checked_add(w, e.weight).value_or(e.weight < 0 ? INT64_MIN : INT64_MAX);
    }
  }
  return Ok{};
}

}  // namespace

namespace {

// NEW's side of a table: its value, its sample types (for BASE's errors) and its rows or totals.
struct NewSide {
  Joined j;
  ValueChoice value;
  SampleTypes types;
};
Result<NewSide> new_side(const model::Profile& next, const fold::Selection& o, const TableOptions& options,
                         const RE2* own) {
  auto nv = choose_value(next, o.sample_index, false);
  if (!nv) return Error{fmt::format("NEW: {}", nv.error().message)};
  NewSide n{.value = *nv, .types = sample_types_of(next)};
  n.j.t.type = nv->type;
  n.j.t.unit = nv->unit;
  if (Status s = add_side(n.j, next, *nv, false, o, options, own); !s) {
    return Error{fmt::format("NEW: {}", s.error().message)};
  }
  n.j.t.new_count = estimated_count(next, nv->index);
  n.j.t.new_duration = next.duration_nanos;
  return n;
}

// BASE's side joined to (a copy of) NEW's; errors start with `which`.
Result<Joined> join_base(Joined j, const model::Profile& base, const ValueChoice& nv, const SampleTypes& new_types,
                         const fold::Selection& o, const TableOptions& options, const RE2* own,
                         const std::string& which) {
  auto bv = base_value(base, new_types, nv, o);
  if (!bv) return Error{which + bv.error().message};
  if (Status s = add_side(j, base, *bv, true, o, options, own); !s) {
    return Error{fmt::format("{}BASE: {}", which, s.error().message)};
  }
  j.t.base_count = estimated_count(base, bv->index);
  j.t.base_duration = base.duration_nanos;
  return j;
}

TableOptions totals_options() {
  TableOptions t;
  t.totals_only = true;
  return t;
}

}  // namespace

Result<std::vector<DiffTable>> diff_tables(const std::vector<const model::Profile*>& bases, const model::Profile& next,
                                           const fold::Selection& o, const TableOptions& options) {
  std::shared_ptr<const RE2> own;
  if (!options.own_code.empty()) {
    auto re = compile_regex(options.own_code);
    if (!re) return Error{fmt::format("parsing own-code regexp: {}", re.error().message)};
    own = std::move(*re);
  }
  TableOptions side_options = options;
  side_options.with_edges = options.with_edges && !options.by_stack;
  // NEW's side once; each baseline's joined to a copy of it.
  auto with_new = new_side(next, o, side_options, own.get());
  if (!with_new) return with_new.error();
  std::vector<DiffTable> out;
  for (size_t b = 0; b < bases.size(); ++b) {
    // With several baselines, an error says which.
    const std::string which = b < options.base_names.size() ? options.base_names[b] + ": "
                              : bases.size() > 1           ? fmt::format("baseline {}: ", b + 1)
                                                           : "";
    auto j = join_base(with_new->j, *bases[b], with_new->value, with_new->types, o, side_options, own.get(), which);
    if (!j) return j.error();
    DiffTable& t = j->t;
    for (const DiffRow& r : t.rows) {
      const bool flat_fits = checked_sub(r.new_flat, r.base_flat).has_value();
      if (!flat_fits || !checked_sub(r.new_cum, r.base_cum)) {
        return Error{fmt::format("{}BASE and NEW: the change in {}'s {} value ({} -> {}) overflows int64", which, r.name,
                                 flat_fits ? "cum" : "flat", flat_fits ? r.base_cum : r.base_flat,
                                 flat_fits ? r.new_cum : r.new_flat)};
      }
    }
    for (auto& [key, e] : j->edges) t.edges.push_back(e);
    out.push_back(std::move(t));
  }
  return out;
}

Result<DiffTable> diff_tables(const model::Profile& base, const model::Profile& next, const fold::Selection& o,
                              const TableOptions& options) {
  auto tables = diff_tables(std::vector<const model::Profile*>{&base}, next, o, options);
  if (!tables) return tables.error();
  return std::move(tables->front());
}

Result<NewTotals> new_totals(const model::Profile& next, const fold::Selection& o) {
  auto n = new_side(next, o, totals_options(), nullptr);
  if (!n) return n.error();
  return NewTotals{.table = std::move(n->j.t), .value = n->value, .types = std::move(n->types)};
}

Result<DiffTable> totals_table(const NewTotals& n, const model::Profile& base, const fold::Selection& o) {
  auto j = join_base(Joined{.t = n.table}, base, n.value, n.types, o, totals_options(), nullptr, "");
  if (!j) return j.error();
  return std::move(j->t);
}

namespace {

constexpr std::string_view kWidthsOverflow = "BASE and NEW: the differential flame graph's widths add up past the int64 range";

// One node's (or path's) width from its selfs; nullopt past int64.
std::optional<int64_t> width_of(int64_t base_self, int64_t new_self, DiffWidth width, double base_scale) {
  if (width == DiffWidth::kNew) return new_self;
  const std::optional<int64_t> scaled = checked_from_double(std::round(static_cast<double>(base_self) * base_scale));
  if (!scaled) return std::nullopt;
  return width == DiffWidth::kBase ? scaled : checked_add(new_self, *scaled);
}

}  // namespace

Status set_diff_widths(MergedTrie& m, DiffWidth width, double base_scale) {
  uint64_t sum = 0;  // of |width|, at most INT64_MAX
  for (size_t i = 0; i < m.trie.nodes.size(); ++i) {
    const std::optional<int64_t> w = width_of(m.base_self[i], m.new_self[i], width, base_scale);
    if (!w || (sum += magnitude(*w)) > static_cast<uint64_t>(INT64_MAX)) return Error{std::string(kWidthsOverflow)};
    m.trie.nodes[i].self = *w;
  }
  return Ok{};
}

Result<std::vector<int64_t>> path_widths(const fold::MergedPaths& paths, DiffWidth width, double base_scale) {
  std::vector<int64_t> out(paths.paths.size());
  uint64_t sum = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    const std::optional<int64_t> w = width_of(paths.paths[i].base, paths.paths[i].next, width, base_scale);
    if (!w || (sum += magnitude(*w)) > static_cast<uint64_t>(INT64_MAX)) return Error{std::string(kWidthsOverflow)};
    out[i] = *w;
  }
  return out;
}

namespace {

// The frame of a node of one trie in another, matched by name (one frame per
// name), copied there the first time.
class FrameCopier {
 public:
  explicit FrameCopier(StackTrie& into) : into_(into) {}
  FrameId operator()(const StackTrie& src, NodeId node) {
    const FrameInfo& f = src.frames[src.nodes[node].frame];
    auto [it, inserted] = ids_.try_emplace(std::string(src.names.str(f.name)), kRootFrame);
    if (inserted) {
      FrameInfo copy;
      copy.name = into_.names.intern(src.names.str(f.name));
      copy.file = f.file == model::kEmptyStr ? model::kEmptyStr : into_.names.intern(src.names.str(f.file));
      copy.line = f.line;
      it->second = into_.add_frame(copy);
    }
    return it->second;
  }

 private:
  StackTrie& into_;
  std::unordered_map<std::string, FrameId> ids_;
};

}  // namespace

MergedTrie merge_tries(const StackTrie& base, const StackTrie& next) {
  MergedTrie m;
  FrameCopier frame_for(m.trie);
  constexpr NodeId kAbsent{0xffffffffu};
  auto record = [&](NodeId merged, NodeId b, NodeId n) {
    const size_t need = m.trie.nodes.size();
    m.base_self.resize(need);
    m.base_total.resize(need);
    m.new_self.resize(need);
    m.new_total.resize(need);
    if (b != kAbsent) {
      m.base_self[merged] = base.nodes[b].self;
      m.base_total[merged] = base.nodes[b].total;
    }
    if (n != kAbsent) {
      m.new_self[merged] = next.nodes[n].self;
      m.new_total[merged] = next.nodes[n].total;
      m.trie.nodes[merged].inline_flags = next.nodes[n].inline_flags;
    } else if (b != kAbsent) {
      m.trie.nodes[merged].inline_flags = base.nodes[b].inline_flags;
    }
  };
  struct Item {
    NodeId merged, base, next;
  };
  std::vector<Item> todo{{kRootNode, kRootNode, kRootNode}};
  record(kRootNode, kRootNode, kRootNode);
  std::vector<std::pair<NodeId, NodeId>> pairs;  // (base child, new child) by frame
  std::unordered_map<FrameId, size_t> by_frame;
  while (!todo.empty()) {
    const Item it = todo.back();
    todo.pop_back();
    pairs.clear();
    by_frame.clear();
    if (it.base != kAbsent) {
      for (NodeId c = base.nodes[it.base].first_child; c != kNoNode; c = base.nodes[c].next_sibling) {
        by_frame.emplace(frame_for(base, c), pairs.size());
        pairs.emplace_back(c, kAbsent);
      }
    }
    if (it.next != kAbsent) {
      for (NodeId c = next.nodes[it.next].first_child; c != kNoNode; c = next.nodes[c].next_sibling) {
        auto [pos, inserted] = by_frame.emplace(frame_for(next, c), pairs.size());
        if (inserted) {
          pairs.emplace_back(kAbsent, c);
        } else {
          pairs[pos->second].second = c;
        }
      }
    }
    for (auto [b, n] : pairs) {
      const FrameId frame = b != kAbsent ? frame_for(base, b) : frame_for(next, n);
      const NodeId child = m.trie.add_child(it.merged, frame);
      record(child, b, n);
      todo.push_back({child, b, n});
    }
  }
  return m;
}

Result<StackTrie> median_trie(const std::vector<const StackTrie*>& tries) {
  StackTrie out;
  const size_t k = tries.size();
  std::vector<double> totals;
  for (const StackTrie* t : tries) totals.push_back(static_cast<double>(t->total()));
  const double scale = median_of(totals);
  FrameCopier frame_for(out);
  constexpr NodeId kAbsent{0xffffffffu};
  struct Item {
    NodeId merged;
    std::vector<NodeId> at;  // per tree: its node on this path, or kAbsent
  };
  std::vector<Item> todo{{kRootNode, std::vector<NodeId>(k, kRootNode)}};
  std::vector<Item> children;
  std::unordered_map<FrameId, size_t> by_frame;
  std::vector<double> shares(k);
  uint64_t sum = 0;  // of the selfs: finish() adds them up
  while (!todo.empty()) {
    const Item it = std::move(todo.back());
    todo.pop_back();
    children.clear();
    by_frame.clear();
    for (size_t b = 0; b < k; ++b) {
      if (it.at[b] == kAbsent) continue;
      const StackTrie& t = *tries[b];
      for (NodeId c = t.nodes[it.at[b]].first_child; c != kNoNode; c = t.nodes[c].next_sibling) {
        auto [pos, inserted] = by_frame.emplace(frame_for(t, c), children.size());
        if (inserted) children.push_back({kRootNode, std::vector<NodeId>(k, kAbsent)});
        children[pos->second].at[b] = c;
      }
    }
    for (Item& child : children) {
      size_t first = 0;
      while (child.at[first] == kAbsent) ++first;
      const NodeId node = out.add_child(it.merged, frame_for(*tries[first], child.at[first]));
      for (size_t b = 0; b < k; ++b) {
        const int64_t self = child.at[b] == kAbsent ? 0 : tries[b]->nodes[child.at[b]].self;
        shares[b] = totals[b] != 0 ? static_cast<double>(self) / totals[b] : 0;
      }
      const std::optional<int64_t> self = checked_from_double(std::round(median_of(shares) * scale));
      if (!self || (sum += magnitude(*self)) > static_cast<uint64_t>(INT64_MAX)) {
        return Error{"the baselines' median call tree has values past the int64 range"};
      }
      out.nodes[node].self = *self;
      out.nodes[node].inline_flags = tries[first]->nodes[child.at[first]].inline_flags;
      child.merged = node;
      todo.push_back(std::move(child));
    }
  }
  out.finish();
  return out;
}

}  // namespace pprofx::diff
