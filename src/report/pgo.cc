// Go's PGO reading of a profile (see pgo.h) and the reduction for `pprofx pgo`.
#include "pprofx/report/pgo.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "pprofx/model/merge.h"

namespace pprofx::report::pgo {
namespace {

bool is_pgo_type(const model::Profile& p, const model::ValueType& t) {
  auto type = p.str(t.type), unit = p.str(t.unit);
  return (type == "samples" && unit == "count") || (type == "cpu" && unit == "nanoseconds");
}

bool find_value_index(const model::Profile& p, size_t* index) {
  for (size_t i = 0; i < p.sample_types.size(); ++i)
    if (is_pgo_type(p, p.sample_types[i])) return *index = i, true;
  return false;
}

constexpr std::string_view kNoType =
    "profile does not contain a sample index with value/type \"samples/count\" or \"cpu/nanoseconds\" (Go's PGO "
    "reads one of them)";

// One graph node per distinct location line, as Go's internal/profile
// NodeInfo keys them: address, function name, line, start line (no file,
// column or mapping; a line without a function is its address alone).
struct NodeKey {
  uint64_t address;
  uint32_t name;
  int64_t line, start_line;
  bool operator==(const NodeKey&) const = default;
};
struct NodeKeyHash {
  size_t operator()(const NodeKey& k) const noexcept {
    uint64_t h = k.address * 0x9E3779B97F4A7C15ull;
    for (uint64_t v : {uint64_t(k.name), uint64_t(k.line), uint64_t(k.start_line)})
      h = (h ^ v) * 0x100000001B3ull + (h >> 29);
    return h;
  }
};

// Go's graph reads the leaf location and its caller only ("count only the
// last two frames as a call edge", internal/profile NewGraph, Go 1.20-1.23).
constexpr size_t kFramesRead = 2;

// Walks the samples as Go's NewGraph does; calls f(sample, weight, pair ids)
// for each sample with a nonzero weight: its distinct (caller node, callee
// node) pairs within the last two locations.
class Walker {
 public:
  Walker(const model::Profile& p, size_t vi) : p_(p), vi_(vi) {
    std::unordered_map<NodeKey, uint32_t, NodeKeyHash> ids;
    loc_begin_.reserve(p.locations.size() + 1);
    for (const model::Location& l : p.locations) {
      loc_begin_.push_back(static_cast<uint32_t>(loc_nodes_.size()));
      auto lines = p.location_lines(l);
      auto add = [&](const NodeKey& k) {
        auto [it, fresh] = ids.emplace(k, static_cast<uint32_t>(nodes_.size()));
        if (fresh) nodes_.push_back(k);
        loc_nodes_.push_back(it->second);
      };
      if (lines.empty()) add(NodeKey{l.address, 0, 0, 0});
      for (const model::Line& ln : lines) {
        if (ln.function == model::kNone) {
          add(NodeKey{l.address, 0, 0, 0});
          continue;
        }
        const model::Function& f = p.functions[ln.function];
        add(NodeKey{l.address, f.name.value(), ln.line, f.start_line});
      }
    }
    loc_begin_.push_back(static_cast<uint32_t>(loc_nodes_.size()));
  }

  const std::vector<NodeKey>& nodes() const { return nodes_; }
  // Pair id -> caller node; pair id -> named edge id.
  const std::vector<uint32_t>& pair_from() const { return pair_from_; }
  const std::vector<uint32_t>& pair_named() const { return pair_named_; }
  // Named edge id -> (caller name, callee name, offset).
  const std::vector<std::tuple<uint32_t, uint32_t, int64_t>>& named() const { return named_; }

  // f(sample, weight, pair ids, distinct node ids, leaf node: the last walked).
  template <typename F>
  void each(F&& f) {
    std::unordered_set<uint64_t> seen;
    std::vector<uint32_t> pairs, nodes;
    for (size_t s = 0; s < p_.samples.size(); ++s) {
      int64_t w = p_.values[s * p_.num_types() + vi_];
      if (w == 0) continue;
      seen.clear();
      pairs.clear();
      nodes.clear();
      auto stack = p_.stack(p_.samples[s]);
      int64_t parent = -1;
      for (size_t i = std::min(stack.size(), kFramesRead); i-- > 0;) {
        uint32_t lb = loc_begin_[stack[i].value()], le = loc_begin_[stack[i].value() + 1];
        for (uint32_t j = le; j-- > lb;) {
          uint32_t n = loc_nodes_[j];
          if (std::find(nodes.begin(), nodes.end(), n) == nodes.end()) nodes.push_back(n);
          if (parent >= 0 && uint32_t(parent) != n) {
            uint64_t pair = (uint64_t(parent) << 32) | n;
            if (seen.insert(pair).second) pairs.push_back(pair_id(uint32_t(parent), n, pair));
          }
          parent = n;
        }
      }
      f(s, w, pairs, nodes, parent);
    }
  }

