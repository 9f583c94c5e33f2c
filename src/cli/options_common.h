// Options shared by the commands: loading (every command that reads
// profiles) and folding (sample type, granularity and pprof's filters),
// bound to CLI11 and turned into the library's plain option structs.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "pprofx/base/result.h"
#include "pprofx/fold/options.h"
#include "pprofx/fold/prepare.h"
#include "pprofx/load/load.h"

namespace pprofx::cli {

// --max-size, --max-memory (the heap bound, base/memory.h), --threads, --symbolize, --demangle, --binary-path, --binary,
// --seconds, --timeout, --save; o.diag prints warnings and notices on stderr
// and the fetch progress line when stderr is a terminal.
void add_load_options(CLI::App& cmd, load::Options& o);

// --max-memory's sizes: "123", "512M", "1.5G", "64KiB", "2gb" (powers of 1024).
bool parse_byte_size(std::string_view text, uint64_t* out);

struct ReportArgs {
  fold::Filters filters;
  std::string sample_index;
  std::string legacy_sample_index;  // from -inuse_space and friends; the first one wins
  bool mean = false;
  std::string granularity = "functions";
  std::string granularity_flag;     // from --lines, --files, ...
  bool noinlines = false;
  double divide_by = 1;             // --divide-by: a report's values shown (top, tree, traces), else every sample's
};

// The selection's flags into args; --tagroot / --tagleaf into load.label_frames
// (the frames are made as the profile is loaded, before any filter, as pprof does);
// --divide-by into both args and load (reports that divide what they show reset load's).
void add_report_options(CLI::App& cmd, ReportArgs& args, load::Options& load);

// A finite number above 0 (--divide-by); no description, so --help is unchanged.
CLI::Validator positive_number();

// --divide-by for commands that show or write sample values as they are (info, cross, merge,
// symbolize): every sample's values divided once loaded (load.divide_by), as pprof's -proto.
void add_divide_by_option(CLI::App& cmd, load::Options& load, const std::string& help);

// --minwidth: "0.1" (px) or "0.5%" (of the total).
Status parse_min_width(const std::string& text, double* value, bool* percent);

// --mean's refusal for graphs and folded output, and for comparisons.
inline constexpr std::string_view kMeanInGraph = "--mean applies to top only (a flame graph's widths must add up)";
inline constexpr std::string_view kMeanInDiff = "--mean does not apply to comparisons";

// What to fold, for every command but top and tree (no --mean there: widths and changes must add up).
Result<fold::Selection> to_selection(const ReportArgs& args, std::string_view mean_error);

// Repeated --source-path values as pprof's one -source_path (DIR:DIR), for list and web.
std::string joined_source_path(const std::vector<std::string>& dirs);

Status apply_report_args(const ReportArgs& args, fold::Filters* filters, std::string* sample_index, bool* mean,
                         fold::Granularity* granularity, bool* noinlines);

// --ops and --bench-output: the operation counts of per-op comparisons.
struct OpsArgs {
  std::string ops;           // "1000,1200"
  std::string bench_output;  // "base.txt,new.txt": go test -bench output
  bool given() const { return !ops.empty() || !bench_output.empty(); }
};
void add_ops_options(CLI::App& cmd, OpsArgs& args, const std::string& ops_help, const std::string& bench_help);
// The counts, from --ops or from each --bench-output file (read up to 64 MiB);
// none when neither is given. Errors are usage errors for a malformed --ops.
Result<std::vector<int64_t>> read_ops(const OpsArgs& args);

}  // namespace pprofx::cli
