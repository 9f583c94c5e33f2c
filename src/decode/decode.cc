// The profile.proto reader. One pass over the top-level fields reads the
// string table and scalars and counts the repeated messages; then one pass per
// kind decodes sample types, mappings and functions, then locations, then
// samples, so every reference can be resolved as soon as it is read.
#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>
#include <optional>
#include <thread>
#include <type_traits>
#include <unordered_map>

#include "pprofx/decode/decode.h"
#include "pprofx/decode/goroutine_dump.h"
#include "pprofx/decode/sniff.h"
#include "pprofx/legacy/legacy.h"
#include "pprofx/decode/wire.h"
#include "pprofx/io/arriving.h"

namespace pprofx::decode {
namespace {

using model::kNone;
using model::StrId;

// File id -> dense index. Ids 1..n (the usual case) use a vector.
template <class Index>
class IdMap {
 public:
  explicit IdMap(size_t count) : dense_(count + 1, kNone) {}
  // False if the id was already present.
  bool insert(uint64_t id, Index index) {
    if (id < dense_.size()) {
      if (dense_[id] != kNone) return false;
      dense_[id] = index;
      return true;
    }
    return sparse_.emplace(id, index).second;
  }
  Index find(uint64_t id) const {
    if (id < dense_.size()) return dense_[id];
    auto it = sparse_.find(id);
    return it == sparse_.end() ? kNone : it->second;
  }

 private:
  std::vector<Index> dense_;
  std::unordered_map<uint64_t, Index> sparse_;
};

enum TopField : uint64_t {
  kSampleType = 1, kSample = 2, kMapping = 3, kLocation = 4, kFunction = 5, kStringTable = 6,
  kDropFrames = 7, kKeepFrames = 8, kTimeNanos = 9, kDurationNanos = 10, kPeriodType = 11,
  kPeriod = 12, kComment = 13, kDefaultSampleType = 14, kDocUrl = 15,
};

// The nested messages' field numbers, per message, named as in profile.proto.
namespace field {
struct ValueType {
  enum : uint64_t { kType = 1, kUnit = 2 };
};
struct Sample {
  enum : uint64_t { kLocationId = 1, kValue = 2, kLabel = 3 };
};
struct Label {
  enum : uint64_t { kKey = 1, kStr = 2, kNum = 3, kNumUnit = 4 };
};
struct Mapping {
  enum : uint64_t {
    kId = 1, kMemoryStart = 2, kMemoryLimit = 3, kFileOffset = 4, kFilename = 5, kBuildId = 6,
    kHasFunctions = 7, kHasFilenames = 8, kHasLineNumbers = 9, kHasInlineFrames = 10,
  };
};
struct Location {
  enum : uint64_t { kId = 1, kMappingId = 2, kAddress = 3, kLine = 4, kIsFolded = 5 };
};
struct Line {
  enum : uint64_t { kFunctionId = 1, kLine = 2, kColumn = 3 };
};
struct Function {
  enum : uint64_t { kId = 1, kName = 2, kSystemName = 3, kFilename = 4, kStartLine = 5 };
};
}  // namespace field

class Decoder {
 public:
  Decoder(std::string_view data, model::Profile& p, const Limits& limits) : data_(data), p_(p), limits_(limits) {}
  // A second decoder for some of parent's samples, on another thread: it
  // reads the parent's tables and writes only its own part of the arrays.
  Decoder(const Decoder& parent, model::Profile& p)
      : data_(parent.data_), p_(p), limits_(parent.limits_), strings_(parent.strings_),
        locations_(parent.locations_), values_fit_(parent.values_fit_) {}

  // On failure, error_ holds the reason (without the file name).
  bool run() {
    return scan_top_level() && resolve_header() && decode_pass1() && build_id_maps() &&
           decode_locations() && decode_samples() && check_sums();
  }
  // The same over bytes still arriving: the scan reads them as they come,
  // the other passes once all have come. False with stopped_short() when the
  // input stopped short of its announced size.
  bool run_arriving(io::ArrivingBytes& in) {
    arriving_ = &in;
    const bool scanned = scan_top_level();
    if (!stopped_short_ && in.wait_for(data_.size()) < data_.size()) stopped_short_ = true;
    return scanned && !stopped_short_ && resolve_header() && decode_pass1() && build_id_maps() &&
           decode_locations() && decode_samples() && check_sums();
  }
  // Only the scan, over the first bytes of a longer input: true unless those
  // bytes already fail.
  bool run_prefix() {
    prefix_only_ = true;
    return scan_top_level();
  }
  bool stopped_short() const { return stopped_short_; }
  const std::string& error() const { return error_; }
  bool empty_input() const { return empty_input_; }
  bool concatenated() const { return concatenated_; }