 private:
  uint32_t pair_id(uint32_t from, uint32_t to, uint64_t pair) {
    auto it = pair_ids_.find(pair);
    if (it != pair_ids_.end()) return it->second;
    const NodeKey& a = nodes_[from];
    auto key = std::make_tuple(a.name, nodes_[to].name, a.line - a.start_line);
    auto [nt, fresh] = named_ids_.emplace(key, static_cast<uint32_t>(named_.size()));
    if (fresh) named_.push_back(key);
    uint32_t id = static_cast<uint32_t>(pair_from_.size());
    pair_from_.push_back(from);
    pair_named_.push_back(nt->second);
    pair_ids_.emplace(pair, id);
    return id;
  }

  const model::Profile& p_;
  size_t vi_;
  std::vector<uint32_t> loc_begin_, loc_nodes_;
  std::vector<NodeKey> nodes_;
  std::unordered_map<uint64_t, uint32_t> pair_ids_;
  std::vector<uint32_t> pair_from_, pair_named_;
  std::map<std::tuple<uint32_t, uint32_t, int64_t>, uint32_t> named_ids_;
  std::vector<std::tuple<uint32_t, uint32_t, int64_t>> named_;
};

bool by_weight_less(const Edge& a, const Edge& b) {
  if (a.weight != b.weight) return a.weight > b.weight;
  if (a.caller != b.caller) return a.caller < b.caller;
  if (a.callee != b.callee) return a.callee < b.callee;
  return a.offset < b.offset;
}

// Named edges with their weights, sorted; order[i]: the walker's named id of
// by_weight[i]. As Go: a node whose cum and flat weights are both 0 is not in
// the graph (selectNodesForGraph), nor are its out-edges; seen_start_line looks
// at the graph's nodes only.
EdgeMap edge_map(const model::Profile& p, size_t vi, Walker& w, std::vector<uint32_t>* order) {
  std::vector<int64_t> pair_weight, node_cum, node_flat;
  EdgeMap m;
  m.value_index = vi;
  w.each([&](size_t, int64_t v, const std::vector<uint32_t>& pairs, const std::vector<uint32_t>& nodes, int64_t leaf) {
    for (uint32_t id : pairs) {
      if (id >= pair_weight.size()) pair_weight.resize(id + 1, 0);
      pair_weight[id] += v;
    }
    for (uint32_t n : nodes) {
      if (n >= node_cum.size()) node_cum.resize(n + 1, 0), node_flat.resize(n + 1, 0);
      node_cum[n] += v;
    }
    if (leaf >= 0) node_flat[leaf] += v;
  });
  auto in_graph = [&](uint32_t n) { return n < node_cum.size() && (node_cum[n] != 0 || node_flat[n] != 0); };
  for (uint32_t n = 0; n < w.nodes().size(); ++n) m.seen_start_line |= in_graph(n) && w.nodes()[n].start_line != 0;
  std::vector<int64_t> weight(w.named().size(), 0);
  pair_weight.resize(w.pair_from().size(), 0);
  for (uint32_t id = 0; id < pair_weight.size(); ++id) {
    if (!in_graph(w.pair_from()[id])) continue;
    weight[w.pair_named()[id]] += pair_weight[id];
    m.total += pair_weight[id];
  }
  std::vector<uint32_t> idx(w.named().size());
  for (uint32_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::vector<Edge> edges;
  edges.reserve(idx.size());
  for (const auto& [caller, callee, offset] : w.named())
    edges.push_back(Edge{std::string(p.str(model::StrId{caller})), std::string(p.str(model::StrId{callee})), offset,
                         weight[edges.size()]});
  std::sort(idx.begin(), idx.end(), [&](uint32_t a, uint32_t b) { return by_weight_less(edges[a], edges[b]); });
  for (uint32_t i : idx) m.by_weight.push_back(edges[i]);
  if (order) *order = std::move(idx);
  return m;
}

// The same strings under the same ids (a table holds each string once).
void copy_strings(const model::StringTable& from, model::StringTable* to) {
  for (size_t i = 1; i < from.size(); ++i) to->intern(from.str(model::StrId{static_cast<uint32_t>(i)}));
}

// Which locations keep their address: those that share a (function, line,
// start line) with the other location of a two-location stack in `cut`. Go's
// node pairs are told apart by address only within one sample (the weights
// are summed by name), so elsewhere a zero address changes nothing Go reads
// and lets equal lines merge.
std::vector<char> needed_addresses(const model::Profile& p, const model::Profile& cut) {
  std::vector<char> keep(p.locations.size(), 0);
  auto key = [&](const model::Line& l) {
    return l.function == model::kNone ? std::make_tuple(uint32_t(0), int64_t(0), int64_t(0))
                                      : std::make_tuple(p.functions[l.function].name.value(), l.line,
                                                        p.functions[l.function].start_line);
  };
  for (const model::Sample& s : cut.samples) {
    auto stack = cut.stack(s);
    if (stack.size() < 2) continue;
    auto leaf = p.location_lines(p.locations[stack[0]]), caller = p.location_lines(p.locations[stack[1]]);
    bool shared = std::any_of(leaf.begin(), leaf.end(), [&](const model::Line& a) {
      return std::any_of(caller.begin(), caller.end(), [&](const model::Line& b) { return key(a) == key(b); });
    });
    if (shared) keep[stack[0].value()] = keep[stack[1].value()] = 1;
  }
  return keep;
}

// Weights past int64 are refused by the decoder's sum rule, so sums here fit.
Result<model::Profile> compact(const model::Profile& p) {
  model::Merger m;
  if (auto st = m.add(p, "pgo"); !st) return st.error();
  return m.finish();
}

}  // namespace

Result<EdgeMap> call_edges(const model::Profile& p) {
  size_t vi = 0;
  if (!find_value_index(p, &vi)) return Error{std::string(kNoType)};
  Walker w(p, vi);
  return edge_map(p, vi, w, nullptr);
}

size_t hot_count(const EdgeMap& m, double percent) {
  int64_t cum = 0;
  for (size_t i = 0; i < m.by_weight.size(); ++i) {
    cum += m.by_weight[i].weight;
    if (double(cum) / double(m.total) * 100 > percent) return i + 1;
  }
  return m.by_weight.size();
}

Findings check(const model::Profile& p) {
  Findings out;
  size_t vi = 0;
  if (!find_value_index(p, &vi)) {
    out.problems.emplace_back(kNoType);
    return out;
  }
  size_t negative = 0;
  for (size_t s = 0; s < p.samples.size(); ++s) negative += p.values[s * p.num_types() + vi] < 0;
  if (negative)
    out.problems.push_back(fmt::format("{} samples have a negative {}/{} value (Go sums them into edge weights)",
                                       negative, p.str(p.sample_types[vi].type), p.str(p.sample_types[vi].unit)));
  auto m = call_edges(p);
  if (m->total != 0 && !m->seen_start_line)
    out.problems.emplace_back(
        "profile missing Function.start_line data (Go rejects it: no function in the call edges it reads has a "
        "start line; Go 1.20+ writes them)");
  if (m->total != 0 && m->seen_start_line) {
    size_t zero = 0;
    std::unordered_set<uint32_t> seen;
    for (const model::Function& f : p.functions)
      if (f.start_line == 0 && f.name != model::kEmptyStr && seen.insert(f.name.value()).second) ++zero;
    if (zero)
      out.warnings.push_back(fmt::format("{} function{} Function.start_line 0 (Go accepts the profile but takes "
                                         "their call-site offsets as absolute lines, which match no call site)",
                                         zero, zero == 1 ? " has" : "s have"));
  }
  if (m->total < 0) out.problems.emplace_back("the total edge weight is negative (Go's CDF is meaningless then)");
  return out;
}

Status strip_for_pgo(model::Profile& p, const std::string& name) {
  std::vector<size_t> keep;
  for (size_t i = 0; i < p.sample_types.size(); ++i)
    if (is_pgo_type(p, p.sample_types[i])) keep.push_back(i);
  if (keep.empty()) return Error{fmt::format("{}: {}", name, kNoType)};
  const size_t n = p.num_types();
  std::vector<int64_t> values;
  values.reserve(p.samples.size() * keep.size());
  for (size_t s = 0; s < p.samples.size(); ++s)
    for (size_t i : keep) values.push_back(p.values[s * n + i]);
  std::vector<model::ValueType> types;
  for (size_t i : keep) types.push_back(p.sample_types[i]);
  p.sample_types = std::move(types);
  p.values = std::move(values);
  for (model::Sample& s : p.samples) s.labels_begin = s.labels_count = 0;
  p.labels.clear();
  p.comments.clear();
  p.drop_frames = p.keep_frames = p.default_sample_type = p.doc_url = model::kEmptyStr;
  for (model::Function& f : p.functions) f.system_name = model::kEmptyStr;
  for (model::Mapping& m : p.mappings) m.build_id = model::kEmptyStr;
  return Ok{};
}

Status scale_values(model::Profile& p, double weight, const std::string& name) {
  if (weight == 1) return Ok{};
  for (int64_t& v : p.values) {
    long double x = std::round(static_cast<long double>(v) * weight);
    if (!(x > -9.2233720368547758e18L && x < 9.2233720368547758e18L))
      return Error{fmt::format("{}: a value times the weight {} leaves the int64 range", name, weight)};
    v = static_cast<int64_t>(x);
  }
  if (auto err = model::value_sums_error(p); !err.empty()) return Error{fmt::format("{}: {}", name, err)};
  return Ok{};
}

Result<model::Profile> reduce(const model::Profile& p, double keep_percent, ReduceInfo* info) {
  size_t vi = 0;
  if (!find_value_index(p, &vi)) return Error{std::string(kNoType)};
  Walker walker(p, vi);
  std::vector<uint32_t> order;
  EdgeMap before = edge_map(p, vi, walker, &order);
  const size_t hot = before.total > 0 ? hot_count(before, 99) : 0;
  info->edges = before.by_weight.size();
  info->total = before.total;
  info->samples_in = p.samples.size();

  size_t n = 0;  // the smallest prefix reaching keep_percent
  for (int64_t cum = 0; n < before.by_weight.size();) {
    if (before.total > 0 && static_cast<long double>(cum) * 100 >= keep_percent * static_cast<long double>(before.total))
      break;
    cum += before.by_weight[n++].weight;
  }
  // The candidate holds what Go reads: locations without mapping or column,
  // stacks cut to the frames Go reads; the rest of the header as it was.
  auto candidate = [&] {
    model::Profile c;
    copy_strings(p.strings, &c.strings);
    c.sample_types = {p.sample_types[vi]};
    c.locations = p.locations;
    for (model::Location& l : c.locations) l.mapping = model::kNone;
    c.lines = p.lines;
    for (model::Line& l : c.lines) l.column = 0;
    c.functions = p.functions;
    for (model::Function& f : c.functions) f.filename = f.system_name = model::kEmptyStr;
    c.period_type = p.period_type;
    c.period = p.period;
    c.time_nanos = p.time_nanos;
    c.duration_nanos = p.duration_nanos;
    return c;
  };
  // Go's kept edges and hot set, read back from a candidate.
  auto same = [&](const model::Profile& out, size_t kept) {
    auto after = call_edges(out);
    if (!after) return false;
    std::map<std::tuple<std::string_view, std::string_view, int64_t>, int64_t> w;
    for (const Edge& e : after->by_weight) w[{e.caller, e.callee, e.offset}] = e.weight;
    for (size_t i = 0; i < kept; ++i) {
      const Edge& e = before.by_weight[i];
      auto it = w.find({e.caller, e.callee, e.offset});
      if (it == w.end() || it->second != e.weight) return false;
    }
    size_t h = after->total > 0 ? hot_count(*after, 99) : 0;
    return h == hot && std::equal(after->by_weight.begin(), after->by_weight.begin() + h, before.by_weight.begin());
  };
  for (;;) {
    n = std::max(n, hot);
    std::vector<char> kept_named(before.by_weight.size(), 0);
    for (size_t i = 0; i < n; ++i) kept_named[order[i]] = 1;
    model::Profile cut = candidate();
    walker.each([&](size_t s, int64_t, const std::vector<uint32_t>& pairs, const std::vector<uint32_t>&, int64_t) {
      if (std::none_of(pairs.begin(), pairs.end(), [&](uint32_t id) { return kept_named[walker.pair_named()[id]]; }))
        return;
      model::Sample sm = p.samples[s];
      auto stack = p.stack(sm).first(std::min<size_t>(sm.locations_count, kFramesRead));
      sm.locations_begin = static_cast<uint32_t>(cut.sample_locations.size());
      sm.locations_count = static_cast<uint32_t>(stack.size());
      sm.labels_begin = sm.labels_count = 0;
      cut.sample_locations.insert(cut.sample_locations.end(), stack.begin(), stack.end());
      cut.values.push_back(p.sample_values(s)[vi]);
      cut.samples.push_back(sm);
    });
    std::vector<char> keep_address = needed_addresses(p, cut);
    info->addresses_kept = 0;
    for (size_t i = 0; i < cut.locations.size(); ++i) {
      if (!keep_address[i]) cut.locations[i].address = 0;
      info->addresses_kept += keep_address[i] && cut.locations[i].address != 0;
    }
    auto a = compact(cut);
    if (!a) return a.error();
    if (!same(*a, n)) {  // not expected (needed_addresses); all kept, as read, then
      info->addresses_kept = cut.locations.size();
      for (size_t i = 0; i < cut.locations.size(); ++i) cut.locations[i].address = p.locations[i].address;
      a = compact(cut);
      if (!a) return a.error();
      if (!same(*a, n) && n < before.by_weight.size()) {
        n = std::min(before.by_weight.size(), n * 2 + 1);
        continue;
      }
    }
    info->kept_edges = n;
    info->kept_weight = 0;
    for (size_t i = 0; i < n; ++i) info->kept_weight += before.by_weight[i].weight;
    info->samples_out = a->samples.size();
    return std::move(*a);
  }
}

}  // namespace pprofx::report::pgo
