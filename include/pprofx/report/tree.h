// `pprofx tree`: pprof's -tree and -peek reports (internal/report printTree):
// each kept node with its callers above and callees below, with the share of
// the node's cum that goes through each edge.
#pragma once

#include <string>

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

}  // namespace pprofx::report
