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

// One graph node per distinct location line, as Go's profile.NewGraph keys them.
struct NodeKey {
  uint64_t address;
  uint32_t name, file, objfile;
  int64_t line, column, start_line;
  bool operator==(const NodeKey&) const = default;
};
struct NodeKeyHash {
  size_t operator()(const NodeKey& k) const noexcept {
    uint64_t h = k.address * 0x9E3779B97F4A7C15ull;
    for (uint64_t v : {uint64_t(k.name), uint64_t(k.file), uint64_t(k.objfile), uint64_t(k.line),
                       uint64_t(k.column), uint64_t(k.start_line)})
      h = (h ^ v) * 0x100000001B3ull + (h >> 29);
    return h;
  }
};

// Walks the samples as Go's newGraph does; calls f(sample, weight, named edge
// ids of its distinct node pairs) for each sample with a nonzero weight.
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
      uint32_t objfile = l.mapping == model::kNone ? 0 : p.mappings[l.mapping].filename.value();
      if (lines.empty()) add(NodeKey{l.address, 0, 0, objfile, 0, 0, 0});
      for (const model::Line& ln : lines) {
        if (ln.function == model::kNone) {
          add(NodeKey{l.address, 0, 0, objfile, 0, 0, 0});
          continue;
        }
        const model::Function& f = p.functions[ln.function];
        add(NodeKey{l.address, f.name.value(), f.filename.value(), f.name == model::kEmptyStr ? objfile : 0,
                    ln.line, ln.column, f.start_line});
      }
    }
    loc_begin_.push_back(static_cast<uint32_t>(loc_nodes_.size()));
  }

  const std::vector<NodeKey>& nodes() const { return nodes_; }
  // Named edge id -> (caller name, callee name, offset).
  const std::vector<std::tuple<uint32_t, uint32_t, int64_t>>& named() const { return named_; }

  template <typename F>
  void each(F&& f) {
    std::unordered_set<uint64_t> seen;
    std::vector<uint32_t> ids;
    for (size_t s = 0; s < p_.samples.size(); ++s) {
      int64_t w = p_.values[s * p_.num_types() + vi_];
      if (w == 0) continue;
      seen.clear();
      ids.clear();
      auto stack = p_.stack(p_.samples[s]);
      int64_t parent = -1;
      for (size_t i = stack.size(); i-- > 0;) {
        uint32_t lb = loc_begin_[stack[i].value()], le = loc_begin_[stack[i].value() + 1];
        for (uint32_t j = le; j-- > lb;) {
          uint32_t n = loc_nodes_[j];
          if (parent >= 0 && uint32_t(parent) != n) {
            uint64_t pair = (uint64_t(parent) << 32) | n;
            if (seen.insert(pair).second) ids.push_back(named_id(uint32_t(parent), n, pair));
          }
          parent = n;
        }
      }
      f(s, w, ids);
    }
  }

 private:
  uint32_t named_id(uint32_t from, uint32_t to, uint64_t pair) {
    auto it = pair_named_.find(pair);
    if (it != pair_named_.end()) return it->second;
    const NodeKey& a = nodes_[from];
    auto key = std::make_tuple(a.name, nodes_[to].name, a.line - a.start_line);
    auto [nt, fresh] = named_ids_.emplace(key, static_cast<uint32_t>(named_.size()));
    if (fresh) named_.push_back(key);
    pair_named_.emplace(pair, nt->second);
    return nt->second;
  }

  const model::Profile& p_;
  size_t vi_;
  std::vector<uint32_t> loc_begin_, loc_nodes_;
  std::vector<NodeKey> nodes_;
  std::unordered_map<uint64_t, uint32_t> pair_named_;
  std::map<std::tuple<uint32_t, uint32_t, int64_t>, uint32_t> named_ids_;
  std::vector<std::tuple<uint32_t, uint32_t, int64_t>> named_;
};

bool by_weight_less(const Edge& a, const Edge& b) {
  if (a.weight != b.weight) return a.weight > b.weight;
  if (a.caller != b.caller) return a.caller < b.caller;
  if (a.callee != b.callee) return a.callee < b.callee;
  return a.offset < b.offset;
}

