// Two profiles compared frame by frame. Frames are matched by their names at
// the granularity (pprof's node names), never by ids from two files.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/fold/options.h"
#include "pprofx/model/profile.h"

namespace pprofx::diff {

struct DiffRow {
  std::string name;
  int64_t base_flat = 0, base_cum = 0;
  int64_t new_flat = 0, new_cum = 0;
  std::string file = {};  // the function's source file, where known (the first seen of its frames)
};

// A call between two rows (pprof's graph edge, counted once per sample),
// each side's value; calls between frames of one name are left out.
struct DiffEdge {
  uint32_t caller = 0, callee = 0;  // indices into DiffTable::rows
  int64_t base = 0, next = 0;
};

struct DiffTable {
  std::vector<DiffRow> rows;  // every frame present in either profile, in no particular order
  std::vector<DiffEdge> edges;  // with_edges only: sorted by (caller, callee)
  int64_t base_total = 0, new_total = 0;  // pprof's totals (sum of |value|)
  int64_t base_count = 0, new_count = 0;  // estimated sample counts, for the noise bound
  std::string type, unit;                 // the compared sample type
  int64_t base_duration = 0, new_duration = 0;
  int64_t base_ops = 0, new_ops = 0;  // operations each profile ran (per-op comparisons; 0: unknown)
};

// Errors start with "BASE: ", "NEW: " or "BASE and NEW: ". Every row's
// values and its changes (new - base, flat and cum) fit in int64: a table
// where they would not is refused ("BASE and NEW: the change in f's flat
// value (-9223372036854775807 -> 9223372036854775807) overflows int64").
// How the rows are made: one per function (pprof's node), or one per group
// of stacks (by_stack: the samples whose stack has the same deepest frame of
// the project's own code and the same outermost one, a goroutine's creation;
// named "LEAD (from ENTRY)"), flat = cum = its value. own_code: a regex of the
// project's functions instead of diff::is_own_code's rule.
struct TableOptions {
  bool with_edges = false;  // also the calls between rows (per function only)
  bool by_stack = false;
  std::string own_code;
  bool totals_only = false;  // no rows: the type, totals, counts and durations (what a diff graph needs)
  unsigned threads = 2;      // at most this many build each side's graph (fold::GraphOptions::threads)
  // With several baselines, what an error about one of them starts with: its
  // name here (trend's snapshot files), else "baseline N".
  std::vector<std::string> base_names = {};
};

Result<DiffTable> diff_tables(const model::Profile& base, const model::Profile& next, const fold::Selection& o,
                              const TableOptions& t = {});
// Each of several baselines against NEW, NEW's side computed once (check's
// store); an error about one baseline of several starts with "baseline N: ".
Result<std::vector<DiffTable>> diff_tables(const std::vector<const model::Profile*>& bases, const model::Profile& next,
                                           const fold::Selection& o, const TableOptions& t = {});

// A totals-only table made one profile at a time (the diff graph of two large
// files holds one of them at a time): NEW's part, then the table with BASE's.
// The same table and errors as diff_tables(base, next, o, {.totals_only = true}).
using SampleTypes = std::vector<std::pair<std::string, std::string>>;  // (type, unit)
struct NewTotals {
  DiffTable table;          // the type, unit and NEW's total, count and duration
  fold::ValueChoice value;  // NEW's value
  SampleTypes types;        // NEW's sample types, for BASE's errors
};
Result<NewTotals> new_totals(const model::Profile& next, const fold::Selection& o);
Result<DiffTable> totals_table(const NewTotals& n, const model::Profile& base, const fold::Selection& o);

// Whether a sample type is best compared by groups of stacks by default: the
// exact counts of goroutine and threadcreate profiles, whose shared runtime
// leaf (runtime.gopark) would otherwise head every diff.
bool by_stack_by_default(std::string_view type);

// The sample type index of `type` in p ("" = p's default), with pprof's
// matching rules, or an error naming the profile's types.
Result<size_t> sample_index_for(const model::Profile& p, std::string_view type);

// Number of samples behind a value, for the noise bound: the value itself for
// counts; total / period when the profile is sampled in the value's unit (CPU
// time, heap bytes); else a count type of the same family (alloc_objects for
// alloc_space, contentions for delay); else the number of samples.
int64_t estimated_count(const model::Profile& p, size_t value_index);

}  // namespace pprofx::diff

#include "pprofx/fold/merged_trie.h"
#include "pprofx/fold/stack_trie.h"

namespace pprofx::diff {

// Two call trees merged path by path (children matched by frame name). The
// merged trie's own self/total are left zero for the caller to set (the
// widths); the four vectors, per merged node, hold each side's values.
using MergedTrie = fold::MergedTrie;

MergedTrie merge_tries(const fold::StackTrie& base, const fold::StackTrie& next);

// Several call trees merged path by path into one whose every node's self is
// the median of its shares of each tree's total, times the median total:
// check's "median baseline", the one its verdict compares with. An error when
// a value would leave int64.
Result<fold::StackTrie> median_trie(const std::vector<const fold::StackTrie*>& tries);

// The differential graph's widths, as each node's self: NEW's self, BASE's
// self times base_scale (rounded half away from zero), or their sum. An error
// ("BASE and NEW: ...") when a width or the sum of |widths| (what finish()
// adds up) would leave int64; the caller then calls m.trie.finish().
enum class DiffWidth { kNew, kBase, kSum };
Status set_diff_widths(MergedTrie& m, DiffWidth width, double base_scale);
// The same widths per path of fold::MergedPaths (a path's values are the
// selfs of the node it ends at), for build_merged_trie; the same error.
Result<std::vector<int64_t>> path_widths(const fold::MergedPaths& paths, DiffWidth width, double base_scale);

}  // namespace pprofx::diff
