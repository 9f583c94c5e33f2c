#include "pprofx/model/merge.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "pprofx/base/checked.h"
#include "pprofx/base/id_index.h"
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

// pprof scales a value with int64(float64(v) * ratio); nullopt when that leaves int64.
std::optional<int64_t> scale_value(int64_t v, double ratio) {
  return ratio == 1 ? v : checked_from_double(static_cast<double>(v) * ratio);
}

constexpr StrId kUnmapped{0xffffffffu};  // string cache: not looked up yet

}  // namespace

Status check_mergeable(const Profile& first, const std::string& first_name, const Profile& p,
                       const std::string& name) {
  const size_t n = first.num_types();
  if (p.num_types() != n) {
    return Error{fmt::format("{}: inconsistent sample types: {} vs {} in {}", name, describe(p), describe(first), first_name)};
  }
  for (size_t i = 0; i < n; ++i) {
    const std::string_view t = p.str(p.sample_types[i].type), u = p.str(p.sample_types[i].unit);
    const std::string_view ft = first.str(first.sample_types[i].type), fu = first.str(first.sample_types[i].unit);
    if (trim_s(t) != trim_s(ft) || !same_unit_kind(u, fu)) {
      return Error{fmt::format("{}: incompatible sample types: {} vs {} in {}", name, describe(p), describe(first), first_name)};
    }
  }
  const std::string_view pt = p.str(p.period_type.type), pu = p.str(p.period_type.unit);
  if (pt != first.str(first.period_type.type) || !same_unit_kind(pu, first.str(first.period_type.unit))) {
    return Error{fmt::format("{}: incompatible period types: {}/{} vs {}/{} in {}", name, pt, pu,
                             first.str(first.period_type.type), first.str(first.period_type.unit), first_name)};
  }
  return Ok{};
}

// Identity keys are pprof's; they are checked against the merged arrays
// themselves (IdIndex), so no key is stored twice.
class Merger::Impl {
 public:
  Status add(const Profile& src, std::string_view name) {
    name_ = name;
    if (added_ == 0) first_name_ = name;
    ++added_;
    str_of_.assign(src.strings.size(), kUnmapped);
    mapping_of_.assign(src.mappings.size(), {kNone, 0});
    function_of_.assign(src.functions.size(), kNone);
    location_of_.assign(src.locations.size(), kNone);
    const bool first = !started_;
    if (first) start(src);
    if (Status st = add_header(src, first); !st) return st;
    const size_t n = src.num_types();
    std::vector<double> ratios(n, 1);
    for (size_t i = 0; i < n; ++i) {
      const std::string_view u = src.str(src.sample_types[i].unit);
      if (u == units_[i]) continue;
      ratios[i] = scale(1, u, units_[i]).value;
      if (ratios[i] < 1) {  // a finer unit: it becomes the merge's unit
        if (!rescale_column(i, scale(1, units_[i], u).value)) {
          return overflow(fmt::format("the {} values merged so far, in {}, do not fit when converted to {}",
                                      types_[i], units_[i], u));
        }
        units_[i] = std::string(u);
        ratios[i] = 1;
      }
    }
    if (out_.mappings.empty() && !src.mappings.empty()) map_mapping(src, MappingId(0));
    std::vector<int64_t> values(n);
    for (size_t s = 0; s < src.samples.size(); ++s) {
      auto v = src.sample_values(s);
      bool zero = true;
      for (size_t i = 0; i < n; ++i) {
        const std::optional<int64_t> scaled = scale_value(v[i], ratios[i]);
        if (!scaled) {
          return overflow(fmt::format("the {} value {} {} does not fit when converted to {} (sample {})", types_[i],
                                      v[i], src.str(src.sample_types[i].unit), units_[i], s));
        }
        values[i] = *scaled;
        zero = zero && v[i] == 0;
      }
      if (!zero) {
        if (Status st = add_sample(src, src.samples[s], values); !st) return st;
      }
    }
    return Ok{};
  }

  Profile finish() {
    for (size_t i = 0; i < units_.size(); ++i) {
      out_.sample_types.push_back({out_.strings.intern(types_[i]), out_.strings.intern(units_[i])});
    }
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
    label_frames_last();
    return std::move(out_);
  }

 private:
  struct MapInfo {
    MappingId index;
    int64_t offset;  // address shift from the source mapping to the merged one
  };

