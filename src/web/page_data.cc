// The page's data: the profile's stacks after drop_frames, aggregated per
// distinct (stack, labels), in flat integer arrays over one string table
// (docs/web.md has the schema). The page applies the filters itself; what it
// needs to reproduce pprofx's numbers exactly is exported here: the lines of
// each location, each line's function (what regexes match) and its frame at
// function granularity (what top counts), the frames' sort ranks (pprof's
// byte-order tie-breaks) and each sample type's report total.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <future>
#include <numeric>
#include <span>
#include <type_traits>
#include <unordered_map>

#include "pprofx/base/checked.h"
#include "pprofx/base/strings.h"
#include "pprofx/fold/frames.h"
#include "pprofx/fold/tag_filter.h"
#include "pprofx/fold/view.h"
#include "pprofx/report/header.h"
#include "pprofx/web/page.h"
#include "page_sources.h"
#include "script_json.h"

namespace pprofx::web {
namespace {

using model::LocationId;

// What the page's data shares across sides: its strings, interned once each,
// and in binary form (the HTML page's) the integer arrays' bytes.
class Tables {
 public:
  explicit Tables(bool binary) : binary_(binary) {}
  uint32_t id(std::string_view s) {
    if (auto it = index_.find(s); it != index_.end()) return it->second;  // no string made for a known one
    auto [it, added] = index_.try_emplace(std::string(s), static_cast<uint32_t>(list_.size()));
    list_.push_back(&it->first);
    return it->second;
  }
  void write_strings(std::string& out) const {
    out += '[';
    for (size_t i = 0; i < list_.size(); ++i) {
      if (i) out += ',';
      out += script_json_string(*list_[i]);
    }
    out += ']';
  }
  bool binary() const { return binary_; }
  std::string& blob() { return blob_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> index_;
  std::vector<const std::string*> list_;
  bool binary_;
  std::string blob_;
};

// Integer arrays as LEB128 varints (signed types zigzag-coded), in base64 (the .json's:
// 2-3 characters a number where JSON's decimals take 6), or in binary form appended to
// the tables' blob, written {"bin":[offset,length]} (web/payload.js reads both).
template <class T>
void write_array(std::string& out, Tables& tables, std::string_view key, const std::vector<T>& v) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string local;
  std::string& bytes = tables.binary() ? tables.blob() : local;
  const size_t begin = bytes.size();
  // Written in place into room for the longest codes (5 bytes a 32-bit value, 10 a 64-bit one), then cut.
  constexpr size_t kMaxCode = sizeof(T) <= 4 ? 5 : 10;
  if (bytes.capacity() < begin + v.size() * kMaxCode) {
    bytes.reserve(std::max(begin + v.size() * kMaxCode, bytes.capacity() * 2));
  }
  bytes.resize(begin + v.size() * kMaxCode);
  char* at = bytes.data() + begin;
  for (T x : v) {
    uint64_t z = static_cast<uint64_t>(x);
    if constexpr (std::is_signed_v<T>) {  // zigzag: small magnitudes, small codes
      const auto sv = static_cast<int64_t>(x);
      z = (static_cast<uint64_t>(sv) << 1) ^ static_cast<uint64_t>(sv >> 63);
    }
    while (z >= 0x80) {
      *at++ = static_cast<char>((z & 0x7f) | 0x80);
      z >>= 7;
    }
    *at++ = static_cast<char>(z);
  }
  bytes.resize(static_cast<size_t>(at - bytes.data()));
  if (tables.binary()) {
    out += fmt::format("\"{}\":{{\"bin\":[{},{}]}}", key, begin, bytes.size() - begin);
    return;
  }
  out += fmt::format("\"{}\":\"", key);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    out += {kAlphabet[n >> 18], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63], kAlphabet[n & 63]};
  }
  if (i + 1 == bytes.size()) {
    const uint32_t n = uint8_t(bytes[i]) << 16;
    out += {kAlphabet[n >> 18], kAlphabet[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == bytes.size()) {
    const uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8);
    out += {kAlphabet[n >> 18], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63], '='};
  }
  out += '"';
}

// Small arrays as plain JSON numbers.
void write_plain(std::string& out, std::string_view key, const std::vector<int64_t>& v) {
  out += fmt::format("\"{}\":[{}]", key, fmt::join(v, ","));
}

