// Loading profiles for a command: read, inflate, decode (several in parallel,
// then merged), symbolize; one-line errors, one-line warnings.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "pprofx/base/result.h"
#include "pprofx/io/input.h"
#include "pprofx/model/profile.h"
#include "pprofx/report/info.h"

namespace pprofx::cli {

// The options every command that reads profiles takes.
struct LoadOptions {
  uint64_t max_size = io::kDefaultMaxInflated;
  unsigned threads = 0;                  // decoding threads for several inputs (0: one per core)
  std::string symbolize = "auto";        // auto | none | force
  std::string demangle;                  // "" (pprof's default) | default | templates | full | none
  std::vector<std::string> binary_path;  // searched before PPROF_BINARY_PATH
  std::string binary;                    // the main binary (mapping 0)
  int seconds = 0;                       // --seconds for URLs (CPU profile duration)
  double timeout = 0;                    // --timeout for URLs (0: pprof's default)
  std::string save_dir;                  // --save: keep fetched profiles here
};

// --max-size, --threads, --symbolize, --demangle, --binary-path, --binary,
// --seconds, --timeout, --save.
void add_load_options(CLI::App& cmd, LoadOptions& o);

// The bytes of one input: a file, "-" (stdin), or a URL (pprof's rules, see
// io::profile_url; a path that exists is always a file). Decompressed.
struct Source {
  std::string name;     // the path, "<stdin>", or the full URL
  io::ProfileBytes bytes;
  std::string fetched;  // a URL's response as received (--save, baseline save), else empty
};
Result<Source> read_source(const std::string& path, const LoadOptions& o, bool progress);

// With --save, writes a fetched profile as pprof names saved profiles:
// DIR/pprof.<binary>.<sample types>.NNN.pb.gz; prints where on stderr.
void save_fetched(const Source& src, const model::Profile& p, const LoadOptions& o);

struct Loaded {
  model::Profile profile;
  report::InfoInput input;
};

Result<Loaded> load_profile(const std::string& path, const LoadOptions& o);

// o.threads, or the number of cores when it is 0.
unsigned thread_count(const LoadOptions& o);

// Several profiles, read and decoded in parallel on o.threads threads, then
// merged with pprof's rules, then symbolized. One path: no merge.
Result<Loaded> load_profiles(const std::vector<std::string>& paths, const LoadOptions& o);

// Symbolizes and demangles p as o says; prints one warning line naming what
// could not be resolved. Fails only on bad option values.
Status symbolize_loaded(model::Profile& p, const std::string& name, const LoadOptions& o);

// Prints "pprofx: warning: FILE: ..." for soft problems pprof accepts silently.
void warn_soft_problems(const std::string& path, const model::Profile& p);

}  // namespace pprofx::cli
