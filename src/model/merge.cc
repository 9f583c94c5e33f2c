#include "pprofx/model/merge.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>
#include <unordered_map>

#include "pprofx/model/units.h"

namespace pprofx::model {
namespace {

std::string_view trim_s(std::string_view s) { return !s.empty() && s.back() == 's' ? s.substr(0, s.size() - 1) : s; }

std::string describe(const Profile& p) {
  std::string out = "[";
  for (size_t i = 0; i < p.sample_types.size(); ++i) {
    out += fmt::format("{}{}/{}", i ? " " : "", p.str(p.sample_types[i].type), p.str(p.sample_types[i].unit));
  }
  return out + "]";
}

class Merger {
 public:
  explicit Merger(Profile& out) : out_(out) {}

  StrId str(const Profile& src, StrId id) { return id == kEmptyStr ? kEmptyStr : out_.strings.intern(src.str(id)); }

  void add(const Profile& src, const std::vector<double>& ratios) {
    mapping_of_.assign(src.mappings.size(), {kNone, 0});
    function_of_.assign(src.functions.size(), kNone);
    location_of_.assign(src.locations.size(), kNone);
    if (out_.mappings.empty() && !src.mappings.empty()) map_mapping(src, 0);
    std::vector<int64_t> values(src.num_types());
    for (size_t s = 0; s < src.samples.size(); ++s) {
      auto v = src.sample_values(s);
      bool zero = true;
      for (size_t i = 0; i < v.size(); ++i) {
        values[i] = ratios[i] == 1 ? v[i] : static_cast<int64_t>(static_cast<double>(v[i]) * ratios[i]);
        zero = zero && v[i] == 0;
      }
      if (!zero) add_sample(src, src.samples[s], values);
    }
  }

  void finish() {
    // Summing can make a sample zero; pprof then merges again to drop it.
    std::vector<Sample> kept;
    std::vector<int64_t> kept_values;
    for (size_t s = 0; s < out_.samples.size(); ++s) {
      auto v = out_.sample_values(s);
      if (std::all_of(v.begin(), v.end(), [](int64_t x) { return x == 0; })) continue;
      kept.push_back(out_.samples[s]);
      kept_values.insert(kept_values.end(), v.begin(), v.end());
    }
    out_.samples = std::move(kept);
    out_.values = std::move(kept_values);
  }

 private:
  struct MapInfo {
    Index index;
    int64_t offset;  // address shift from the source mapping to the merged one
  };

  MapInfo map_mapping(const Profile& src, Index m) {
    if (mapping_of_[m].index != kNone) return mapping_of_[m];
    const Mapping& sm = src.mappings[m];
    uint64_t size = sm.memory_limit - sm.memory_start;
    size = size + 0xfff;
    size -= size % 0x1000;
    const std::string_view id = sm.build_id != kEmptyStr ? src.str(sm.build_id) : src.str(sm.filename);
    auto key = std::make_tuple(size, sm.file_offset, std::string(id));
    if (auto it = mappings_.find(key); it != mappings_.end()) {
      const Mapping& existing = out_.mappings[it->second];
      mapping_of_[m] = {it->second, static_cast<int64_t>(existing.memory_start - sm.memory_start)};
      return mapping_of_[m];
    }
    Mapping copy = sm;
    copy.file_id = out_.mappings.size() + 1;
    copy.filename = str(src, sm.filename);
    copy.build_id = str(src, sm.build_id);
    const auto index = static_cast<Index>(out_.mappings.size());
    out_.mappings.push_back(copy);
    mappings_.emplace(std::move(key), index);
    mapping_of_[m] = {index, 0};
    return mapping_of_[m];
  }

