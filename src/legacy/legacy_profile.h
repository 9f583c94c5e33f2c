// The in-between form pprof's legacy parsers fill (profile/legacy_profile.go):
// samples point at locations, locations at mappings and functions, by index.
// parse_* functions build one; to_model() turns it into a model::Profile with
// the ids pprof would assign (first use in samples order).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "pprofx/model/profile.h"

namespace pprofx::legacy {

struct LMapping {
  uint64_t start = 0, limit = 0, offset = 0;
  std::string file, build_id;
};

struct LFunction {
  std::string name, filename;
};

// A frame a Go debug=1 dump names in its "#" lines.
struct LDumpFrame {
  int function = -1;  // index into functions
  int64_t line = 0;
};

struct LLocation {
  uint64_t address = 0;
  int mapping = -1;        // index into mappings, -1: none
  int function = -1;       // the one line of Java locations, -1: none
  int64_t line = 0;
  // Go debug=1: the "#\t0xPC\tF+0xOFF\tFILE:LINE" lines of this address, innermost first (inlined calls
  // share a PC); dump_named is set by any "#" line of the address, even one without a name.
  std::vector<LDumpFrame> dump_frames;
  bool dump_named = false;
  size_t dump_sample = 0;  // the sample whose block named it (the frames of an address are read once)
};

struct LSample {
  std::vector<int> locations;  // leaf first
  std::vector<int64_t> values;
  std::optional<int64_t> bytes_label;  // numeric label "bytes" of heap samples
  std::vector<std::pair<std::string, std::string>> labels;  // a Go debug=1 dump's "# labels: {...}"
};

struct LProfile {
  std::vector<std::pair<std::string, std::string>> sample_types;  // type, unit
  std::pair<std::string, std::string> period_type;
  int64_t period = 0;
  int64_t duration_nanos = 0;
  std::vector<LSample> samples;
  std::vector<LLocation> locations;
  std::vector<LFunction> functions;
  std::vector<LMapping> mappings;
  std::string drop_frames, keep_frames;

  std::unordered_map<std::string, int> dump_function_of;  // "name\0file" -> index into functions
  bool use_dump_frames = false;  // to_model: lines from dump_frames, string labels from LSample::labels

  // The location for `address`, created on first use (pprof's `locs` map).
  int location_for(uint64_t address);
  std::unordered_map<uint64_t, int> by_address;
};

// Outcome of one legacy parser: not this format (try the next), a failure
// pprof reports, or a profile.
struct Parsed {
  enum Kind { kUnrecognized, kError, kOk } kind = kUnrecognized;
  std::string error;  // for kError, pprof's text
  LProfile profile;

  static Parsed unrecognized() { return {}; }
  static Parsed fail(std::string e) {
    Parsed p;
    p.kind = kError;
    p.error = std::move(e);
    return p;
  }
};

// Lines as Go's bufio.Scanner yields them: split at '\n', one trailing '\r'
// dropped, no empty token after a final newline, lines of 64 KiB or more
// are an error ("bufio.Scanner: token too long").
class Scanner {
 public:
  explicit Scanner(std::string_view b) : b_(b) {}
  bool scan();
  std::string_view text() const { return line_; }
  bool failed() const { return too_long_; }
  std::string_view rest() const { return b_.substr(pos_); }
  size_t number() const { return number_; }  // of the line scan() read last (or the one too long), from 1
  static constexpr std::string_view kTooLong = "bufio.Scanner: token too long";

 private:
  std::string_view b_;
  size_t pos_ = 0, number_ = 0;
  std::string_view line_;
  bool too_long_ = false;
};

std::string_view trim_space(std::string_view s);
bool is_space_or_comment(std::string_view line);
bool is_memory_map_sentinel(std::string_view line);
// Go's strconv.ParseInt(s, base, 64) / ParseUint for the bases pprof uses
// (10, 16 and 0, which reads 0x / 0o / 0b / leading-0 octal prefixes).
bool go_parse_int(std::string_view s, int base, int64_t* out);
bool go_parse_uint(std::string_view s, int base, uint64_t* out);
// Every 0x... number in s (pprof's hexNumberRE); false when one overflows.
bool parse_hex_addresses(std::string_view s, std::vector<uint64_t>* out, std::string* bad);
// Go's float64 -> int64 conversion as amd64 does it: out of range gives MinInt64.
int64_t go_float_to_int(double v);
// pprof's scaleHeapSample: un-sample a heap v2 sample taken at `rate`.
std::pair<int64_t, int64_t> scale_heap_sample(int64_t count, int64_t size, int64_t rate);

// The memory map that may follow a legacy profile, appended to p's mappings,
// then pprof's massageMappings, remapLocationIDs and remapMappingIDs.
// Both return pprof's error text (Scanner::kTooLong for a 64 KiB line), or ""
// on success; pprofx also refuses a line that $attr substitution blows up.
std::string parse_memory_map(Scanner& s, LProfile& p);
// pprof's parseAdditionalSections: skip to the memory-map sentinel, then parse it.
std::string parse_additional_sections(Scanner& s, LProfile& p);
// remapLocationIDs + remapMappingIDs without a new memory map (Java formats).
std::string finish_without_map(LProfile& p);  // error text or ""
// cleanupDuplicateLocations: drop a leaf duplicated as leaf+1 below it.
void cleanup_duplicate_locations(LProfile& p);

Parsed parse_cpu(std::string_view b);          // gperftools binary; Java variant too
Parsed parse_heap(std::string_view b);
Parsed parse_go_count(std::string_view b);
// A "#" line after sample `sample` of a Go count profile (debug=1): "# labels: {...}" or a frame.
void read_dump_comment(std::string_view line, size_t sample, LProfile& p);
// What pprofx adds to pprof's reading of a debug=1 dump when no binary is given: the names, files and
// lines of its "#" lines; the addresses Go's dump does not name (the runtime's leading frames and
// runtime.goexit, which it hides) left out of the stacks; the "# labels:" as string labels.
// use = false: pprof's reading, what read_dump_comment added dropped.
void use_dump_frames(LProfile& p, bool use);
Parsed parse_thread(std::string_view b);
Parsed parse_contention(std::string_view b);
Parsed parse_java_profile(std::string_view b);  // heapz / contentionz text
// The symbol table after Java samples: fills lines of the locations it names
// (then pprof's ID remapping). Returns pprof's error text, or "".
std::string parse_java_locations(std::string_view b, LProfile& p);
// pprof's Aggregate(address=false) on Java profiles: every address becomes 0.
void strip_java_addresses(LProfile& p);

model::Profile to_model(const LProfile& p);

}  // namespace pprofx::legacy