  // pprof makes --tagroot's frames after it merged what it read, so they come
  // after every other location, in the order they were made (their ids then,
  // kept in file_id until here); raw prints these ids.
  void label_frames_last() {
    std::vector<uint32_t> order;
    std::vector<uint32_t> made;
    for (uint32_t i = 0; i < out_.locations.size(); ++i) {
      (out_.locations[LocationId(i)].is_label_frame ? made : order).push_back(i);
    }
    if (made.empty()) return;
    std::stable_sort(made.begin(), made.end(), [&](uint32_t a, uint32_t b) {
      return out_.locations[LocationId(a)].file_id < out_.locations[LocationId(b)].file_id;
    });
    order.insert(order.end(), made.begin(), made.end());
    IdVector<LocationId, Location> locations;
    IdVector<LocationId, LocationId> moved_to(out_.locations.size(), kNone);
    locations.reserve(order.size());
    for (uint32_t i : order) {
      moved_to[LocationId(i)] = locations.next_id();
      locations.push_back(out_.locations[LocationId(i)]);
      locations.back().file_id = locations.size();
    }
    for (LocationId& l : out_.sample_locations) l = moved_to[l];
    out_.locations = std::move(locations);
  }

  void start(const Profile& first) {
    started_ = true;
    for (const ValueType& vt : first.sample_types) {
      types_.emplace_back(first.str(vt.type));
      units_.emplace_back(first.str(vt.unit));
    }
    abs_sums_.assign(types_.size(), 0);
    // The string table begins as the one-shot merge's did: types, units, then the header's strings.
    for (size_t i = 0; i < types_.size(); ++i) {
      out_.strings.intern(types_[i]);
      out_.strings.intern(units_[i]);
    }
    out_.drop_frames = str(first, first.drop_frames);
    out_.keep_frames = str(first, first.keep_frames);
    out_.period_type = {str(first, first.period_type.type), str(first, first.period_type.unit)};
    period_unit_ = std::string(first.str(first.period_type.unit));
  }

  Status add_header(const Profile& p, bool first) {
    if (first || out_.time_nanos == 0 || p.time_nanos < out_.time_nanos) out_.time_nanos = p.time_nanos;
    const std::optional<int64_t> duration = checked_add(out_.duration_nanos, p.duration_nanos);
    if (!duration) {
      return overflow(fmt::format("the durations add up past the int64 range ({} ns + {} ns)", out_.duration_nanos,
                                  p.duration_nanos));
    }
    out_.duration_nanos = *duration;
    // Periods in the first profile's period unit (pprof scales them as it scales values, through
    // float64; in the same unit pprofx keeps them exact, so INT64_MAX does not become 2^63).
    const std::string_view period_unit = p.str(p.period_type.unit);
    const std::optional<int64_t> period =
        period_unit == period_unit_ ? p.period : checked_from_double(scale(p.period, period_unit, period_unit_).value);
    if (!period) {
      return overflow(fmt::format("the period {} {} does not fit when converted to {}", p.period,
                                  p.str(p.period_type.unit), period_unit_));
    }
    out_.period = std::max(out_.period, *period);
    for (StrId c : p.comments) {
      const StrId id = str(p, c);
      if (std::find(out_.comments.begin(), out_.comments.end(), id) == out_.comments.end()) out_.comments.push_back(id);
    }
    if (out_.default_sample_type == kEmptyStr) out_.default_sample_type = str(p, p.default_sample_type);
    if (out_.doc_url == kEmptyStr) out_.doc_url = str(p, p.doc_url);
    return Ok{};
  }

  // "a.pb.gz and b.pb.gz: merging overflows int64: <what>"; the inputs are
  // the one being added and those before it.
  Error overflow(const std::string& what) const {
    std::string inputs;
    if (added_ == 1) {
      inputs = name_;
    } else if (added_ == 2) {
      inputs = fmt::format("{} and {}", first_name_, name_);
    } else {
      inputs = fmt::format("{} and the {} profiles before it (from {})", name_, added_ - 1, first_name_);
    }
    return Error{fmt::format("{}: merging overflows int64: {}", inputs, what)};
  }

  // Keeps the decoder's rule for the merged profile: per sample type, the
  // |values| add up within int64 (so totals, flat, cum and trie sums fit).
  // `before` and `after` are one merged value's old and new contents.
  bool track(size_t i, int64_t before, int64_t after) {
    const uint64_t sum = abs_sums_[i] - magnitude(before) + magnitude(after);  // < 2^64: no wrap
    if (sum > static_cast<uint64_t>(INT64_MAX)) return false;
    abs_sums_[i] = sum;
    return true;
  }