// Frames at function granularity: FrameIndex's, plus the nameless frame of
// each location whose lines a filter may remove (FrameIndex keys it by its
// mapping file, as pprof's NodeInfo).
struct Frames {
  fold::FrameIndex index;
  std::vector<uint32_t> nameless;  // per location
};

Frames build_frames(const model::Profile& p, const fold::View& view,
                    fold::Granularity granularity = fold::Granularity::kFunctions) {
  Frames f{fold::FrameIndex::build(view, granularity, false), {}};
  std::unordered_map<uint32_t, uint32_t> by_objfile;  // objfile string -> frame
  auto is_nameless = [](const fold::NodeInfo& i) {
    return i.name == model::kEmptyStr && i.file == model::kEmptyStr && i.address == 0 && i.start_line == 0 &&
           i.lineno == 0;
  };
  for (size_t k = 0; k < f.index.infos.size(); ++k) {
    if (is_nameless(f.index.infos[k])) by_objfile.try_emplace(f.index.infos[k].objfile.value(), k);
  }
  f.nameless.resize(p.locations.size());
  for (LocationId l : p.locations.ids()) {
    const model::Location& loc = p.locations[l];
    fold::NodeInfo info;
    if (loc.mapping != model::kNone) info.objfile = f.index.names.intern(p.str(p.mappings[loc.mapping].filename));
    auto [it, added] = by_objfile.try_emplace(info.objfile.value(), static_cast<uint32_t>(f.index.infos.size()));
    if (added) {
      f.index.infos.push_back(info);
      f.index.function_file.push_back(model::kEmptyStr);
    }
    f.nameless[l.value()] = it->second;
  }
  return f;
}

// One granularity's frame fields, made without the string table (so on a thread of their
// own): each line's frame, each location's nameless frame, per frame its name as stored and
// its ranks (the fields named as the function-granularity ones). split_lines: a name ending in
// ":LINE" (its line number) is stored as the rest, shared by the function's lines, and
// frameLine = LINE + 1 (0: the name is whole); the page puts them together.
struct FrameFields {
  std::vector<uint32_t> line_frame, nameless, rank, tie;
  std::vector<std::string> names;
  std::vector<uint64_t> frame_line;  // split_lines only
  bool split_lines = false;
};

// Ranks of the frames in byte order of their names (frameNameRank), and among frames of one
// name in byte order of Go's fmt.Sprint of their keys (frameTieRank, 0 for a name only one
// frame has): the page sorts by these, as pprof sorts by the strings, and compares tie ranks
// only between frames of one name (top.js).
void rank_frames(const std::vector<std::string>& names, const Frames& frames, FrameFields& f) {
  std::vector<uint32_t> order(names.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return names[a] < names[b]; });
  f.rank.assign(names.size(), 0);
  f.tie.assign(names.size(), 0);
  uint32_t r = 0;
  std::vector<std::pair<std::string, uint32_t>> group;  // (key string, frame) of one name
  for (size_t i = 0, j = 0; i < order.size(); i = j) {
    for (j = i; j < order.size() && names[order[j]] == names[order[i]]; ++j) f.rank[order[j]] = r;
    ++r;
    if (j - i < 2) continue;
    group.clear();
    for (size_t k = i; k < j; ++k) group.emplace_back(frames.index.info_string(frames.index.infos[order[k]]), order[k]);
    std::stable_sort(group.begin(), group.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    uint32_t t = 0;
    for (size_t k = 0; k < group.size(); ++k) {
      if (k > 0 && group[k].first != group[k - 1].first) ++t;
      f.tie[group[k].second] = t;
    }
  }
}

FrameFields frame_fields(const model::Profile& p, const fold::View& view, fold::Granularity granularity,
                         bool split_lines) {
  Frames frames = build_frames(p, view, granularity);
  FrameFields f;
  f.split_lines = split_lines;
  for (LocationId l : p.locations.ids()) {
    const auto loc_frames = frames.index.frames_of(l);
    const size_t lines = view.lines(l).size();
    for (size_t k = 0; k < lines; ++k) f.line_frame.push_back(loc_frames[k]);
  }
  for (const fold::NodeInfo& info : frames.index.infos) f.names.push_back(frames.index.printable_name(info));
  rank_frames(f.names, frames, f);  // on the whole names, before line frames' are cut
  if (split_lines) {
    for (size_t k = 0; k < f.names.size(); ++k) {
      std::string& name = f.names[k];
      const int64_t lineno = frames.index.infos[k].lineno;
      const std::string suffix = fmt::format(":{}", lineno);
      const bool split = lineno >= 0 && name.size() > suffix.size() && ends_with(name, suffix);
      if (split) name.resize(name.size() - suffix.size());
      f.frame_line.push_back(split ? static_cast<uint64_t>(lineno) + 1 : 0);
    }
  }
  f.nameless = std::move(frames.nameless);
  return f;
}

