// The differential flame graph's content, shared by `diff -o x.svg` and
// `check --flame`: BASE's and NEW's call trees merged path by path (frames
// matched by name), each merged frame's width, its change and whether that
// change is within sampling noise, and the text its tooltip shows. How a
// change is drawn (colours) is render's (render/diff_colors.h).
#pragma once

#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pprofx/base/id.h"
#include "pprofx/base/result.h"
#include "pprofx/diff/noise.h"
#include "pprofx/diff/tables.h"
#include "pprofx/fold/merged_trie.h"
#include "pprofx/fold/prepare.h"
#include "pprofx/fold/stack_trie.h"
#include "pprofx/model/profile.h"

namespace pprofx::diff {

using Widths = diff::DiffWidth;           // which side's values make the widths (BASE rescaled to NEW's)
enum class ColorBy { kSelf, kTotal };     // which change each frame is coloured by

Result<Widths> parse_widths(std::string_view s);     // "new", "base", "sum"
Result<ColorBy> parse_color_by(std::string_view s);  // "self", "total"

struct GraphOptions {
  Widths widths = Widths::kNew;
  ColorBy color_by = ColorBy::kSelf;
  Normalize normalize = Normalize::kShare;
  // What the layout will draw (render::LayoutOptions): frames narrower than
  // min_fraction of the total, and past the frame budget, are not built
  // (fold::build_merged_trie). 0: the complete tree.
  double min_fraction = 0;
  size_t frame_budget = 0;
};

struct Graph {
  fold::StackTrie trie;               // the merged tree; self and total are the widths
  IdVector<fold::NodeId, double> change;   // per node: share points (kShare), else value in NEW's scale
  IdVector<fold::NodeId, uint8_t> noise;   // per node: 1 when the change is within sampling noise
  // Per node, each side's total and self (BASE's in its own values), and each side's whole.
  IdVector<fold::NodeId, int64_t> base_total, new_total, base_self, new_self;
  int64_t base_all = 0, new_all = 0;
  std::string unit;                   // the values' unit, for the tooltip
  std::string subtitle;               // "base.pb.gz -> new.pb.gz: cpu, widths from NEW"
  std::string legend;                 // what the colours mean

  // The node's tooltip lines: "total: ... -> ...\nself: ... -> ...", then
  // "only in NEW" / "only in BASE" below the root. Made when a box is drawn:
  // the tree holds many more nodes than the layout draws.
  std::string details(fold::NodeId node) const;
};

// table is diff_tables(base, next, selection) (computed once by the caller
// and reused); base_name and new_name are shown in the subtitle.
Result<Graph> build_graph(const model::Profile& base, const model::Profile& next, const diff::DiffTable& table,
                          const fold::Selection& selection, const GraphOptions& options, std::string_view base_name,
                          std::string_view new_name);
// The same, each profile freed as soon as its paths are read (a diff of two
// large profiles then holds at most one of them beside the paths).
Result<Graph> build_graph(model::Profile&& base, model::Profile&& next, const diff::DiffTable& table,
                          const fold::Selection& selection, const GraphOptions& options, std::string_view base_name,
                          std::string_view new_name);

// The graph of two profiles taken one at a time, NEW first, so that a diff
// of two large files holds one profile (beside the paths read so far) at a
// time: add_new reads NEW's totals and paths (NEW may then be freed), add_base
// BASE's, which completes the totals-only table and hands it to `settle`
// (the caller's checks of what depends on it, e.g. setting its operation
// counts) before BASE's paths are read, and build makes the graph. The same
// table, graph and errors, in the same order, as diff_tables(base, next,
// selection, {.totals_only = true}), settle, then build_graph of the two: an
// error found in NEW that those would report after one of BASE's waits for
// add_base.
class OneAtATime {
 public:
  OneAtATime(const fold::Selection& selection, Widths widths) : selection_(selection), widths_(widths) {}
  void add_new(const model::Profile& next, std::string_view name);
  // After add_new, with the graph options add_base will get (their budget):
  // with widths from NEW and no negative value in NEW, NEW's tree is built
  // under that budget now, on a thread of its own with threads >= 2 (while
  // the caller loads BASE), and add_base walks BASE's samples down it
  // (fold::add_walked_side) instead of merging BASE's paths, unless BASE has a
  // negative value or the budget is not add_base's. The same graph either way.
  void prebuild(const GraphOptions& o, unsigned threads);
  // base is freed once its paths are read. graph (its budget) is read once
  // settle returns.
  Status add_base(model::Profile base, std::string_view name, const std::function<Status(DiffTable&)>& settle,
                  const GraphOptions& graph);
  DiffTable& table() { return table_; }
  // o is add_base's graph (o.widths the constructor's).
  Result<Graph> build(const GraphOptions& o, std::string_view base_name, std::string_view new_name);

 private:
  fold::Selection selection_;
  Widths widths_;
  NewTotals new_;
  std::optional<Error> new_totals_error_, new_paths_error_;  // reported before / after BASE's own
  bool new_negative_ = false;
  fold::CollectedSide new_paths_;
  DiffTable table_;
  fold::MergedPaths paths_;
  // prebuild's: NEW's paths alone (kept until BASE is known), the tree built
  // of them or the error their widths gave, and the options built under.
  struct Prebuilt {
    fold::MergedPaths paths;
    std::optional<fold::MergedTrie> trie;
    std::optional<Error> error;
    GraphOptions options;
  };
  std::unique_ptr<Prebuilt> pre_;
  std::future<void> building_;  // the build on its thread, if still to join
  // The walked tree (add_base), its sides' totals, and the error its widths gave.
  std::optional<fold::MergedTrie> walked_;
  int64_t walked_base_all_ = 0, walked_new_all_ = 0;
  std::optional<Error> walked_error_;
};

// check --flame: NEW against the baselines' median call tree (median_trie),
// the baseline the verdict compared with; tables are run_check's, one per
// baseline. With one baseline, build_graph.
Result<Graph> build_median_graph(const std::vector<const model::Profile*>& bases, const model::Profile& next,
                                 const std::vector<DiffTable>& tables, const fold::Selection& selection,
                                 const GraphOptions& options, std::string_view base_name, std::string_view new_name);

}  // namespace pprofx::diff
