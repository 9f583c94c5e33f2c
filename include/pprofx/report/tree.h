// `pprofx tree`: pprof's -tree and -peek reports (internal/report printTree):
// each kept node with its callers above and callees below, with the share of
// the node's cum that goes through each edge.
#pragma once

#include <string>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/model/profile.h"
#include "pprofx/report/top.h"

namespace pprofx::report {

// Nodes are chosen as for top (options' node count, fractions, sort). With a
// non-empty `peek` (an RE2 regex), only nodes whose name matches are printed;
// none matching is an error, in pprof's words.
struct TreeReport {
  std::string text;
  std::vector<std::string> warnings;
};
// color: the header dimmed, each function's own line bold.
Result<TreeReport> tree_report(const model::Profile& p, const TopOptions& options, const std::string& peek,
                               bool color = false);

// The same report as data: per node printed, its row and its edges (callers
// and callees in pprof's order, weights in the sample unit).
struct TreeEdge {
  std::string name;
  int64_t weight = 0;
  bool inlined = false;
};
struct TreeNode {
  TopRow row;
  std::vector<TreeEdge> callers;
  std::vector<TreeEdge> callees;
};
struct TreeTable {
  TopTable table;  // header, total, units, warnings (its rows are in nodes)
  std::vector<TreeNode> nodes;
};
Result<TreeTable> tree_table(const model::Profile& p, const TopOptions& options, const std::string& peek);
std::string format_tree_text(const TreeTable& tree, bool color = false);
// --format: Markdown (edges in the cells, one per line), JSON (docs/commands/tree.md), CSV
// (a "self" row per function, then one row per caller and callee).
std::string format_tree_markdown(const TreeTable& tree);
std::string format_tree_json(const TreeTable& tree);
std::string format_tree_csv(const TreeTable& tree);

}  // namespace pprofx::report