  // The merge's unit for column i became finer: what is summed so far is
  // rescaled. Unit ratios are whole numbers, so int64 arithmetic gives what
  // scaling each input by the final ratio gives (pprof's result).
  // False (values left part-rescaled) when a rescaled value or the column's
  // sum of |values| leaves int64.
  bool rescale_column(size_t i, double ratio) {
    const size_t n = units_.size();
    const bool whole = ratio == std::floor(ratio) && ratio < 9007199254740992.0;
    for (size_t k = i; k < out_.values.size(); k += n) {
      const int64_t before = out_.values[k];
      const std::optional<int64_t> after =
          whole ? checked_mul(before, static_cast<int64_t>(ratio)) : scale_value(before, ratio);
      if (!after || !track(i, before, *after)) return false;
      out_.values[k] = *after;
    }
    return true;
  }

  StrId str(const Profile& src, StrId id) {
    if (id == kEmptyStr) return kEmptyStr;
    if (str_of_[id] == kUnmapped) str_of_[id] = out_.strings.intern(src.str(id));
    return str_of_[id];
  }

  MapInfo map_mapping(const Profile& src, MappingId m) {
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
    const MappingId index = out_.mappings.next_id();
    out_.mappings.push_back(copy);
    mappings_.emplace(std::move(key), index);
    mapping_of_[m] = {index, 0};
    return mapping_of_[m];
  }

  FunctionId map_function(const Profile& src, FunctionId f) {
    if (function_of_[f] != kNone) return function_of_[f];
    const Function& sf = src.functions[f];
    Function copy;
    copy.name = str(src, sf.name);
    copy.system_name = str(src, sf.system_name);
    copy.filename = str(src, sf.filename);
    copy.start_line = sf.start_line;
    WordHash h;
    h.add(static_cast<uint64_t>(copy.start_line));
    h.add(copy.name.value() | static_cast<uint64_t>(copy.system_name.value()) << 32);
    h.add(copy.filename.value());
    auto [id, added] = functions_.find_or_add(h.value(), [&](uint32_t i) {
      const Function& e = out_.functions[i];
      return e.start_line == copy.start_line && e.name == copy.name && e.system_name == copy.system_name &&
             e.filename == copy.filename;
    });
    if (added) {
      copy.file_id = out_.functions.size() + 1;
      out_.functions.push_back(copy);
    }
    return function_of_[f] = FunctionId(id);
  }

  LocationId map_location(const Profile& src, LocationId l) {
    if (location_of_[l] != kNone) return location_of_[l];
    const Location& sl = src.locations[l];
    Location copy;
    copy.is_folded = sl.is_folded;
    copy.is_label_frame = sl.is_label_frame;
    copy.address = sl.address;
    if (sl.mapping != kNone) {
      const MapInfo mi = map_mapping(src, sl.mapping);
      copy.mapping = mi.index;
      copy.address = sl.address + static_cast<uint64_t>(mi.offset);  // wraps as Go's uint64 does
    }
    lines_.clear();
    WordHash h;
    h.add(copy.address);
    h.add(static_cast<uint64_t>(copy.mapping.value()) << 1 | (copy.is_folded ? 1 : 0));
    for (const Line& ln : src.location_lines(sl)) {
      Line c = ln;
      c.function = map_function(src, ln.function);
      lines_.push_back(c);
      h.add(c.function.value());
      h.add(static_cast<uint64_t>(c.line));
      h.add(static_cast<uint64_t>(c.column));
    }
    auto [id, added] = locations_.find_or_add(h.value(), [&](uint32_t i) {
      const Location& e = out_.locations[i];
      if (e.address != copy.address || e.mapping != copy.mapping || e.is_folded != copy.is_folded ||
          e.is_label_frame != copy.is_label_frame || e.lines_count != lines_.size()) {
        return false;
      }
      return std::equal(lines_.begin(), lines_.end(), out_.lines.begin() + e.lines_begin, [](const Line& a, const Line& b) {
        return a.function == b.function && a.line == b.line && a.column == b.column;
      });
    });
    if (added) {
      copy.file_id = copy.is_label_frame ? sl.file_id : out_.locations.size() + 1;  // see label_frames_last
      copy.lines_begin = static_cast<uint32_t>(out_.lines.size());
      copy.lines_count = static_cast<uint32_t>(lines_.size());
      out_.lines.insert(out_.lines.end(), lines_.begin(), lines_.end());
      out_.locations.push_back(copy);
    }
    return location_of_[l] = LocationId(id);
  }