  Index map_function(const Profile& src, Index f) {
    if (function_of_[f] != kNone) return function_of_[f];
    const Function& sf = src.functions[f];
    Function copy;
    copy.name = str(src, sf.name);
    copy.system_name = str(src, sf.system_name);
    copy.filename = str(src, sf.filename);
    copy.start_line = sf.start_line;
    auto key = std::make_tuple(copy.start_line, copy.name, copy.system_name, copy.filename);
    auto [it, inserted] = functions_.try_emplace(key, static_cast<Index>(out_.functions.size()));
    if (inserted) {
      copy.file_id = out_.functions.size() + 1;
      out_.functions.push_back(copy);
    }
    return function_of_[f] = it->second;
  }

  Index map_location(const Profile& src, Index l) {
    if (location_of_[l] != kNone) return location_of_[l];
    const Location& sl = src.locations[l];
    Location copy;
    copy.is_folded = sl.is_folded;
    copy.address = sl.address;
    if (sl.mapping != kNone) {
      const MapInfo mi = map_mapping(src, sl.mapping);
      copy.mapping = mi.index;
      copy.address = static_cast<uint64_t>(static_cast<int64_t>(sl.address) + mi.offset);
    }
    std::string key = fmt::format("{:x}|{}|{}|", copy.mapping == kNone ? copy.address : copy.address - out_.mappings[copy.mapping].memory_start,
                                  copy.mapping == kNone ? 0 : copy.mapping + 1, copy.is_folded ? 1 : 0);
    std::vector<Line> lines;
    for (const Line& ln : src.location_lines(sl)) {
      Line c = ln;
      c.function = map_function(src, ln.function);
      lines.push_back(c);
      key += fmt::format("{:x}:{:x}:{:x}|", c.function, c.line, c.column);
    }
    auto [it, inserted] = locations_.try_emplace(std::move(key), static_cast<Index>(out_.locations.size()));
    if (inserted) {
      copy.file_id = out_.locations.size() + 1;
      copy.lines_begin = static_cast<uint32_t>(out_.lines.size());
      copy.lines_count = static_cast<uint32_t>(lines.size());
      out_.lines.insert(out_.lines.end(), lines.begin(), lines.end());
      out_.locations.push_back(copy);
    }
    return location_of_[l] = it->second;
  }

  void add_sample(const Profile& src, const Sample& s, const std::vector<int64_t>& values) {
    std::vector<Index> stack;
    for (Index l : src.stack(s)) stack.push_back(map_location(src, l));
    std::vector<Label> labels;
    for (const Label& l : src.sample_labels(s)) labels.push_back({str(src, l.key), str(src, l.str), l.num, str(src, l.num_unit)});
    // pprof's key: labels grouped by key (values in their order), keys sorted.
    std::stable_sort(labels.begin(), labels.end(), [&](const Label& a, const Label& b) {
      const bool as = a.str != kEmptyStr, bs = b.str != kEmptyStr;
      if (as != bs) return as;
      return out_.str(a.key) < out_.str(b.key);
    });
    std::string key;
    for (Index l : stack) key += fmt::format("{:x}|", l);
    key += '#';
    for (const Label& l : labels) key += fmt::format("{}\x1f{}\x1f{}\x1f{}\x1e", l.key, l.str, l.num, l.num_unit);
    auto [it, inserted] = samples_.try_emplace(std::move(key), out_.samples.size());
    if (!inserted) {
      int64_t* v = out_.values.data() + it->second * out_.num_types();
      for (size_t i = 0; i < values.size(); ++i) v[i] += values[i];
      return;
    }
    Sample copy;
    copy.locations_begin = static_cast<uint32_t>(out_.sample_locations.size());
    copy.locations_count = static_cast<uint32_t>(stack.size());
    out_.sample_locations.insert(out_.sample_locations.end(), stack.begin(), stack.end());
    copy.labels_begin = static_cast<uint32_t>(out_.labels.size());
    copy.labels_count = static_cast<uint32_t>(labels.size());
    out_.labels.insert(out_.labels.end(), labels.begin(), labels.end());
    out_.samples.push_back(copy);
    out_.values.insert(out_.values.end(), values.begin(), values.end());
  }

