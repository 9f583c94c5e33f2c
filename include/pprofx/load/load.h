// The load stage: sources (files, stdin, URLs) -> decoded, merged,
// symbolized profiles, or folded stacks. One entry point per shape of input,
// taking a plain options struct; the caller (the CLI) shows what it reports.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/fold/prepare.h"
#include "pprofx/fold/stack_trie.h"
#include "pprofx/io/input.h"
#include "pprofx/model/label_frames.h"
#include "pprofx/model/profile.h"
#include "pprofx/symbolize/symbolize.h"

namespace pprofx::load {

// What loading says on the way; each callback may be empty (then nothing is said).
struct Diagnostics {
  std::function<void(const std::string&)> warning;   // one line, without "pprofx: warning: "
  std::function<void(const std::string&)> notice;    // one line ("saved profile in ...")
  std::function<void(const std::string&)> progress;  // the fetch progress line; "" erases it
};

struct Options {
  uint64_t max_size = io::kDefaultMaxInflated;  // decompressed bytes per input
  unsigned threads = 0;                  // decoding threads for several inputs (0: one per core)
  // A single large gzip input is inflated on a second thread while it is
  // decoded (io::InflatingBuffer), when threads allows two.
  bool decode_while_inflating = true;
  std::string symbolize = "auto";        // auto | none | force, or pprof's -symbolize= words
  std::string demangle;                  // "" (pprof's default) | default | templates | full | none
  std::vector<std::string> binary_path;  // searched before PPROF_BINARY_PATH
  std::string binary;                    // the main binary (mapping 0)
  int seconds = 0;                       // URLs: CPU profile duration (?seconds=N)
  double timeout = 0;                    // URLs: seconds (0: pprof's default)
  std::string save_dir;                  // keep fetched profiles here, named as pprof does
  bool keep_fetched = false;             // Source::fetched also without save_dir (baseline save)
  model::LabelFrames label_frames;       // --tagroot / --tagleaf: pseudo frames added once loaded
  double divide_by = 1;                  // --divide-by for stack outputs: every sample value divided once loaded
  Diagnostics diag;
};

// o.threads, or the number of cores when it is 0.
unsigned thread_count(const Options& o);

// The threads one profile's decode or graph build uses: at most 2 (their
// parallel parts split in two), 1 with --threads 1.
unsigned graph_threads(const Options& o);

// pprof's -symbolize words and --demangle, checked; errors name the option.
Result<symbolize::Options> symbolize_options(const Options& o);

// The bytes of one input: a file, "-" (stdin), or a URL (pprof's rules, see
// io::profile_url; a path that exists is always a file). Decompressed.
struct Source {
  std::string name;     // the path, "<stdin>", or the full URL
  io::ProfileBytes bytes;
  std::string fetched;  // a URL's response as received, with save_dir or keep_fetched; else empty
  bool url = false;     // fetched from a URL (name is the full URL)
};
// progress: report fetch progress through o.diag.progress (single inputs only).
// stream: a large gzip input may be left inflating in bytes.arriving (the
// load functions decode it while it inflates); else bytes.data holds it.
Result<Source> read_source(const std::string& path, const Options& o, bool progress, bool stream = false);

// With o.save_dir, writes a fetched profile as pprof names saved profiles:
// DIR/pprof.<binary>.<sample types>.NNN.pb.gz, and says where (notice).
// Returns the path written ("" when nothing was).
std::string save_fetched(const Source& src, const model::Profile& p, const Options& o);

// The name --save gives p without its number and extension:
// "pprof.<binary>.<sample types>." (the binary's base name when the main
// mapping has one). Every character that is unsafe in a file name (control
// characters, space and / \ : * ? " < > |) is '_', so it is one file name
// component, never hidden, "." or ".."; at most 245 bytes (cut before a
// UTF-8 continuation byte), so "NNNN.pb.gz" still fits NAME_MAX. Graphs of
// fetched profiles are named from it too (io::fetched_output_path).
std::string save_name_prefix(const model::Profile& p);

struct InputInfo {
  std::string name;         // as given, "<stdin>", the URL, or "N profiles"
  uint64_t file_bytes = 0;  // bytes as read (summed over merged inputs)
  bool gzipped = false;
  uint64_t raw_bytes = 0;   // decompressed
};

struct Loaded {
  model::Profile profile;
  InputInfo input;
};

// One input: read, decoded (profile.proto or a legacy format), symbolized.
Result<Loaded> load_profile(const std::string& path, const Options& o);

// Two profiles kept apart (diff's BASE and NEW): when both are files and two
// threads are allowed, decoded at once, each one's warnings and notices
// replayed in order (first's, then second's); an error is the first's if it
// failed, else the second's, as if they were loaded one after the other.
Result<std::pair<Loaded, Loaded>> load_pair(const std::string& first, const std::string& second, const Options& o);

// The same two taken one at a time, second first, so that at most one is
// held: use(second, 1), which keeps what it needs of it (then it is freed),
// then use(first, 0). Warnings and notices come in load_pair's order, and an
// error is the first one load_pair, then use(second) and use(first), would
// give: first's load error before second's, and second's before what use
// says of it. use(second, 1) must say nothing itself (its lines would come
// before first's). Inputs other than two files (stdin, URLs) are loaded
// together by load_pair, then used in the same order.
Status load_each(const std::string& first, const std::string& second, const Options& o,
                 const std::function<Status(Loaded&&, int)>& use);

// Several inputs, read and decoded on o.threads threads, merged with pprof's
// rules in command-line order (the result and the error reported do not
// depend on the thread count), then symbolized. One path: load_profile.
Result<Loaded> load_profiles(const std::vector<std::string>& paths, const Options& o);

// Symbolizes and demangles p as o says; one warning names what could not be
// resolved. Fails only on bad option values.
Status symbolize_loaded(model::Profile& p, const std::string& name, const Options& o);

// What o asks of a profile once loaded: pprof's -tagroot/-tagleaf frames
// (o.label_frames, model/label_frames.h; warnings to o.diag.warning), then
// o.divide_by (model::divide_values). Done by every load_* function above.
Status transform_loaded(model::Profile& p, const std::string& name, const Options& o);

// The soft problems pprof accepts silently, as one warning line ("" if none).
std::string soft_problems(const std::string& name, const model::Profile& p);

// Input for commands that also read folded stacks (flame, fold, convert):
// one folded-stacks file (parsed, leaf first if reverse), else pprof profiles
// (several merged, symbolized). The input sniffer decides which.
struct LoadedInput {
  std::string name;
  // When the (first) input is a URL: the --save name's prefix of what was
  // loaded (save_name_prefix), and where --save wrote it ("" if it did not).
  std::string save_prefix, saved_path;
  std::optional<fold::StackTrie> folded;
  std::optional<model::Profile> profile;
};
Result<LoadedInput> load_input(const std::vector<std::string>& paths, const Options& o, bool reverse);

}  // namespace pprofx::load

namespace pprofx::load {

// Folded stacks have one value and no frame details: an error when the
// selection asks for them (filters, a sample type) or a pivot is given.
Status refuse_details_for_folded(const LoadedInput& in, const fold::Selection& selection, bool pivot);

// flame's and convert's input as one call tree: folded stacks as read, or
// pprof profiles folded as the selection says (shape: reverse, min_fraction,
// frame_budget; filter warnings go to o.diag.warning).
struct Stacks {
  fold::StackTrie trie;
  std::string name;  // as given (or <stdin>, the URL, "N profiles")
  std::string type;  // the sample type shown ("cpu"); "samples" for folded input
  std::string unit;  // its unit ("count" for folded input)
  int64_t duration_nanos = 0;
  bool folded = false;  // read from folded text
  std::string save_prefix, saved_path;  // as LoadedInput's: set for a URL
};
Result<Stacks> load_stacks(const std::vector<std::string>& paths, const Options& o, const fold::Selection& selection,
                           fold::TrieOptions shape);

}  // namespace pprofx::load