 private:
  bool fail(std::string msg) {
    error_ = std::move(msg);
    return false;
  }
  bool wire_fail(const WireReader& r, std::string_view where) {
    return fail(fmt::format("{}: malformed protobuf: {}", where, r.error()));
  }
  bool type_fail(std::string_view where, const Field& f) {
    return fail(fmt::format("{}: field {} has wire type {}, which profile.proto does not allow there",
                            where, f.number, f.type));
  }
  static bool int_field(const Field& f, int64_t* out) {
    if (f.type != kVarint) return false;
    *out = static_cast<int64_t>(f.u64);
    return true;
  }
  static bool uint_field(const Field& f, uint64_t* out) {
    if (f.type != kVarint) return false;
    *out = f.u64;
    return true;
  }
  // Repeated integer field, packed or not: calls add(value) for each.
  // `where` builds the error context only when there is an error.
  template <typename Where, typename Add>
  bool repeated_ints(const Field& f, Where where, Add add) {
    if (f.type == kVarint) {
      add(f.u64);
      return true;
    }
    if (f.type != kBytes) return type_fail(where(), f);
    WireReader r(f.bytes);
    while (!r.done()) {
      uint64_t v;
      if (!r.varint(&v)) return wire_fail(r, where());
      add(v);
    }
    return true;
  }
  // Maps a string-table index from the file to an interned id. `where` is a
  // string or a callable producing one (built only on error).
  template <typename Where>
  bool str(int64_t index, StrId* out, const Where& where) {
    const std::vector<StrId>& file_strings = *strings_;
    if (index < 0 || static_cast<uint64_t>(index) >= file_strings.size()) {
      if (file_strings.empty()) {
        return fail("it has no string table (a profile's string_table[0] must be \"\")");
      }
      return fail(fmt::format("{}: string index {} is out of range (the string table has {} entries)",
                              context(where), index, file_strings.size()));
    }
    *out = file_strings[static_cast<size_t>(index)];
    return true;
  }

  template <typename Where>
  static std::string context(const Where& where) {
    if constexpr (std::is_invocable_v<Where>) {
      return where();
    } else {
      return std::string(where);
    }
  }

  // Calls visit(field) for each top-level field; stops when visit returns false.
  // The structure was validated by scan_top_level.
  template <typename Visit>
  bool for_each_top_level(Visit visit) {
    WireReader r(data_);
    Field f;
    while (!r.done()) {
      r.next(&f);
      if (!visit(f)) return false;
    }
    return true;
  }

  void reserve_strings();
  bool scan_top_level();
  void count_sample_fields(std::string_view bytes);
  void count_location_lines(std::string_view bytes);
  bool resolve_header();
  bool decode_pass1();
  bool build_id_maps();
  bool decode_locations();
  bool decode_samples();
  bool decode_sample_range(size_t offset, size_t end_sample);
  bool decode_value_type(std::string_view bytes, int64_t* type, int64_t* unit, std::string_view where);
  bool decode_mapping(std::string_view bytes, size_t ordinal);
  bool decode_function(std::string_view bytes, size_t ordinal);
  bool decode_location(std::string_view bytes, size_t ordinal);
  bool decode_sample(std::string_view bytes, size_t ordinal);
  bool decode_label(std::string_view bytes, size_t sample);

  bool check_sums();

  std::string_view data_;
  model::Profile& p_;
  const Limits& limits_;
  std::string error_;
  bool empty_input_ = false;
  bool concatenated_ = false;
  io::ArrivingBytes* arriving_ = nullptr;
  bool prefix_only_ = false;
  bool stopped_short_ = false;