// The fields, their names interned (in frame order).
void write_frames(std::string& out, Tables& tables, const FrameFields& f) {
  std::vector<uint32_t> frame_name;
  frame_name.reserve(f.names.size());
  for (const std::string& name : f.names) frame_name.push_back(tables.id(name));
  if (f.split_lines) {
    write_array(out, tables, "frameLine", f.frame_line);
    out += ',';
  }
  write_array(out, tables, "lineFrame", f.line_frame);
  out += ',';
  write_array(out, tables, "locNameless", f.nameless);
  out += ',';
  write_array(out, tables, "frameName", frame_name);
  out += ',';
  write_array(out, tables, "frameNameRank", f.rank);
  out += ',';
  write_array(out, tables, "frameTieRank", f.tie);
}

constexpr uint32_t kNoSample = 0xffffffffu;

// Stacks interned: each distinct one stored once, found by a hash of its locations
// and a chain of the stacks with that hash, compared in place.
class DistinctStacks {
 public:
  uint32_t id(std::span<const uint32_t> st) {
    const uint64_t hash = std::hash<std::string_view>{}(
        std::string_view(reinterpret_cast<const char*>(st.data()), st.size() * sizeof(uint32_t)));
    auto [it, added] = by_hash_.try_emplace(hash, static_cast<uint32_t>(count()));
    if (!added) {
      for (uint32_t id = it->second; id != kNoSample; id = next_[id]) {
        if (std::ranges::equal(stack(id), st)) return id;
      }
    }
    next_.push_back(added ? kNoSample : it->second);  // first in its hash's chain
    it->second = static_cast<uint32_t>(count());
    locations_.insert(locations_.end(), st.begin(), st.end());
    start_.push_back(static_cast<uint32_t>(locations_.size()));
    return it->second;
  }
  size_t count() const { return start_.size() - 1; }
  std::span<const uint32_t> stack(uint32_t id) const {
    return std::span<const uint32_t>(locations_).subspan(start_[id], start_[id + 1] - start_[id]);
  }

 private:
  std::vector<uint32_t> start_{0}, locations_, next_;
  std::unordered_map<uint64_t, uint32_t> by_hash_;  // hash -> the last stack added with it
};

// The samples aggregated by (stack, labels), each with its stack's id.
struct Aggregated {
  DistinctStacks stacks;
  std::vector<uint32_t> sample_stack, label_start{0}, labels;
  std::vector<int64_t> values;  // row-major, samples x types
  size_t count() const { return sample_stack.size(); }
};

constexpr double kExactLimit = 9007199254740992.0;  // 2^53: JavaScript numbers are exact below

// A distinct label: (key, str, unit, num).
struct LabelKey {
  uint32_t key, str, unit;
  int64_t num;
  bool operator==(const LabelKey&) const = default;
};
struct LabelKeyHash {
  size_t operator()(const LabelKey& k) const {
    uint64_t h = (uint64_t{k.key} << 32 | k.str) * 0x9e3779b97f4a7c15ull;
    h ^= (uint64_t{k.unit} + static_cast<uint64_t>(k.num) * 0xc2b2ae3d27d4eb4full) + (h >> 29);
    return static_cast<size_t>(h * 0xff51afd7ed558ccdull);
  }
};


