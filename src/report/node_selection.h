// pprof's newTrimmedGraph, shared by top and tree (internal to report/):
// the graph, the nodes kept and their order, and the -top table of them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/fold/graph.h"
#include "pprofx/fold/view.h"
#include "pprofx/report/top.h"

namespace pprofx::report {

struct NodeSelection {
  fold::View view;     // graph points into it: a NodeSelection does not move
  fold::Graph graph;
  std::vector<uint32_t> ids;   // kept frame ids in report order (= table.rows)
  std::vector<uint8_t> kept;   // per frame id
  int64_t edge_cutoff = 0;     // edges lighter than this are dropped (pprof's -edgefraction)
  TopTable table;
};

Result<std::unique_ptr<NodeSelection>> select_nodes(const model::Profile& p, const TopOptions& o);

// pprof's selectOutputUnit for -unit=minimum: one unit for the whole report,
// fine enough that the smallest node still shows as at least 0.01.
std::string select_output_unit(const std::vector<const fold::Node*>& nodes, int64_t total,
                               const std::string& sample_unit, double divide_by);
// pprof's "Active filters:" lines (each cut at 80 bytes), or none.
std::vector<std::string> active_filters(const fold::Filters& f);

// The start of top's and tree's JSON (--format json): report name, type, unit,
// divisor, total and header, up to the opening '[' of the list named `list`.
std::string json_head(const TopTable& t, std::string_view report, std::string_view list);

}  // namespace pprofx::report