// Named edges with their weights, sorted; ids[i]: the walker's id of by_weight[i].
EdgeMap edge_map(const model::Profile& p, size_t vi, Walker& w, std::vector<uint32_t>* order) {
  std::vector<int64_t> weight;
  EdgeMap m;
  m.value_index = vi;
  w.each([&](size_t, int64_t v, const std::vector<uint32_t>& ids) {
    for (uint32_t id : ids) {
      if (id >= weight.size()) weight.resize(id + 1, 0);
      weight[id] += v;
      m.total += v;
    }
  });
  for (const NodeKey& n : w.nodes()) m.seen_start_line |= n.start_line != 0;
  std::vector<uint32_t> idx(w.named().size());
  for (uint32_t i = 0; i < idx.size(); ++i) idx[i] = i;
  weight.resize(idx.size(), 0);
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

std::vector<std::string> check_problems(const model::Profile& p) {
  std::vector<std::string> out;
  size_t vi = 0;
  if (!find_value_index(p, &vi)) {
    out.emplace_back(kNoType);
    return out;
  }
  size_t negative = 0;
  for (size_t s = 0; s < p.samples.size(); ++s) negative += p.values[s * p.num_types() + vi] < 0;
  if (negative)
    out.push_back(fmt::format("{} samples have a negative {}/{} value (Go sums them into edge weights)", negative,
                              p.str(p.sample_types[vi].type), p.str(p.sample_types[vi].unit)));
  auto m = call_edges(p);
  if (m->total != 0 && !m->seen_start_line)
    out.emplace_back(
        "profile missing Function.start_line data (Go rejects it: call-site offsets need every function's start "
        "line; Go 1.20+ writes it)");
  if (m->total != 0 && m->seen_start_line) {
    size_t zero = 0;
    std::unordered_set<uint32_t> seen;
    for (const model::Function& f : p.functions)
      if (f.start_line == 0 && f.name != model::kEmptyStr && seen.insert(f.name.value()).second) ++zero;
    if (zero)
      out.push_back(fmt::format("{} functions have Function.start_line 0 (Go takes their call-site offsets as "
                                "absolute lines, which do not match the source)",
                                zero));
  }
  if (m->total < 0) out.emplace_back("the total edge weight is negative (Go's CDF is meaningless then)");
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
  const size_t hot = hot_count(before, 99);
  info->edges = before.by_weight.size();
  info->total = before.total;
  info->samples_in = p.samples.size();

  size_t n = 0;  // the smallest prefix reaching keep_percent
  for (int64_t cum = 0; n < before.by_weight.size();) {
    if (before.total > 0 && static_cast<long double>(cum) * 100 >= keep_percent * static_cast<long double>(before.total))
      break;
    cum += before.by_weight[n++].weight;
  }
  for (;;) {
    n = std::max(n, hot);
    std::vector<char> kept_id(order.size(), 0);
    for (size_t i = 0; i < n; ++i) kept_id[order[i]] = 1;
    std::vector<char> keep_sample(p.samples.size(), 0);
    walker.each([&](size_t s, int64_t, const std::vector<uint32_t>& ids) {
      for (uint32_t id : ids)
        if (kept_id[id]) return void(keep_sample[s] = 1);
    });
    model::Profile cut;
    copy_strings(p.strings, &cut.strings);
    cut.sample_types = p.sample_types;
    cut.mappings = p.mappings;
    cut.locations = p.locations;
    cut.lines = p.lines;
    cut.functions = p.functions;
    cut.period_type = p.period_type;
    cut.period = p.period;
    cut.time_nanos = p.time_nanos;
    cut.duration_nanos = p.duration_nanos;
    for (size_t s = 0; s < p.samples.size(); ++s) {
      if (!keep_sample[s]) continue;
      model::Sample sm = p.samples[s];
      auto stack = p.stack(sm);
      sm.locations_begin = static_cast<uint32_t>(cut.sample_locations.size());
      sm.labels_begin = sm.labels_count = 0;
      cut.sample_locations.insert(cut.sample_locations.end(), stack.begin(), stack.end());
      auto v = p.sample_values(s);
      cut.values.insert(cut.values.end(), v.begin(), v.end());
      cut.samples.push_back(sm);
    }
    // Go's kept edges and hot set, read back from the candidate.
    auto same = [&](const model::Profile& out) {
      auto after = call_edges(out);
      if (!after) return false;
      std::map<std::tuple<std::string_view, std::string_view, int64_t>, int64_t> w;
      for (const Edge& e : after->by_weight) w[{e.caller, e.callee, e.offset}] = e.weight;
      for (size_t i = 0; i < n; ++i) {
        const Edge& e = before.by_weight[i];
        auto it = w.find({e.caller, e.callee, e.offset});
        if (it == w.end() || it->second != e.weight) return false;
      }
      size_t h = hot_count(*after, 99);
      return h == hot && std::equal(after->by_weight.begin(), after->by_weight.begin() + h, before.by_weight.begin());
    };
    for (model::Location& l : cut.locations) l.address = 0;
    auto a = compact(cut);
    if (!a) return a.error();
    cut.locations = p.locations;
    if (same(*a)) {
      info->addresses_dropped = true;
    } else {
      a = compact(cut);
      if (!a) return a.error();
      info->addresses_dropped = false;
      if (!same(*a) && n < before.by_weight.size()) {
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