// One profile's fields (everything but the version and the string table,
// which sides share), appended to out.
Status write_side(const model::Profile& p, const DataOptions& o, Tables& tables, std::string& out) {
  fold::Filters filters;
  filters.all_frames = o.all_frames;
  auto view = fold::build_view(p, filters);
  if (!view) return view.error();
  // The frames of both granularities on a second thread while the samples are aggregated.
  struct BothFields {
    FrameFields functions, lines;
  };
  std::future<BothFields> frame_fields_made =
      std::async(o.threads > 1 ? std::launch::async : std::launch::deferred, [&p, &view, &o] {
        BothFields f{frame_fields(p, *view, fold::Granularity::kFunctions, false), {}};
        if (o.lines) f.lines = frame_fields(p, *view, fold::Granularity::kLines, true);
        return f;
      });
  const size_t types = p.num_types();

  // Labels interned as (key, str, num, unit), stacks as DistinctStacks; samples aggregated by
  // (stack, labels): a sample's key (its stack's id and its labels) is hashed, and samples with
  // the same hash are told apart by comparing their stack ids and labels with those already
  // aggregated (no string kept per distinct sample, each distinct stack stored once).
  std::unordered_map<LabelKey, uint32_t, LabelKeyHash> label_ids;
  std::unordered_map<uint64_t, uint32_t> first_with_hash;  // hash -> first aggregated sample with it
  std::vector<uint32_t> next_with_hash;                   // per aggregated sample: the next with its hash
  first_with_hash.reserve(view->samples.size());
  std::vector<uint32_t> label_key, label_str, label_unit;
  std::vector<int64_t> label_num;
  Aggregated agg;
  std::string key;
  std::vector<uint32_t> ids, locations;
  for (const fold::ViewSample& s : view->samples) {
    const model::Sample& sample = p.samples[s.sample];
    ids.clear();
    for (const model::Label& l : p.sample_labels(sample)) {
      auto [it, added] = label_ids.try_emplace(LabelKey{l.key.value(), l.str.value(), l.num_unit.value(), l.num},
                                               static_cast<uint32_t>(label_key.size()));
      if (added) {
        label_key.push_back(tables.id(p.str(l.key)));
        label_str.push_back(l.str == model::kEmptyStr ? 0xffffffffu : tables.id(p.str(l.str)));
        label_num.push_back(l.num);
        label_unit.push_back(tables.id(p.str(l.num_unit)));
      }
      ids.push_back(it->second);
    }
    locations.clear();
    for (LocationId l : view->stack(s)) locations.push_back(l.value());
    const uint32_t stack = agg.stacks.id(locations);
    key.assign(reinterpret_cast<const char*>(&stack), sizeof stack);
    for (uint32_t id : ids) key.append(reinterpret_cast<const char*>(&id), sizeof id);
    const uint64_t hash = std::hash<std::string_view>{}(key);
    const auto same = [&](uint32_t a) {
      return agg.sample_stack[a] == stack &&
             std::equal(ids.begin(), ids.end(), agg.labels.begin() + agg.label_start[a],
                        agg.labels.begin() + agg.label_start[a + 1]);
    };
    auto [it, added] = first_with_hash.try_emplace(hash, static_cast<uint32_t>(agg.count()));
    uint32_t into = it->second;
    if (!added) {
      while (into != kNoSample && !same(into)) into = next_with_hash[into];
      if (into == kNoSample) {  // a new sample whose hash another has: first in its chain
        added = true;
        next_with_hash.push_back(it->second);
        it->second = static_cast<uint32_t>(agg.count());
      }
    } else {
      next_with_hash.push_back(kNoSample);
    }
    const auto values = p.sample_values(s.sample);
    if (added) {
      agg.sample_stack.push_back(stack);
      agg.labels.insert(agg.labels.end(), ids.begin(), ids.end());
      agg.label_start.push_back(static_cast<uint32_t>(agg.labels.size()));
      agg.values.insert(agg.values.end(), values.begin(), values.end());
      continue;
    }
    for (size_t t = 0; t < types; ++t) {
      auto sum = checked_add(agg.values[into * types + t], values[t]);
      if (!sum) return Error{"a sum of sample values does not fit in int64"};
      agg.values[into * types + t] = *sum;
    }
  }

  first_with_hash = {};
  next_with_hash = {};
  label_ids = {};
  std::vector<int64_t> totals(types);
  for (size_t t = 0; t < types; ++t) {
    fold::ValueChoice value;
    value.index = t;
    totals[t] = fold::report_total(p, value, nullptr);
  }

  // The budget: the heaviest stacks (largest share of any type) are kept, in their order.
  std::vector<uint32_t> keep(agg.count());
  std::iota(keep.begin(), keep.end(), 0);
  std::vector<int64_t> omitted_values(types);
  if (o.stack_budget > 0 && keep.size() > o.stack_budget) {
    std::vector<double> weight(agg.count());
    for (size_t s = 0; s < agg.count(); ++s) {
      for (size_t t = 0; t < types; ++t) {
        const double v = std::fabs(static_cast<double>(agg.values[s * types + t]));
        weight[s] = std::max(weight[s], totals[t] ? v / static_cast<double>(totals[t]) : 0);
      }
    }
    std::stable_sort(keep.begin(), keep.end(), [&](uint32_t a, uint32_t b) { return weight[a] > weight[b]; });
    for (size_t k = o.stack_budget; k < keep.size(); ++k) {
      for (size_t t = 0; t < types; ++t) omitted_values[t] += agg.values[keep[k] * types + t];
    }
    keep.resize(o.stack_budget);
    std::sort(keep.begin(), keep.end());
  }
  bool inexact = false;
  for (int64_t t : totals) inexact = inexact || std::fabs(static_cast<double>(t)) >= kExactLimit;

  out += fmt::format("\"name\":{},", script_json_string(o.name));
  out += "\"types\":[";
  for (size_t t = 0; t < types; ++t) {
    out += fmt::format("{}{{\"type\":{},\"unit\":{}}}", t ? "," : "", script_json_string(p.str(p.sample_types[t].type)),
                       script_json_string(p.str(p.sample_types[t].unit)));
  }
  out += fmt::format("],\"default\":{},", fold::default_sample_index(p));
  write_plain(out, "totals", totals);
  // pprof's header per type; \u0001 stands where the page writes the total in its unit.
  out += ",\"headers\":[";
  for (size_t t = 0; t < types; ++t) {
    const auto lines = report::profile_header(p, p.str(p.sample_types[t].type), p.str(p.sample_types[t].unit),
                                              totals[t], [](int64_t) { return std::string("\x01"); });
    out += t ? ",[" : "[";
    for (size_t i = 0; i < lines.size(); ++i) out += (i ? "," : "") + script_json_string(lines[i]);
    out += ']';
  }
  out += "],\"numLabelUnits\":{";
  bool first = true;
  for (const auto& [k, unit] : fold::num_label_units(p)) {
    out += fmt::format("{}{}:{}", first ? "" : ",", script_json_string(k), script_json_string(unit));
    first = false;
  }
  out += "},";

  // Functions, mappings, locations and their lines.
  std::vector<uint32_t> fn_name, fn_file, map_file, loc_map, line_start{0}, line_fn;
  for (const model::Function& f : p.functions) {
    fn_name.push_back(tables.id(p.str(f.name)));
    fn_file.push_back(tables.id(p.str(f.filename)));
  }
  for (const model::Mapping& m : p.mappings) map_file.push_back(tables.id(p.str(m.filename)));
  std::vector<int64_t> line_no;
  for (LocationId l : p.locations.ids()) {
    const model::Location& loc = p.locations[l];
    loc_map.push_back(loc.mapping == model::kNone ? 0xffffffffu : loc.mapping.value());
    for (const auto line : view->lines(l)) {
      line_fn.push_back(p.lines[line].function.value());
      line_no.push_back(p.lines[line].line);
    }
    line_start.push_back(static_cast<uint32_t>(line_fn.size()));
  }
  write_array(out, tables, "fnName", fn_name);
  out += ',';
  write_array(out, tables, "fnFile", fn_file);
  out += ',';
  write_array(out, tables, "mapFile", map_file);
  out += ',';
  write_array(out, tables, "locMap", loc_map);
  out += ',';
  write_array(out, tables, "locLineStart", line_start);
  out += ',';
  write_array(out, tables, "lineFn", line_fn);
  out += ',';
  write_array(out, tables, "lineNo", line_no);
  out += ',';
  BothFields frame_arrays = frame_fields_made.get();
  write_frames(out, tables, frame_arrays.functions);  // lineFrame, locNameless, frameName and its ranks
  out += ',';
  if (o.lines) {  // the granularity menu's lines: pprofx top --granularity lines
    out += "\"lines\":{";
    write_frames(out, tables, frame_arrays.lines);
    out += "},";
  }

  // Labels and the kept samples.
  write_array(out, tables, "labelKey", label_key);
  out += ',';
  write_array(out, tables, "labelStr", label_str);
  out += ',';
  write_array(out, tables, "labelNum", label_num);
  out += ',';
  write_array(out, tables, "labelUnit", label_unit);
  out += ',';
  // Distinct stacks flat, leaf first, with their lengths (a tree of shared prefixes was larger
  // and slower on the benchmark's random stacks), numbered in the order the kept samples first
  // use them, and per sample its stack: samples that differ only by labels share one (the 1M
  // benchmark's 250k samples have 40k stacks); labels with their counts.
  std::vector<uint32_t> stack_len, stack, sample_stack, sample_label_count, sample_labels;
  std::vector<uint32_t> written(agg.stacks.count(), kNoSample);  // interned id -> written id
  std::vector<int64_t> values;
  values.reserve(keep.size() * types);
  for (uint32_t s : keep) {
    uint32_t& id = written[agg.sample_stack[s]];
    if (id == kNoSample) {
      const auto st = agg.stacks.stack(agg.sample_stack[s]);
      id = static_cast<uint32_t>(stack_len.size());
      stack.insert(stack.end(), st.begin(), st.end());
      stack_len.push_back(static_cast<uint32_t>(st.size()));
    }
    sample_stack.push_back(id);
    sample_labels.insert(sample_labels.end(), agg.labels.begin() + agg.label_start[s],
                         agg.labels.begin() + agg.label_start[s + 1]);
    sample_label_count.push_back(agg.label_start[s + 1] - agg.label_start[s]);
    values.insert(values.end(), agg.values.begin() + s * types, agg.values.begin() + (s + 1) * types);
  }
  const size_t omitted_stacks = agg.count() - keep.size();
  agg = Aggregated{};
  write_array(out, tables, "stackLen", stack_len);
  out += ',';
  write_array(out, tables, "stack", stack);
  out += ',';
  write_array(out, tables, "sampleStack", sample_stack);
  out += ',';
  write_array(out, tables, "sampleLabelCount", sample_label_count);
  out += ',';
  write_array(out, tables, "sampleLabels", sample_labels);
  out += ',';
  write_array(out, tables, "values", values);
  out += fmt::format(",\"omitted\":{{\"stacks\":{},", omitted_stacks);
  write_plain(out, "values", omitted_values);
  out += fmt::format("}},\"inexact\":{}", inexact ? "true" : "false");
  return Ok{};
}

