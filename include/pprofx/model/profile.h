// The decoded profile: flat arrays indexed by dense ids, strings interned.
//
// The file's own 64-bit ids are kept (`file_id`) for messages and so that
// encode writes them back as they were; no reference inside the model uses
// them: every one is a dense typed id into the owning vector.
// Not immutable: decode (or legacy) builds a Profile, merge makes a new one, and
// symbolize edits one in place (appends strings, functions, lines and perhaps a
// mapping, points locations at their new lines, sets mapping flags and names;
// vectors may reallocate, so keep indices, not pointers, across it). Stages after
// symbolize (fold, report, render, encode) only read it: filters are Views over it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "pprofx/base/id.h"
#include "pprofx/model/string_table.h"

namespace pprofx::model {

// Dense ids, one type per array they index (Profile::mappings, functions,
// locations, lines): an id of one kind does not convert to another.
using MappingId = Id<struct MappingTag>;
using FunctionId = Id<struct FunctionTag>;
using LocationId = Id<struct LocationTag>;
using LineId = Id<struct LineTag>;
// No mapping (or function, location): converts to and compares with each id type.
inline constexpr NoId kNone = kNoId;

struct ValueType {
  StrId type = kEmptyStr;
  StrId unit = kEmptyStr;
};

struct Mapping {
  uint64_t file_id = 0;
  uint64_t memory_start = 0;
  uint64_t memory_limit = 0;
  uint64_t file_offset = 0;
  StrId filename = kEmptyStr;
  StrId build_id = kEmptyStr;
  bool has_functions = false;
  bool has_filenames = false;
  bool has_line_numbers = false;
  bool has_inline_frames = false;
};

struct Function {
  uint64_t file_id = 0;
  StrId name = kEmptyStr;
  StrId system_name = kEmptyStr;
  StrId filename = kEmptyStr;
  int64_t start_line = 0;
};

// One frame of a location. Index 0 of a location's lines is the innermost
// (inlined) frame; the last one is the outermost caller.
struct Line {
  FunctionId function = kNone;
  int64_t line = 0;
  int64_t column = 0;
};

struct Location {
  uint64_t file_id = 0;
  uint64_t address = 0;
  MappingId mapping = kNone;  // kNone: no mapping (or one the file did not define)
  uint32_t lines_begin = 0;  // into Profile::lines
  uint32_t lines_count = 0;
  bool is_folded = false;
  bool is_label_frame = false;  // made by add_label_frames (--tagroot/--tagleaf), not read from the file
};
static_assert(sizeof(Location) == 32, "a location is 32 bytes: millions of them are held");

// A label with str != 0 is a string label; otherwise a numeric one.
// (Labels pprof drops on decode, num == 0 without unit, are not stored.)
struct Label {
  StrId key = kEmptyStr;
  StrId str = kEmptyStr;
  int64_t num = 0;
  StrId num_unit = kEmptyStr;
};

struct Sample {
  uint32_t locations_begin = 0;  // into Profile::sample_locations; [0] is the leaf
  uint32_t locations_count = 0;
  uint32_t labels_begin = 0;  // into Profile::labels
  uint32_t labels_count = 0;
};

struct Profile {
  StringTable strings;
  std::vector<ValueType> sample_types;
  std::vector<Sample> samples;
  std::vector<int64_t> values;            // samples.size() x sample_types.size(), row-major
  std::vector<LocationId> sample_locations;  // location indices of all samples
  std::vector<Label> labels;                 // labels of all samples
  IdVector<MappingId, Mapping> mappings;
  IdVector<LocationId, Location> locations;
  IdVector<LineId, Line> lines;  // lines of all locations
  IdVector<FunctionId, Function> functions;

  StrId drop_frames = kEmptyStr;
  StrId keep_frames = kEmptyStr;
  int64_t time_nanos = 0;
  int64_t duration_nanos = 0;
  ValueType period_type;
  int64_t period = 0;
  std::vector<StrId> comments;
  StrId default_sample_type = kEmptyStr;
  StrId doc_url = kEmptyStr;

  // Soft problems pprof accepts silently; counted, reported in one line.
  uint64_t dangling_mapping_refs = 0;  // locations whose mapping id is undefined
  uint64_t dropped_zero_labels = 0;    // numeric labels with num 0 and no unit

  std::string_view str(StrId id) const { return strings.str(id); }
  size_t num_types() const { return sample_types.size(); }
  std::span<const int64_t> sample_values(size_t s) const {
    return {values.data() + s * num_types(), num_types()};
  }
  std::span<const LocationId> stack(const Sample& s) const {
    return {sample_locations.data() + s.locations_begin, s.locations_count};
  }
  std::span<const Line> location_lines(const Location& l) const {
    return {lines.data() + l.lines_begin, l.lines_count};
  }
  std::span<const Label> sample_labels(const Sample& s) const {
    return {labels.data() + s.labels_begin, s.labels_count};
  }
};

// pprofx's rule on top of pprof's: the absolute values of each sample type
// must add up within int64, so every sum pprofx forms (totals, flat, cum,
// trie nodes, positions) fits. "" if they do; else what overflows, e.g.
// "sample type 1 (cpu): the values add up past the int64 range (sample 3)".
std::string value_sums_error(const Profile& p);

// pprof's -divide_by as its -proto output applies it: every sample value v
// becomes int64(v / divide_by), truncated (model::divided). "" if the values
// still fit (and add up within int64, as above); else what does not.
std::string divide_values(Profile& p, double divide_by);

}  // namespace pprofx::model