  Status add_sample(const Profile& src, const Sample& s, const std::vector<int64_t>& values) {
    stack_.clear();
    WordHash h;
    for (LocationId l : src.stack(s)) {
      stack_.push_back(map_location(src, l));
      h.add(stack_.back().value());
    }
    labels_.clear();
    for (const Label& l : src.sample_labels(s)) labels_.push_back({str(src, l.key), str(src, l.str), l.num, str(src, l.num_unit)});
    // pprof's key: labels grouped by key (values in their order), keys sorted.
    if (labels_.size() > 1) {
      std::stable_sort(labels_.begin(), labels_.end(), [&](const Label& a, const Label& b) {
        const bool as = a.str != kEmptyStr, bs = b.str != kEmptyStr;
        if (as != bs) return as;
        return a.key != b.key && out_.str(a.key) < out_.str(b.key);
      });
    }
    h.add(0xffffffffffffffffull);  // ends the stack
    for (const Label& l : labels_) {
      h.add(l.key.value() | static_cast<uint64_t>(l.str.value()) << 32);
      h.add(static_cast<uint64_t>(l.num));
      h.add(l.num_unit.value());
    }
    auto [id, added] = samples_.find_or_add(h.value(), [&](uint32_t i) {
      const Sample& e = out_.samples[i];
      if (e.locations_count != stack_.size() || e.labels_count != labels_.size()) return false;
      if (!equal_ids(stack_.data(), out_.sample_locations.data() + e.locations_begin, stack_.size())) return false;
      return std::equal(labels_.begin(), labels_.end(), out_.labels.begin() + e.labels_begin, [](const Label& a, const Label& b) {
        return a.key == b.key && a.str == b.str && a.num == b.num && a.num_unit == b.num_unit;
      });
    });
    if (!added) {
      int64_t* v = out_.values.data() + static_cast<size_t>(id) * values.size();
      for (size_t i = 0; i < values.size(); ++i) {
        const std::optional<int64_t> sum = checked_add(v[i], values[i]);
        if (!sum || !track(i, v[i], *sum)) return sum_overflow(i);
        v[i] = *sum;
      }
      return Ok{};
    }
    for (size_t i = 0; i < values.size(); ++i) {
      if (!track(i, 0, values[i])) return sum_overflow(i);
    }
    Sample copy;
    copy.locations_begin = static_cast<uint32_t>(out_.sample_locations.size());
    copy.locations_count = static_cast<uint32_t>(stack_.size());
    out_.sample_locations.insert(out_.sample_locations.end(), stack_.begin(), stack_.end());
    copy.labels_begin = static_cast<uint32_t>(out_.labels.size());
    copy.labels_count = static_cast<uint32_t>(labels_.size());
    out_.labels.insert(out_.labels.end(), labels_.begin(), labels_.end());
    out_.samples.push_back(copy);
    out_.values.insert(out_.values.end(), values.begin(), values.end());
    return Ok{};
  }

  Error sum_overflow(size_t i) const {
    return overflow(fmt::format("the {} values ({}) add up past the int64 range", types_[i], units_[i]));
  }

  Profile out_;
  bool started_ = false;
  std::vector<std::string> types_, units_;  // units_: the finest seen so far, per sample type
  std::string period_unit_;
  std::vector<uint64_t> abs_sums_;  // per sample type: sum of |merged values|, at most INT64_MAX
  std::string first_name_, name_;   // for messages: the first input and the one being added
  size_t added_ = 0;
  // Per source profile: its ids -> merged ids (kNone / kUnmapped: not seen yet).
  IdVector<StrId, StrId> str_of_;
  IdVector<MappingId, MapInfo> mapping_of_;
  IdVector<FunctionId, FunctionId> function_of_;
  IdVector<LocationId, LocationId> location_of_;
  std::map<std::tuple<uint64_t, uint64_t, std::string>, MappingId> mappings_;
  IdIndex functions_, locations_, samples_;
  // Scratch, reused per location and sample.
  std::vector<Line> lines_;
  std::vector<LocationId> stack_;
  std::vector<Label> labels_;
};

Merger::Merger() : impl_(std::make_unique<Impl>()) {}
Merger::~Merger() = default;
Status Merger::add(const Profile& p, std::string_view name) { return impl_->add(p, name); }
Profile Merger::finish() { return impl_->finish(); }

Result<Profile> merge(const std::vector<const Profile*>& ps, const std::vector<std::string>& names) {
  if (ps.empty()) return Error{"no profiles to merge"};
  for (size_t k = 1; k < ps.size(); ++k) {
    if (Status s = check_mergeable(*ps[0], names[0], *ps[k], names[k]); !s) return s.error();
  }
  Merger m;
  for (size_t k = 0; k < ps.size(); ++k) {
    if (Status s = m.add(*ps[k], names[k]); !s) return s.error();
  }
  return m.finish();
}

}  // namespace pprofx::model