// ,"check":{...} when there is a verdict.
void write_verdict(const std::optional<Verdict>& v, std::string& out) {
  if (!v) return;
  out += fmt::format(",\"check\":{{\"text\":{},\"regressed\":{}}}", script_json_string(v->text),
                     v->regressed ? "true" : "false");
}

// The JSON text, then in binary form a NUL byte and the arrays' bytes.
std::string finish(Tables& tables, std::string out) {
  out += ",\"strings\":";
  tables.write_strings(out);
  out += "}";
  if (tables.binary()) {
    out += '\0';
    out += tables.blob();
    tables.blob() = {};
  }
  return out;
}

}  // namespace

Result<std::string> page_data(const model::Profile& p, const DataOptions& o, DataForm form) {
  Tables tables(form == DataForm::kBinary);
  std::string out = "{\"version\":1";
  write_verdict(o.verdict, out);
  out += ",";
  if (Status s = write_side(p, o, tables, out); !s) return s.error();
  if (o.sources) {
    if (Status s = write_sources(p, o, out); !s) return s.error();
  }
  return finish(tables, std::move(out));
}

Result<std::string> diff_page_data(const model::Profile& base, const model::Profile& next, const DiffDataOptions& o,
                                   DataForm form) {
  Tables tables(form == DataForm::kBinary);
  std::string out = "{\"version\":1";
  write_verdict(o.verdict, out);
  out += ",\"diff\":{\"pairs\":[";
  for (size_t i = 0; i < o.pairs.size(); ++i) {
    const TypePair& t = o.pairs[i];
    out += fmt::format("{}{{\"type\":{},\"unit\":{},\"base\":{},\"next\":{},\"baseCount\":{},\"newCount\":{},"
                       "\"normalize\":{},\"colorBy\":{},\"byStack\":{}}}",
                       i ? "," : "", script_json_string(t.type), script_json_string(t.unit), t.base_index, t.new_index,
                       t.base_count, t.new_count, script_json_string(t.normalize), script_json_string(t.color_by),
                       t.by_stack ? "true" : "false");
  }
  out += fmt::format("],\"default\":{},\"durations\":[{},{}],\"minWidth\":{},\"imageWidth\":{}}},\"sides\":[{{",
                     o.default_pair, base.duration_nanos, next.duration_nanos, o.min_width_px, o.image_width);
  if (Status s = write_side(base, o.base, tables, out); !s) return Error{"BASE: " + s.error().message};
  out += "},{";
  if (Status s = write_side(next, o.next, tables, out); !s) return Error{"NEW: " + s.error().message};
  out += "}]";
  return finish(tables, std::move(out));
}

}  // namespace pprofx::web
