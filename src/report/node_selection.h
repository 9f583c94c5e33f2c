// pprof's newTrimmedGraph, shared by top and tree (internal to report/):
// the graph, the nodes kept and their order, and the -top table of them.
#pragma once

#include <cstdint>
#include <memory>
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

}  // namespace pprofx::report
