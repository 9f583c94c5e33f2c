// pprof's call graph nodes with flat and cum values (internal/graph).
//
// A node is what pprof's NodeInfo keys it by at the chosen granularity:
// function name, cleaned file, line, address and, for nameless frames, the
// mapping file. flat goes to the innermost frame of each sample; cum to every
// node on its stack, once per sample even under recursion.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pprofx/fold/options.h"
#include "pprofx/fold/view.h"
#include "pprofx/model/string_table.h"

namespace pprofx::fold {

struct NodeInfo {
  model::StrId name = model::kEmptyStr;     // in Graph::names
  model::StrId file = model::kEmptyStr;     // cleaned path, in Graph::names
  model::StrId objfile = model::kEmptyStr;  // mapping file, only for nameless frames
  uint64_t address = 0;
  int64_t start_line = 0;
  int64_t lineno = 0;
  bool operator==(const NodeInfo&) const = default;
};

struct Node {
  NodeInfo info;
  int64_t flat = 0, flat_div = 0, cum = 0, cum_div = 0;
  // Values shown: with -mean, divided by the summed count.
  int64_t flat_value() const { return flat_div == 0 ? flat : flat / flat_div; }
  int64_t cum_value() const { return cum_div == 0 ? cum : cum / cum_div; }
};

struct GraphOptions {
  Granularity granularity = Granularity::kFunctions;
  bool noinlines = false;
  ValueChoice value;
};

enum class InlineMark : uint8_t { kNone, kInline, kPartialInline };

class Graph {
 public:
  // Builds every node and accumulates flat/cum over the view's samples.
  static Graph build(const View& view, const GraphOptions& options);

  std::vector<Node> nodes;     // all nodes, including ones with zero values
  model::StringTable names;    // strings NodeInfo refers to

  // pprof's PrintableName: "[address] name file:line" or "[binary]" / "<unknown>".
  std::string printable_name(const NodeInfo& info) const;
  // fmt.Sprint(NodeInfo) in Go, pprof's final tie-break when sorting.
  std::string info_string(const NodeInfo& info) const;

  // pprof's "(inline)" / "(partial-inline)" markers for the nodes in `kept`,
  // from the call edges between kept nodes whose |weight| >= edge_cutoff.
  std::vector<InlineMark> inline_marks(const std::vector<uint8_t>& kept, int64_t edge_cutoff) const;

 private:
  const View* view_ = nullptr;
  GraphOptions options_;
  // Per node: appears as an inlined (not outermost) frame somewhere. Only
  // edges into such nodes can carry an inline mark.
  std::vector<uint8_t> inlined_somewhere_;
  // Nodes of location l: loc_nodes_[loc_begin_[l] .. loc_begin_[l+1]), innermost first.
  std::vector<uint32_t> loc_begin_;
  std::vector<uint32_t> loc_nodes_;

  template <typename Visit>
  void for_each_weighted_sample(Visit visit) const;
};

}  // namespace pprofx::fold
