// Profiles for `go build -pgo`: what Go's compiler reads from a CPU profile
// (cmd/internal/pgo FromPProf and internal/profile NewGraph as of Go 1.23, the
// rules Go 1.20+ apply), and the reduction `pprofx pgo` writes.
//
// Go's reading, reproduced by call_edges: the value index is the first sample
// type that is samples/count or cpu/nanoseconds; a graph node is one line of a
// location (address, function name, line, start_line: internal/profile's
// NodeInfo); each sample adds its value once per distinct (caller node, callee
// node) pair within its last two locations (the leaf and its caller, inline
// frames included); nodes with no weight are left out; a named edge is
// (caller function, callee function, caller line - caller start_line). Hot
// call sites: edges sorted by weight (desc), then caller, callee, offset; the
// shortest prefix whose cumulative weight exceeds the CDF threshold percent of
// the total (Go's hotNodesFromCDF, pgoinlinecdfthreshold=99).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/model/profile.h"

namespace pprofx::report::pgo {

struct Edge {
  std::string caller, callee;
  int64_t offset = 0;  // call-site line - caller's Function.start_line
  int64_t weight = 0;
  bool operator==(const Edge&) const = default;
};

struct EdgeMap {
  size_t value_index = 0;
  std::vector<Edge> by_weight;  // Go's ByWeight order
  int64_t total = 0;            // Go's TotalWeight (sum over node-pair edges)
  bool seen_start_line = false; // some node has start_line != 0
};

// Error when no sample type is samples/count or cpu/nanoseconds (Go's message).
Result<EdgeMap> call_edges(const model::Profile& p);

// How many leading by_weight edges Go's CDF at `percent` picks (all when the
// threshold is never exceeded, as Go does).
size_t hot_count(const EdgeMap& m, double percent);

// What Go rejects or misreads (problems) and what it accepts but reads
// poorly (warnings), one line each. Go rejects a profile only when no node of
// its graph has a start line (cmd/internal/pgo seenStartLine); functions with
// start_line 0 beside others are a warning.
struct Findings {
  std::vector<std::string> problems, warnings;
};
Findings check(const model::Profile& p);

// Keeps only the sample types Go reads (samples/count, cpu/nanoseconds, in the
// profile's order); drops labels, comments, drop/keep frames, system names,
// build ids. Error when neither type is present.
Status strip_for_pgo(model::Profile& p, const std::string& name);

// Every value v becomes llround(v * weight) (halves away from zero); error when
// a result leaves int64.
Status scale_values(model::Profile& p, double weight, const std::string& name);

struct ReduceInfo {
  size_t edges = 0, kept_edges = 0;  // named edges in, edges whose weight is kept exactly
  int64_t total = 0, kept_weight = 0;
  size_t samples_in = 0, samples_out = 0;
  size_t addresses_kept = 0;  // locations whose address Go's graph needs
};

// The smallest by_weight prefix carrying >= keep_percent of the total weight is
// kept: every sample that adds to one of those edges stays, cut to the two
// locations Go reads, the rest go; mappings and columns go (Go reads neither).
// The result is verified with call_edges: the kept edges' weights and the 99%
// hot set are unchanged, else more edges are kept (at worst every sample with
// an edge, which changes nothing Go reads). Addresses are zeroed except where
// Go's graph tells two equal lines of one stack apart by them.
Result<model::Profile> reduce(const model::Profile& p, double keep_percent, ReduceInfo* info);

}  // namespace pprofx::report::pgo