  std::vector<StrId> file_strings_;
  const std::vector<StrId>* strings_ = &file_strings_;  // the parent's in a second decoder
  const IdMap<model::LocationId>* locations_ = nullptr;
  bool values_fit_ = false;  // p_.values holds n x types
  // The part of the samples this decoder writes (decode_sample_range).
  struct Cursor {
    size_t sample = 0, location = 0, label = 0;
    uint64_t dropped_zero_labels = 0;
  } at_;
  // Every kCheckpointEvery-th sample, and the first after every
  // kCheckpointBytes of samples (deep stacks): where its field starts and
  // what the samples before it hold, so that a second thread can start there.
  static constexpr size_t kCheckpointEvery = 4096;
  static constexpr size_t kCheckpointBytes = size_t{1} << 20;
  struct Checkpoint {
    size_t offset = 0;
    size_t sample = 0, location_ids = 0, labels = 0;
  };
  std::vector<Checkpoint> checkpoints_;
  size_t counts_[6] = {};  // by TopField 1..5
  struct SampleCounts {
    size_t location_ids = 0, values = 0, labels = 0;
  } sample_counts_;
  size_t line_count_ = 0;  // Line messages of all locations
  int64_t drop_frames_ = 0, keep_frames_ = 0, default_sample_type_ = 0, doc_url_ = 0;
  int64_t period_type_type_ = 0, period_type_unit_ = 0;
  std::vector<int64_t> comments_;  // at most limits_.max_comments
  uint64_t comment_count_ = 0;
  std::vector<uint64_t> location_line_functions_;  // per line: the file's function id
  std::unique_ptr<IdMap<model::MappingId>> mapping_map_;
  std::unique_ptr<IdMap<model::FunctionId>> function_map_;
  std::unique_ptr<IdMap<model::LocationId>> location_map_;
};

// The number of string-table entries, from the fields themselves (never from
// a count in the file), so file_strings_ is allocated once. Malformed data
// (field number 0 included: zeros) stops the count; scan_top_level reports it.
void Decoder::reserve_strings() {
  WireReader r(data_);
  Field f;
  size_t count = 0;
  while (!r.done() && r.next(&f) && f.number != 0) count += f.number == kStringTable && f.type == kBytes;
  file_strings_.reserve(count);
  // The table itself is not reserved: `count` includes repeats, and the heap
  // bound (base/memory.h) counts reserved room whether it is used or not.
}

// Location ids, values and labels of one sample, exactly for valid samples
// (a packed field holds one varint per byte below 0x80), so that the arrays
// are reserved at their size: the heap bound counts reserved capacity.
// Malformed messages count what they hold until the error, which their
// decoding reports.
void Decoder::count_sample_fields(std::string_view bytes) {
  auto varints = [](const Field& f) -> size_t {
    if (f.type != kBytes) return 1;
    return static_cast<size_t>(
        std::count_if(f.bytes.begin(), f.bytes.end(), [](char b) { return static_cast<unsigned char>(b) < 0x80; }));
  };
  WireReader r(bytes);
  Field inner;
  while (!r.done() && r.next(&inner)) {
    if (inner.number == field::Sample::kLocationId) sample_counts_.location_ids += varints(inner);
    if (inner.number == field::Sample::kValue) sample_counts_.values += varints(inner);
    sample_counts_.labels += inner.number == field::Sample::kLabel && inner.type == kBytes;
  }
}

// The lines of one location, for the same exact reserve.
void Decoder::count_location_lines(std::string_view bytes) {
  WireReader r(bytes);
  Field inner;
  while (!r.done() && r.next(&inner)) line_count_ += inner.number == field::Location::kLine && inner.type == kBytes;
}

// One pass over the top-level fields: their structure, the string table,
// the scalars, and the counts the later passes reserve by. With arriving_,
// each field is read once its bytes have arrived; with prefix_only_, the
// pass stops without an error at the first field that runs past the data.
bool Decoder::scan_top_level() {
  if (data_.empty()) {
    empty_input_ = true;
    return fail("empty input file");
  }
  if (arriving_ == nullptr && !prefix_only_) reserve_strings();
  size_t available = arriving_ == nullptr ? data_.size() : 0;
  // Makes [0, end) readable; false if the input stopped short of it.
  auto arrived = [&](size_t end) {
    end = std::min(end, data_.size());
    if (end > available) available = arriving_->wait_for(end);
    if (available >= end) return true;
    stopped_short_ = true;
    return false;
  };
  constexpr size_t kLongestHeader = 21;  // a tag and a length (or a fixed64), 10 bytes each at most
  WireReader r(data_);
  Field f;
  bool time_seen_nonzero = false;
  while (!r.done()) {
    const size_t start = r.offset();
    if (arriving_ != nullptr && !arrived(start + kLongestHeader)) return false;
    if (!r.next(&f)) {
      if (prefix_only_ && r.truncated()) return true;  // the prefix ends inside this field
      return fail(fmt::format("malformed protobuf at byte {}: {}", r.offset(), r.error()));
    }
    if (f.number == 0) {
      // Reserved in protobuf and written by no encoder; pprof's decoder skips
      // it, which makes zeros (a gzip bomb's usual content) valid wire data.
      // pprofx's rule: refused, so that garbage fails at its first byte.
      return fail(fmt::format("malformed protobuf at byte {}: field number 0 (reserved; no encoder writes it)", start));
    }
    if (arriving_ != nullptr && f.type == kBytes && !arrived(r.offset())) return false;
    switch (f.number) {
      case kSampleType: case kMapping: case kFunction:
        if (f.type != kBytes) return type_fail("profile", f);
        ++counts_[f.number];
        break;
      case kSample:
        if (f.type != kBytes) return type_fail("profile", f);
        if (counts_[kSample] % kCheckpointEvery == 0 || start >= checkpoints_.back().offset + kCheckpointBytes) {
          checkpoints_.push_back({start, counts_[kSample], sample_counts_.location_ids, sample_counts_.labels});
        }
        ++counts_[f.number];
        count_sample_fields(f.bytes);
        break;
      case kLocation:
        if (f.type != kBytes) return type_fail("profile", f);
        ++counts_[f.number];
        count_location_lines(f.bytes);
        break;
      case kStringTable: {
        if (f.type != kBytes) return type_fail("profile", f);
        if (f.bytes.size() > limits_.max_string_bytes) {
          return fail(fmt::format("string {} is {} bytes long (limit {})", file_strings_.size(), f.bytes.size(),
                                  limits_.max_string_bytes));
        }
        if (file_strings_.empty() && !f.bytes.empty()) {
          return fail(fmt::format("string_table[0] must be \"\" but is \"{}\"",
                                  f.bytes.substr(0, 40)));
        }
        file_strings_.push_back(p_.strings.intern(f.bytes));
        break;
      }
      case kTimeNanos:
        // pprof detects two concatenated Profile messages by a second time_nanos.
        if (time_seen_nonzero) {
          concatenated_ = true;
          return fail("concatenated profiles detected (a second time_nanos field)");
        }
        if (!int_field(f, &p_.time_nanos)) return type_fail("profile", f);
        time_seen_nonzero = p_.time_nanos != 0;
        break;
      case kDropFrames: if (!int_field(f, &drop_frames_)) return type_fail("profile", f); break;
      case kKeepFrames: if (!int_field(f, &keep_frames_)) return type_fail("profile", f); break;
      case kDurationNanos: if (!int_field(f, &p_.duration_nanos)) return type_fail("profile", f); break;
      case kPeriod: if (!int_field(f, &p_.period)) return type_fail("profile", f); break;
      case kDefaultSampleType:
        if (!int_field(f, &default_sample_type_)) return type_fail("profile", f);
        break;
      case kDocUrl: if (!int_field(f, &doc_url_)) return type_fail("profile", f); break;
      case kPeriodType:
        if (f.type != kBytes) return type_fail("profile", f);
        period_type_type_ = period_type_unit_ = 0;
        if (!decode_value_type(f.bytes, &period_type_type_, &period_type_unit_, "period_type")) return false;
        break;
      case kComment:
        if (!repeated_ints(f, [] { return std::string("comment"); }, [&](uint64_t v) {
              if (comments_.size() < limits_.max_comments) comments_.push_back(static_cast<int64_t>(v));
              ++comment_count_;
            })) {
          return false;
        }
        if (comment_count_ > limits_.max_comments) {
          return fail(fmt::format("more than {} comments (limit {})", limits_.max_comments, limits_.max_comments));
        }
        break;
      default:
        break;  // unknown fields are skipped, as pprof does
    }
  }
  return true;
}

bool Decoder::resolve_header() {
  if (!str(drop_frames_, &p_.drop_frames, "drop_frames")) return false;
  if (!str(keep_frames_, &p_.keep_frames, "keep_frames")) return false;
  if (!str(period_type_type_, &p_.period_type.type, "period_type")) return false;
  if (!str(period_type_unit_, &p_.period_type.unit, "period_type")) return false;
  p_.comments.reserve(comments_.size());
  uint64_t comment_bytes = 0;
  for (size_t i = 0; i < comments_.size(); ++i) {
    StrId id;
    if (!str(comments_[i], &id, [i] { return fmt::format("comment {}", i); })) return false;
    comment_bytes += p_.str(id).size();
    if (comment_bytes > limits_.max_comment_bytes) {
      return fail(fmt::format("the comments hold more than {} bytes of text (limit {})", limits_.max_comment_bytes,
                              limits_.max_comment_bytes));
    }
    p_.comments.push_back(id);
  }
  std::vector<int64_t>().swap(comments_);
  if (!str(default_sample_type_, &p_.default_sample_type, "default_sample_type")) return false;
  if (!str(doc_url_, &p_.doc_url, "doc_url")) return false;
  return true;
}

bool Decoder::decode_value_type(std::string_view bytes, int64_t* type, int64_t* unit,
                                std::string_view where) {
  WireReader r(bytes);
  Field f;
  while (!r.done()) {
    if (!r.next(&f)) return wire_fail(r, where);
    if (f.number == field::ValueType::kType && !int_field(f, type)) return type_fail(where, f);
    if (f.number == field::ValueType::kUnit && !int_field(f, unit)) return type_fail(where, f);
  }
  return true;
}

// Sample types, mappings and functions.
bool Decoder::decode_pass1() {
  p_.sample_types.reserve(counts_[kSampleType]);
  p_.mappings.reserve(counts_[kMapping]);
  p_.functions.reserve(counts_[kFunction]);
  return for_each_top_level([&](const Field& f) {
    if (f.number == kSampleType) {
      const std::string where = fmt::format("sample_type {}", p_.sample_types.size());
      int64_t type = 0, unit = 0;
      model::ValueType vt;
      if (!decode_value_type(f.bytes, &type, &unit, where) || !str(type, &vt.type, where) ||
          !str(unit, &vt.unit, where)) {
        return false;
      }
      p_.sample_types.push_back(vt);
      return true;
    }
    if (f.number == kMapping) return decode_mapping(f.bytes, p_.mappings.size());
    if (f.number == kFunction) return decode_function(f.bytes, p_.functions.size());
    return true;
  });
}

bool Decoder::decode_mapping(std::string_view bytes, size_t ordinal) {
  const auto where = [ordinal] { return fmt::format("mapping {}", ordinal); };
  model::Mapping m;
  int64_t filename = 0, build_id = 0;
  WireReader r(bytes);
  Field f;
  bool ok = true;
  while (ok && !r.done()) {
    if (!r.next(&f)) return wire_fail(r, where());
    uint64_t b = 0;
    switch (f.number) {
      case field::Mapping::kId: ok = uint_field(f, &m.file_id); break;
      case field::Mapping::kMemoryStart: ok = uint_field(f, &m.memory_start); break;
      case field::Mapping::kMemoryLimit: ok = uint_field(f, &m.memory_limit); break;
      case field::Mapping::kFileOffset: ok = uint_field(f, &m.file_offset); break;
      case field::Mapping::kFilename: ok = int_field(f, &filename); break;
      case field::Mapping::kBuildId: ok = int_field(f, &build_id); break;
      case field::Mapping::kHasFunctions: ok = uint_field(f, &b); m.has_functions = b != 0; break;
      case field::Mapping::kHasFilenames: ok = uint_field(f, &b); m.has_filenames = b != 0; break;
      case field::Mapping::kHasLineNumbers: ok = uint_field(f, &b); m.has_line_numbers = b != 0; break;
      case field::Mapping::kHasInlineFrames: ok = uint_field(f, &b); m.has_inline_frames = b != 0; break;
      default: break;
    }
  }
  if (!ok) return type_fail(where(), f);
  if (!str(filename, &m.filename, where) || !str(build_id, &m.build_id, where)) return false;
  p_.mappings.push_back(m);
  return true;
}

bool Decoder::decode_function(std::string_view bytes, size_t ordinal) {
  const auto where = [ordinal] { return fmt::format("function {}", ordinal); };
  model::Function fn;
  int64_t name = 0, system_name = 0, filename = 0;
  WireReader r(bytes);
  Field f;
  bool ok = true;
  while (ok && !r.done()) {
    if (!r.next(&f)) return wire_fail(r, where());
    switch (f.number) {
      case field::Function::kId: ok = uint_field(f, &fn.file_id); break;
      case field::Function::kName: ok = int_field(f, &name); break;
      case field::Function::kSystemName: ok = int_field(f, &system_name); break;
      case field::Function::kFilename: ok = int_field(f, &filename); break;
      case field::Function::kStartLine: ok = int_field(f, &fn.start_line); break;
      default: break;
    }
  }
  if (!ok) return type_fail(where(), f);
  if (!str(name, &fn.name, where) || !str(system_name, &fn.system_name, where) ||
      !str(filename, &fn.filename, where)) {
    return false;
  }
  p_.functions.push_back(fn);
  return true;
}

// pprof's CheckValid rules for mapping and function ids: nonzero and unique.
bool Decoder::build_id_maps() {
  mapping_map_ = std::make_unique<IdMap<model::MappingId>>(p_.mappings.size());
  for (uint32_t i = 0; i < p_.mappings.size(); ++i) {
    const uint64_t id = p_.mappings[i].file_id;
    if (id == 0) return fail(fmt::format("mapping {}: id 0 is reserved", i));
    if (!mapping_map_->insert(id, model::MappingId(i))) return fail(fmt::format("mapping id {} is defined twice", id));
  }
  function_map_ = std::make_unique<IdMap<model::FunctionId>>(p_.functions.size());
  for (uint32_t i = 0; i < p_.functions.size(); ++i) {
    const uint64_t id = p_.functions[i].file_id;
    if (id == 0) return fail(fmt::format("function {}: id 0 is reserved", i));
    if (!function_map_->insert(id, model::FunctionId(i))) return fail(fmt::format("function id {} is defined twice", id));
  }
  return true;
}

bool Decoder::decode_locations() {
  p_.locations.reserve(counts_[kLocation]);
  p_.lines.reserve(line_count_);
  location_map_ = std::make_unique<IdMap<model::LocationId>>(counts_[kLocation]);
  return for_each_top_level(
      [&](const Field& f) { return f.number != kLocation || decode_location(f.bytes, p_.locations.size()); });
}

bool Decoder::decode_location(std::string_view bytes, size_t ordinal) {
  model::Location loc;
  loc.lines_begin = static_cast<uint32_t>(p_.lines.size());
  uint64_t mapping_id = 0;
  WireReader r(bytes);
  Field f;
  auto where = [&] { return fmt::format("location {} (id {})", ordinal, loc.file_id); };
  while (!r.done()) {
    if (!r.next(&f)) return wire_fail(r, where());
    bool ok = true;
    uint64_t b = 0;
    switch (f.number) {
      case field::Location::kId: ok = uint_field(f, &loc.file_id); break;
      case field::Location::kMappingId: ok = uint_field(f, &mapping_id); break;
      case field::Location::kAddress: ok = uint_field(f, &loc.address); break;
      case field::Location::kIsFolded: ok = uint_field(f, &b); loc.is_folded = b != 0; break;
      case field::Location::kLine: {
        if (f.type != kBytes) return type_fail(where(), f);
        model::Line line;
        uint64_t function_id = 0;
        WireReader lr(f.bytes);
        Field lf;
        while (!lr.done()) {
          if (!lr.next(&lf)) return wire_fail(lr, where());
          bool lok = true;
          if (lf.number == field::Line::kFunctionId) lok = uint_field(lf, &function_id);
          if (lf.number == field::Line::kLine) lok = int_field(lf, &line.line);
          if (lf.number == field::Line::kColumn) lok = int_field(lf, &line.column);
          if (!lok) return type_fail(where(), lf);
        }
        line.function = function_map_->find(function_id);
        if (line.function == kNone) {
          return fail(fmt::format("{}: line {} references function id {}, which does not exist", where(),
                                  p_.lines.size() - loc.lines_begin, function_id));
        }
        p_.lines.push_back(line);
        break;
      }
      default: break;
    }
    if (!ok) return type_fail(where(), f);
  }
  loc.lines_count = static_cast<uint32_t>(p_.lines.size() - loc.lines_begin);
  if (mapping_id != 0) {
    loc.mapping = mapping_map_->find(mapping_id);
    if (loc.mapping == kNone) ++p_.dangling_mapping_refs;  // pprof drops it silently
  }
  if (loc.file_id == 0) return fail(fmt::format("location {}: id 0 is reserved", ordinal));
  const model::LocationId index = p_.locations.next_id();
  if (!location_map_->insert(loc.file_id, index)) {
    return fail(fmt::format("location id {} is defined twice", loc.file_id));
  }
  p_.locations.push_back(loc);
  return true;
}

// Samples are decoded into arrays sized by the scan's exact counts, each
// sample at its place, so that with enough of them a second thread decodes
// the second half (from a checkpoint) while this one decodes the first.
bool Decoder::decode_samples() {
  const size_t n = counts_[kSample];
  if (n > 0 && p_.sample_types.empty()) {
    return fail("the profile has samples but no sample_type (missing sample type information)");
  }
  if (n > limits_.max_samples) {
    return fail(fmt::format("{} samples (limit {})", n, limits_.max_samples));
  }
  locations_ = location_map_.get();
  p_.samples.resize(n);
  // Each valid sample has one value per type, so the scan's count is n x
  // types; any other count means some sample is not valid (its decoding
  // says which), and values are then only counted.
  values_fit_ = sample_counts_.values == n * p_.num_types();
  if (values_fit_) p_.values.resize(sample_counts_.values);
  p_.sample_locations.resize(sample_counts_.location_ids);
  p_.labels.resize(sample_counts_.labels);
  // Enough samples, or location ids (deep stacks), for a second thread: it
  // starts at the checkpoint nearest half the location ids.
  constexpr size_t kParallelSamples = 64 * 1024, kParallelLocationIds = size_t{1} << 20;
  const Checkpoint* split = nullptr;
  if ((n >= kParallelSamples || sample_counts_.location_ids >= kParallelLocationIds) && checkpoints_.size() >= 2 &&
      limits_.threads >= 2 && std::thread::hardware_concurrency() >= 2) {
    const size_t half = sample_counts_.location_ids / 2;
    split = &checkpoints_[1];
    for (const Checkpoint& c : checkpoints_) {
      const auto distance = [half](size_t ids) { return ids > half ? ids - half : half - ids; };
      if (c.sample > 0 && distance(c.location_ids) < distance(split->location_ids)) split = &c;
    }
  }
  bool ok = true;
  if (split == nullptr) {
    ok = decode_sample_range(0, n);
  } else {
    Decoder second(*this, p_);
    second.at_ = {split->sample, split->location_ids, split->labels, 0};
    bool second_ok = true;
    std::thread t([&] { second_ok = second.decode_sample_range(split->offset, n); });
    ok = decode_sample_range(0, split->sample);
    t.join();
    // The first error in sample order is the one a single pass reports.
    if (ok && !second_ok) ok = fail(second.error_);
    if (ok) {
      // Labels the first part dropped (numeric 0, no unit) leave a gap.
      const size_t gap = split->labels - at_.label;
      if (gap != 0) {
        std::copy(p_.labels.begin() + static_cast<ptrdiff_t>(split->labels),
                  p_.labels.begin() + static_cast<ptrdiff_t>(second.at_.label),
                  p_.labels.begin() + static_cast<ptrdiff_t>(at_.label));
        for (size_t i = split->sample; i < n; ++i) p_.samples[i].labels_begin -= static_cast<uint32_t>(gap);
      }
      at_.label = second.at_.label - gap;
      at_.location = second.at_.location;
      at_.dropped_zero_labels += second.at_.dropped_zero_labels;
    }
  }
  if (!ok) return false;
  p_.labels.resize(at_.label);
  p_.dropped_zero_labels += at_.dropped_zero_labels;
  return true;
}

// The samples from the top-level field at offset up to sample end_sample,
// at at_ onwards.
bool Decoder::decode_sample_range(size_t offset, size_t end_sample) {
  WireReader r(data_, offset);
  Field f;
  while (at_.sample < end_sample && !r.done()) {
    r.next(&f);  // validated by the scan
    if (f.number == kSample && !decode_sample(f.bytes, at_.sample)) return false;
  }
  return true;
}

bool Decoder::decode_sample(std::string_view bytes, size_t ordinal) {
  model::Sample& s = p_.samples[ordinal];
  s.locations_begin = static_cast<uint32_t>(at_.location);
  s.labels_begin = static_cast<uint32_t>(at_.label);
  const size_t types = p_.num_types();
  int64_t* values = values_fit_ ? p_.values.data() + ordinal * types : nullptr;
  size_t nvalues = 0;
  WireReader r(bytes);
  Field f;
  bool missing = false;
  uint64_t missing_id = 0;
  const auto where = [ordinal] { return fmt::format("sample {}", ordinal); };
  while (!r.done()) {
    if (!r.next(&f)) return wire_fail(r, where());
    switch (f.number) {
      case field::Sample::kLocationId:
        if (!repeated_ints(f, where, [&](uint64_t id) {
              const model::LocationId loc = locations_->find(id);
              if (loc == kNone && !missing) {
                missing = true;
                missing_id = id;
              }
              p_.sample_locations[at_.location++] = loc;  // within the scan's exact count
            })) {
          return false;
        }
        break;
      case field::Sample::kValue:
        if (!repeated_ints(f, where, [&](uint64_t v) {
              if (values != nullptr && nvalues < types) values[nvalues] = static_cast<int64_t>(v);
              ++nvalues;
            })) {
          return false;
        }
        break;
      case field::Sample::kLabel:
        if (f.type != kBytes) return type_fail(where(), f);
        if (!decode_label(f.bytes, ordinal)) return false;
        break;
      default:
        break;
    }
  }
  if (missing) {
    return fail(fmt::format("sample {}: location id {} does not exist", ordinal, missing_id));
  }
  if (at_.location - s.locations_begin > limits_.max_stack_depth) {
    return fail(fmt::format("sample {}: a stack of {} frames (limit {})", ordinal, at_.location - s.locations_begin,
                            limits_.max_stack_depth));
  }
  if (at_.label - s.labels_begin > limits_.max_labels_per_sample) {
    return fail(fmt::format("sample {}: {} labels (limit {})", ordinal, at_.label - s.labels_begin,
                            limits_.max_labels_per_sample));
  }
  if (nvalues != types) {
    return fail(fmt::format("sample {}: has {} values but the profile has {} sample types", ordinal, nvalues,
                            types));
  }
  s.locations_count = static_cast<uint32_t>(at_.location - s.locations_begin);
  s.labels_count = static_cast<uint32_t>(at_.label - s.labels_begin);
  ++at_.sample;
  return true;
}

bool Decoder::check_sums() {
  if (std::string e = model::value_sums_error(p_); !e.empty()) return fail(e);
  return true;
}

bool Decoder::decode_label(std::string_view bytes, size_t sample) {
  int64_t key = 0, str_index = 0, num = 0, unit = 0;
  WireReader r(bytes);
  Field f;
  const auto where = [sample] { return fmt::format("sample {}: label", sample); };
  while (!r.done()) {
    if (!r.next(&f)) return wire_fail(r, where());
    bool ok = true;
    if (f.number == field::Label::kKey) ok = int_field(f, &key);
    if (f.number == field::Label::kStr) ok = int_field(f, &str_index);
    if (f.number == field::Label::kNum) ok = int_field(f, &num);
    if (f.number == field::Label::kNumUnit) ok = int_field(f, &unit);
    if (!ok) return type_fail(where(), f);
  }
  model::Label label;
  if (!str(key, &label.key, where)) return false;
  if (str_index != 0) {
    if (!str(str_index, &label.str, where)) return false;
  } else if (num != 0 || unit != 0) {
    label.num = num;
    if (unit != 0 && !str(unit, &label.num_unit, where)) return false;
  } else {
    ++at_.dropped_zero_labels;  // pprof drops a numeric label of 0 with no unit
    return true;
  }
  p_.labels[at_.label++] = label;  // within the scan's exact count
  return true;
}

}  // namespace

namespace {

// What the input is when it is not a profile at all, said plainly (the
// sniffer decides); nothing when it looks like a damaged profile.proto.
std::optional<Error> not_a_profile(std::string_view bytes, std::string_view name) {
  const std::string_view first = bytes.substr(0, std::min(bytes.find('\n'), size_t{60}));
  switch (sniff(bytes).kind) {
    case InputKind::kHtml:
      return Error{fmt::format("{}: not a profile: an HTML page (\"{}\"); profiles are served at paths such as "
                               "/debug/pprof/profile and /debug/pprof/heap",
                               name, first)};
    case InputKind::kGoTrace:
      return Error{fmt::format("{}: not a profile: a Go execution trace (read it with go tool trace)", name)};
    case InputKind::kExpvar:
      return Error{fmt::format("{}: not a profile: Go's expvar variables (/debug/vars), JSON to read with jq or a "
                               "browser; profiles are served at /debug/pprof/profile, /debug/pprof/heap and the like",
                               name)};
    case InputKind::kCommandLine:
      return Error{fmt::format("{}: not a profile: a program's command line (/debug/pprof/cmdline: its arguments "
                               "separated by NUL bytes; tr '\\0' ' ' < FILE shows it)",
                               name)};
    case InputKind::kSpeedscope:
      return Error{fmt::format("{}: a speedscope document: pprofx writes speedscope JSON (pprofx convert) but reads "
                               "pprof profiles and folded stacks",
                               name)};
    case InputKind::kFolded:
      return Error{fmt::format("{}: not a pprof profile: it is text (\"{}\"), neither profile.proto nor one of "
                               "pprof's legacy text formats",
                               name, first)};
    default:
      return std::nullopt;
  }
}

}  // namespace

namespace {

// decode_profile, optionally offering non-protobuf input to the legacy parsers.
Result<model::Profile> decode(std::string_view bytes, std::string_view name, const Limits& limits, bool legacy,
                              const ReadOptions& read) {
  // Text stacks cannot be profile.proto: read them as such before the wire reader sees them.
  const Sniffed what = sniff(bytes);
  if (what.kind == InputKind::kGoroutineDump) {
    if (legacy) return parse_goroutine_dump(bytes, name, limits);
    return Error{fmt::format("{}: this is a Go goroutine dump, not profile.proto", name)};
  }
  model::Profile profile;
  Decoder decoder(bytes, profile, limits);
  if (decoder.run()) return profile;
  if (decoder.empty_input()) return Error{fmt::format("{}: empty input (no profile data)", name)};
  if (decoder.concatenated()) return Error{fmt::format("{}: {}", name, decoder.error())};
  // Like pprof, anything that is not a valid profile.proto is offered to the
  // legacy parsers; the protobuf error is reported only if none claims it.
  if (legacy) {
    if (auto parsed = legacy::parse_legacy(bytes, name, read.dump_symbols)) return std::move(*parsed);
  } else if (what.kind == InputKind::kLegacy) {
    return Error{fmt::format("{}: this is a legacy {}, not profile.proto", name, what.legacy_name)};
  }
  if (auto refused = not_a_profile(bytes, name)) return *refused;
  return Error{fmt::format("{}: not a valid pprof profile: {}", name, decoder.error())};
}

}  // namespace

Result<model::Profile> decode_profile(std::string_view bytes, std::string_view name, const Limits& limits) {
  return decode(bytes, name, limits, false, {});
}

Result<model::Profile> decode_any(std::string_view bytes, std::string_view name, const Limits& limits,
                                  const ReadOptions& read) {
  return decode(bytes, name, limits, true, read);
}

std::optional<std::string> early_refusal(std::string_view prefix, const Limits& limits) {
  if (prefix.size() < kEarlyPrefix || sniff(prefix).kind != InputKind::kProfileProto) return std::nullopt;
  model::Profile scratch;
  Decoder decoder(prefix, scratch, limits);
  if (decoder.run_prefix()) return std::nullopt;
  // What decode says of the whole input: for binary data that is not a
  // legacy format, the protobuf error.
  if (decoder.concatenated()) return decoder.error();
  return "not a valid pprof profile: " + decoder.error();
}

std::optional<Error> refuse_early(std::string_view prefix, std::string_view name, const Limits& limits) {
  if (auto why = early_refusal(prefix, limits)) return Error{fmt::format("{}: {}", name, *why)};
  return std::nullopt;
}

std::optional<Result<model::Profile>> decode_arriving(io::ArrivingBytes& in, std::string_view name,
                                                      const Limits& limits, const ReadOptions& read) {
  const std::string_view bytes = in.bytes();
  const size_t head = std::min(bytes.size(), kEarlyPrefix);
  if (in.wait_for(head) < head) return std::nullopt;
  if (bytes.size() >= kEarlyPrefix && sniff(bytes.substr(0, head)).kind == InputKind::kProfileProto) {
    model::Profile profile;
    Decoder decoder(bytes, profile, limits);
    if (decoder.run_arriving(in)) return Result<model::Profile>(std::move(profile));
    if (decoder.stopped_short()) return std::nullopt;
    // Complete but not valid: the usual path says what is wrong (legacy
    // formats included), as for any input.
  } else if (in.wait_for(bytes.size()) < bytes.size()) {
    return std::nullopt;
  }
  return decode(bytes, name, limits, true, read);
}

}  // namespace pprofx::decode