  Profile& out_;
  std::vector<MapInfo> mapping_of_;
  std::vector<Index> function_of_, location_of_;
  std::map<std::tuple<uint64_t, uint64_t, std::string>, Index> mappings_;
  std::map<std::tuple<int64_t, StrId, StrId, StrId>, Index> functions_;
  std::unordered_map<std::string, Index> locations_;
  std::unordered_map<std::string, size_t> samples_;
};

}  // namespace

Result<Profile> merge(const std::vector<const Profile*>& ps, const std::vector<std::string>& names) {
  if (ps.empty()) return Error{"no profiles to merge"};
  const Profile& first = *ps[0];
  const size_t n = first.num_types();
  // measurement.ScaleProfiles: per index, a common type in the finest unit.
  std::vector<std::string> types(n), units(n);
  for (size_t i = 0; i < n; ++i) {
    types[i] = first.str(first.sample_types[i].type);
    units[i] = first.str(first.sample_types[i].unit);
  }
  for (size_t k = 1; k < ps.size(); ++k) {
    const Profile& p = *ps[k];
    if (p.num_types() != n) {
      return Error{fmt::format("{}: inconsistent sample types: {} vs {} in {}", names[k], describe(p), describe(first), names[0])};
    }
    for (size_t i = 0; i < n; ++i) {
      const std::string_view t = p.str(p.sample_types[i].type), u = p.str(p.sample_types[i].unit);
      if (trim_s(t) != trim_s(types[i]) || !same_unit_kind(u, units[i])) {
        return Error{fmt::format("{}: incompatible sample types: {} vs {} in {}", names[k], describe(p), describe(first), names[0])};
      }
      if (scale(1, u, units[i]).value < 1) units[i] = std::string(u);  // finer unit
    }
    const std::string_view pt = p.str(p.period_type.type), pu = p.str(p.period_type.unit);
    if (pt != first.str(first.period_type.type) || !same_unit_kind(pu, first.str(first.period_type.unit))) {
      return Error{fmt::format("{}: incompatible period types: {}/{} vs {}/{} in {}", names[k], pt, pu,
                               first.str(first.period_type.type), first.str(first.period_type.unit), names[0])};
    }
  }
  Profile out;
  Merger m(out);
  for (size_t i = 0; i < n; ++i) {
    out.sample_types.push_back({out.strings.intern(types[i]), out.strings.intern(units[i])});
  }
  out.drop_frames = m.str(first, first.drop_frames);
  out.keep_frames = m.str(first, first.keep_frames);
  out.period_type = {m.str(first, first.period_type.type), m.str(first, first.period_type.unit)};
  for (size_t k = 0; k < ps.size(); ++k) {
    const Profile& p = *ps[k];
    if (out.time_nanos == 0 || p.time_nanos < out.time_nanos) out.time_nanos = p.time_nanos;
    out.duration_nanos += p.duration_nanos;
    // Periods in the first profile's period unit (pprof scales them as it scales values).
    out.period = std::max(out.period, static_cast<int64_t>(scale(p.period, p.str(p.period_type.unit),
                                                                 first.str(first.period_type.unit)).value));
    for (StrId c : p.comments) {
      const StrId id = m.str(p, c);
      if (std::find(out.comments.begin(), out.comments.end(), id) == out.comments.end()) out.comments.push_back(id);
    }
    if (out.default_sample_type == kEmptyStr) out.default_sample_type = m.str(p, p.default_sample_type);
    if (out.doc_url == kEmptyStr) out.doc_url = m.str(p, p.doc_url);
    std::vector<double> ratios(n, 1);
    for (size_t i = 0; i < n; ++i) ratios[i] = scale(1, p.str(p.sample_types[i].unit), units[i]).value;
    for (size_t i = 0; i < n; ++i) {
      if (p.str(p.sample_types[i].unit) == units[i]) ratios[i] = 1;
    }
    m.add(p, ratios);
  }
  m.finish();
  return out;
}

}  // namespace pprofx::model
