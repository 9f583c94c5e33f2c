// `pprofx list REGEX PROFILE`: pprof's -list (internal/report printSource):
// for each function whose name matches, per source file, the ROUTINE header
// with its flat and cum, then flat and cum per source line with the line's
// text, from 5 lines before the function's first line (or first sampled line)
// to 5 after its last sampled one. Where a sample passes through several of
// a function's lines (recursion), pprof's ROUTINE cum counts it once per line
// (google/pprof#707): pprofx counts it once, and the line after the header
// gives pprof's figure. Sources are looked up as pprof does
// (openSourceFile, trimPath): the profile's path, trimmed of a configured or
// guessed prefix, searched in each --source-path directory and its parents.
#pragma once

#include <string>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/model/profile.h"
#include "pprofx/report/top.h"

namespace pprofx::report {

struct ListOptions {
  TopOptions report;            // filters, value, noinlines, unit, divide_by (granularity is lines, as pprof's)
  std::string regex;            // matched against function names (RE2, unanchored)
  std::string source_path;      // pprof's -source_path: directories separated by ':'; "" = the current one
  std::string trim_path;        // pprof's -trim_path: prefixes separated by ':'; "" = guessed from source_path
  uint64_t max_source_bytes = uint64_t{64} << 20;  // a larger (or non-regular) source file is not read
};

// One listed line: its number, flat and cum, its text (empty when the source was not read).
struct ListLine {
  int64_t line = 0;
  int64_t flat = 0, cum = 0;
  std::string text;
};
// One function in one source file (pprof's ROUTINE).
struct ListRoutine {
  std::string function;  // "" name and no file: "No source information for" the function
  std::string file;      // "" when the function has no source information
  int64_t start_line = 0;  // the function's start line as its first node has it (0: unknown)
  int64_t flat = 0;            // over the function's lines
  int64_t cum = 0;             // each sample counted once, the ROUTINE line's figure
  int64_t pprof_cum = 0;       // pprof's: the sum of the lines' cum, which counts a sample once per
                               // line of the function it passes through (recursion; google/pprof#707)
  std::string source_error;    // why the source was not read ("" if it was)
  std::vector<ListLine> lines;
};

struct ListReport {
  std::string text;  // pprof's layout
  std::string type, sample_unit, unit;
  double divide_by = 1;
  int64_t total = 0;
  std::vector<ListRoutine> routines;
  // A value as the report shows it: divided, scaled to `unit` (pprof's formatValue).
  std::string format_value(int64_t v) const;
  // Filter warnings; a source file that cannot be read (its lines are then
  // listed without their text, where pprof prints only " Error: ...").
  std::vector<std::string> warnings;
};

Result<ListReport> list_report(const model::Profile& p, const ListOptions& options);

// --format: Markdown (a table per routine), JSON (docs/commands/list.md), CSV (one row per line).
std::string format_list_markdown(const ListReport& r);
std::string format_list_json(const ListReport& r);
std::string format_list_csv(const ListReport& r);

// pprof's trimPath: the path without a -trim_path prefix, or, with none set,
// without everything up to the base name of a source_path directory, or
// without /proc/self/cwd/.
std::string trim_source_path(std::string_view path, std::string_view trim_path, std::string_view source_path);

}  // namespace pprofx::report
