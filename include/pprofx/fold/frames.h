// Frames at a granularity: what pprof's NodeInfo keys a call-graph node by,
// assigned once per (location, line) of a View. The call graph (graph.h) and
// the stack trie (stack_trie.h) both count over these ids.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pprofx/fold/options.h"
#include "pprofx/fold/view.h"
#include "pprofx/model/string_table.h"

namespace pprofx::fold {

struct NodeInfo {
  model::StrId name = model::kEmptyStr;     // in FrameIndex::names
  model::StrId file = model::kEmptyStr;     // cleaned path, in FrameIndex::names
  model::StrId objfile = model::kEmptyStr;  // mapping file, only for nameless frames
  uint64_t address = 0;
  int64_t start_line = 0;
  int64_t lineno = 0;
  bool operator==(const NodeInfo&) const = default;
};

class FrameIndex {
 public:
  static FrameIndex build(const View& view, Granularity granularity, bool noinlines);

  model::StringTable names;      // strings NodeInfo refers to
  std::vector<NodeInfo> infos;   // per frame id
  // The source file of each frame's function (cleaned), even where the
  // granularity leaves it out of the key: for tooltips.
  std::vector<model::StrId> function_file;
  // Per frame id: appears as an inlined (not outermost) frame somewhere.
  std::vector<uint8_t> inlined_somewhere;

  size_t size() const { return infos.size(); }
  // Frame ids of location l, innermost first (its outermost frame is last).
  std::span<const uint32_t> frames_of(model::LocationId l) const {
    const uint32_t i = l.value();
    return {loc_nodes_.data() + loc_begin_[i], loc_begin_[i + 1] - loc_begin_[i]};
  }

  // pprof's PrintableName: "[address] name file:line" or "[binary]" / "<unknown>".
  std::string printable_name(const NodeInfo& info) const;
  // The same without a copy where it is the name alone (no address, file or
  // line: the function granularity's usual frame); else made in scratch.
  std::string_view printable_name(const NodeInfo& info, std::string& scratch) const {
    if (info.address == 0 && info.lineno == 0 && info.file == model::kEmptyStr && info.name != model::kEmptyStr) {
      return names.str(info.name);
    }
    return scratch = printable_name(info);
  }
  // fmt.Sprint(NodeInfo) in Go, pprof's final tie-break when sorting.
  std::string info_string(const NodeInfo& info) const;

 private:
  std::vector<uint32_t> loc_begin_;
  std::vector<uint32_t> loc_nodes_;
};

}  // namespace pprofx::fold
