// Local symbolization of address-only locations, in process, with pprof's
// rules (internal/symbolizer, internal/binutils, driver's locateBinaries):
// which mappings are symbolized, where binaries are looked for, how runtime
// addresses become file addresses, and how names are demangled afterwards.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "pprofx/model/profile.h"
#include "pprofx/symbolize/demangle.h"

namespace pprofx::symbolize {

enum class Mode {
  kAuto,   // mappings without any function/file/line information only
  kNone,   // nothing, not even demangling (pprof's -symbolize=none)
  kForce,  // every mapping, replacing what the profile has
};

struct Options {
  Mode mode = Mode::kAuto;
  DemangleMode demangle = DemangleMode::kDefault;
  bool demangle_given = false;  // an explicit --demangle re-demangles every name (pprof: implies force)
  // Directories searched for binaries, in order (--binary-path, then
  // PPROF_BINARY_PATH or $HOME/pprof/binaries).
  std::vector<std::string> search_path;
  std::string main_binary;  // --binary: the file of mapping 0 (a mapping is added if there is none)
  // Threads for one binary's addresses (0: up to 4, one per core); used from
  // 4,000 addresses on, 2,000 a thread. The result does not depend on it.
  unsigned threads = 0;
};

// What happened, for one line on stderr.
struct Report {
  uint64_t mappings_symbolized = 0;
  uint64_t locations_resolved = 0;
  uint64_t locations_unresolved = 0;  // in symbolized mappings, with no answer
  // Binaries that could not be used: {"libc.so.6", "build ID mismatch"}, ...
  std::vector<std::pair<std::string, std::string>> problems;
  std::vector<std::string> ignored;  // search-path candidates with another build id
  bool main_binary_unnamed = false;  // mapping 0 has no file name (pprof: "Main binary filename not available.")
};

// Symbolizes p in place: new functions and lines are appended; locations of
// symbolized mappings point at them; mapping has_* flags are set. Then
// demangles function names (name == system_name) with options.demangle.
Report symbolize(model::Profile& p, const Options& options);

// "" when there is nothing to say; else one sentence: what could not be
// resolved and why.
std::string summary(const Report& r);

// PPROF_BINARY_PATH split on ':', or $HOME/pprof/binaries.
std::vector<std::string> default_search_path();

}  // namespace pprofx::symbolize
