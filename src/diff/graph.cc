#include "pprofx/diff/graph.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <future>
#include <memory>

#include "pprofx/base/strings.h"
#include "pprofx/model/units.h"

namespace pprofx::diff {
namespace {

std::string signed_value(double v, const std::string& unit) {
  // A change of two int64 values can pass int64's range: shown at its edge.
  const double magnitude = std::min(std::fabs(v), 9.2233720368547748e18);
  return (v < 0 ? "-" : "+") + model::scaled_label(static_cast<int64_t>(std::llround(magnitude)), unit, "auto");
}

double share(int64_t v, int64_t all) {
  return all > 0 ? 100.0 * static_cast<double>(v) / static_cast<double>(all) : 0.0;
}

// One tooltip line: "total: 10ms (5.00%) -> 12ms (6.00%): +2ms (+1.00 pt, +20%)".
std::string detail_line(std::string_view what, int64_t bv, int64_t nv, int64_t base_all, int64_t new_all,
                        const std::string& unit) {
  // In doubles: the values are int64, their difference may not be.
  const double change = static_cast<double>(nv) - static_cast<double>(bv);
  const double rel = bv != 0 ? 100.0 * change / std::fabs(static_cast<double>(bv)) : 0;
  return fmt::format("{}: {} ({:.2f}%) -> {} ({:.2f}%): {} ({:+.2f} pt{})", what, model::scaled_label(bv, unit, "auto"),
                     share(bv, base_all), model::scaled_label(nv, unit, "auto"), share(nv, new_all),
                     signed_value(change, unit), share(nv, new_all) - share(bv, base_all),
                     bv != 0 ? fmt::format(", {:+.0f}%", rel) : "");
}

}  // namespace

std::string Graph::details(fold::NodeId node) const {
  const size_t i = node.value();
  std::string d = detail_line("total", base_total[i], new_total[i], base_all, new_all, unit) + "\n" +
                  detail_line("self", base_self[i], new_self[i], base_all, new_all, unit);
  if (base_total[i] == 0 && node != fold::kRootNode) d += "\nonly in NEW";
  if (new_total[i] == 0 && node != fold::kRootNode) d += "\nonly in BASE";
  return d;
}

Result<Widths> parse_widths(std::string_view s) {
  if (s == "new") return Widths::kNew;
  if (s == "base") return Widths::kBase;
  if (s == "sum") return Widths::kSum;
  return Error{"--width must be base, new or sum"};
}

Result<ColorBy> parse_color_by(std::string_view s) {
  if (s == "self") return ColorBy::kSelf;
  if (s == "total") return ColorBy::kTotal;
  return Error{"--color-by must be self or total"};
}

namespace {

// BASE's values in NEW's scale, so widths compare and add up: by the totals
// for shares, by the durations per second, as they are for absolute values
// (per operation: by the operation counts).
double scale_of(const DiffTable& table, const GraphOptions& o, int64_t base_all, int64_t new_all) {
  if (o.normalize != Normalize::kShare) return diff::base_scale(table, o.normalize);
  return base_all > 0 ? static_cast<double>(new_all) / static_cast<double>(base_all) : 1.0;
}

// The merged tree's graph (widths set, finished): changes, noise, tooltips.
Graph graph_of_merged(MergedTrie m, int64_t base_all, int64_t new_all, double base_scale, const DiffTable& table,
                      const GraphOptions& o, std::string_view base_name, std::string_view new_name) {
  const size_t n = m.trie.nodes.size();
  Graph g;
  const bool by_total = o.color_by == ColorBy::kTotal;
  // The change each frame is coloured by: share points, or the value in NEW's
  // scale (absolute, per second), with the matching noise bound.
  g.change.assign(n, 0);
  g.noise.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {  // the root too: its total changes with absolute values
    const int64_t b = by_total ? m.base_total[i] : m.base_self[i], v = by_total ? m.new_total[i] : m.new_self[i];
    if (o.normalize == Normalize::kShare) {
      g.change[i] = share(v, new_all) - share(b, base_all);
      g.noise[i] = std::fabs(g.change[i]) <= share_noise_points(table, share(b, base_all), share(v, new_all),
                                                                       table.base_count, table.new_count);
    } else {
      g.change[i] = static_cast<double>(v) - static_cast<double>(b) * base_scale;
      g.noise[i] = value_within_noise(b, v, table, base_scale);
    }
  }
  g.base_total = std::move(m.base_total);
  g.new_total = std::move(m.new_total);
  g.base_self = std::move(m.base_self);
  g.new_self = std::move(m.new_self);
  g.base_all = base_all;
  g.new_all = new_all;
  g.unit = table.unit;
  g.subtitle = fmt::format("{} -> {}: {}, widths from {}", base_name, new_name, table.type,
                           o.widths == Widths::kNew ? "NEW" : o.widths == Widths::kBase ? "BASE" : "BASE + NEW");
  g.legend = fmt::format("colour: change of {} {}: red grew, blue shrank, grey within noise",
                         by_total ? "total" : "self",
                         o.normalize == Normalize::kShare       ? "share"
                         : o.normalize == Normalize::kAbsolute  ? "value"
                         : o.normalize == Normalize::kPerSecond ? "value per second"
                                                                : "value per operation");
  g.trie = std::move(m.trie);
  return g;
}

// Two complete trees' graph (check's median baseline against NEW).
Result<Graph> graph_of_tries(const fold::StackTrie& base_trie, const fold::StackTrie& new_trie, const DiffTable& table,
                             const GraphOptions& o, std::string_view base_name, std::string_view new_name) {
  MergedTrie m = merge_tries(base_trie, new_trie);
  const int64_t base_all = base_trie.total(), new_all = new_trie.total();
  const double base_scale = scale_of(table, o, base_all, new_all);
  if (Status s = set_diff_widths(m, o.widths, base_scale); !s) return s.error();
  m.trie.finish();
  return graph_of_merged(std::move(m), base_all, new_all, base_scale, table, o, base_name, new_name);
}

fold::Selection side_selection(const fold::Selection& selection, const DiffTable& table) {
  fold::Selection side = selection;
  side.sample_index = table.type;  // each side folded at the type the table compared
  return side;
}

// One side folded as the table was, at the type it compared.
Result<fold::FoldedProfile> fold_side(const model::Profile& p, std::string_view name, const DiffTable& table,
                                      const fold::Selection& selection) {
  return fold::fold_profile(p, std::string(name), side_selection(selection, table), {});
}

// Whether p has a negative value of the type the sides are folded at.
bool has_negative(const model::Profile& p, const fold::Selection& side) {
  auto v = fold::choose_value(p, side.sample_index, false);
  if (!v) return false;
  for (size_t s = 0; s < p.samples.size(); ++s) {
    if (p.sample_values(s)[v->index] < 0) return true;
  }
  return false;
}

// Widths from NEW alone round nothing, so the sides' paths need not be joined, unless a negative
// value (a delta profile) must first net out with the rest of its node.
bool must_join(Widths widths, bool negative) { return widths != Widths::kNew || negative; }

// The graph of both sides' finished paths.
Result<Graph> graph_of_paths(fold::MergedPaths paths, const DiffTable& table, const GraphOptions& o,
                             std::string_view base_name, std::string_view new_name) {
  const int64_t base_all = paths.base_total, new_all = paths.new_total;
  const double base_scale = scale_of(table, o, base_all, new_all);
  auto widths = path_widths(paths, o.widths, base_scale);
  if (!widths) return widths.error();
  MergedTrie m = fold::build_merged_trie(paths, *widths, o.min_fraction, o.frame_budget);
  return graph_of_merged(std::move(m), base_all, new_all, base_scale, table, o, base_name, new_name);
}

// The graph of both sides' paths, each side read (and then released by
// `done`, which may free its profile) before the next.
Result<Graph> graph_of_sides(const model::Profile& base, const model::Profile& next, const std::function<void(int)>& done,
                             const DiffTable& table, const fold::Selection& selection, const GraphOptions& o,
                             std::string_view base_name, std::string_view new_name) {
  const fold::Selection side = side_selection(selection, table);
  fold::MergedPaths paths;
  const model::Profile* profiles[2] = {&base, &next};
  const bool join = must_join(o.widths, has_negative(base, side) || has_negative(next, side));
  const std::string_view names[2] = {base_name, new_name};
  for (int s = 0; s < 2; ++s) {
    {
      auto prepared = fold::prepare_fold(*profiles[s], std::string(names[s]), side, {});
      if (!prepared) return prepared.error();
      fold::add_merged_side(paths, prepared->view, prepared->options, s, join);
    }
    done(s);
    fold::pack_merged_side(paths, s);
  }
  fold::finish_merged_paths(paths);
  return graph_of_paths(std::move(paths), table, o, base_name, new_name);
}

}  // namespace

Result<Graph> build_graph(const model::Profile& base, const model::Profile& next, const DiffTable& table,
                          const fold::Selection& selection, const GraphOptions& o, std::string_view base_name,
                          std::string_view new_name) {
  return graph_of_sides(base, next, [](int) {}, table, selection, o, base_name, new_name);
}

Result<Graph> build_graph(model::Profile&& base, model::Profile&& next, const DiffTable& table,
                          const fold::Selection& selection, const GraphOptions& o, std::string_view base_name,
                          std::string_view new_name) {
  auto release = [&](int side) { (side == 0 ? base : next) = model::Profile(); };
  return graph_of_sides(base, next, release, table, selection, o, base_name, new_name);
}

void OneAtATime::add_new(const model::Profile& next, std::string_view name) {
  auto n = new_totals(next, selection_);
  if (!n) {
    new_totals_error_ = n.error();
    return;
  }
  new_ = std::move(*n);
  const fold::Selection side = side_selection(selection_, new_.table);
  new_negative_ = has_negative(next, side);
  auto prepared = fold::prepare_fold(next, std::string(name), side, {});
  if (!prepared) {
    new_paths_error_ = prepared.error();
    return;
  }
  new_paths_ = fold::collect_side(prepared->view, prepared->options);
}

void OneAtATime::prebuild(const GraphOptions& o, unsigned threads) {
  if (new_totals_error_ || new_paths_error_ || widths_ != Widths::kNew || new_negative_) return;
  pre_ = std::make_unique<Prebuilt>();
  pre_->options = o;
  fold::add_collected_side(pre_->paths, std::move(new_paths_), 1, false);
  fold::finish_merged_paths(pre_->paths);
  auto build = [p = pre_.get(), widths = widths_] {
    auto w = path_widths(p->paths, widths, 1.0);  // NEW's values: no scale
    if (!w) {
      p->error = w.error();
      return;
    }
    p->trie = fold::build_merged_trie(p->paths, *w, p->options.min_fraction, p->options.frame_budget);
  };
  if (threads >= 2) {
    building_ = std::async(std::launch::async, build);
  } else {
    build();
  }
}

Status OneAtATime::add_base(model::Profile base, std::string_view name, const std::function<Status(DiffTable&)>& settle,
                            const GraphOptions& graph) {
  if (building_.valid()) building_.get();  // (what it threw, e.g. bad_alloc, is thrown here)
  if (new_totals_error_) return *new_totals_error_;
  auto t = totals_table(new_, base, selection_);
  if (!t) return t.error();
  table_ = std::move(*t);
  if (Status s = settle(table_); !s) return s;
  const fold::Selection side = side_selection(selection_, table_);
  const bool join = must_join(widths_, new_negative_ || has_negative(base, side));
  {
    auto prepared = fold::prepare_fold(base, std::string(name), side, {});
    if (!prepared) return prepared.error();
    if (pre_ != nullptr) {
      if (!join && prepared->options.pivot == nullptr && !prepared->options.reverse &&
          pre_->options.min_fraction == graph.min_fraction && pre_->options.frame_budget == graph.frame_budget) {
        // NEW's tree as built, then BASE's samples down it.
        if (pre_->error) {
          walked_error_ = pre_->error;
          return Ok{};
        }
        walked_ = std::move(pre_->trie);
        walked_new_all_ = pre_->paths.new_total;
        pre_.reset();
        walked_base_all_ = fold::add_walked_side(*walked_, prepared->view, prepared->options);
        return Ok{};
      }
      // Merged with BASE's paths after all (BASE has a negative value): NEW's paths back as collected.
      fold::StackTrie frames = pre_->trie ? std::move(pre_->trie->trie) : std::move(pre_->paths.trie);
      new_paths_ = fold::take_collected_side(std::move(pre_->paths), std::move(frames), 1);
      pre_.reset();
    }
    fold::add_merged_side(paths_, prepared->view, prepared->options, 0, join);
  }
  base = model::Profile();
  if (new_paths_error_) return *new_paths_error_;
  fold::pack_merged_side(paths_, 0);
  fold::add_collected_side(paths_, std::move(new_paths_), 1, join);
  fold::pack_merged_side(paths_, 1);
  fold::finish_merged_paths(paths_);
  return Ok{};
}

Result<Graph> OneAtATime::build(const GraphOptions& o, std::string_view base_name, std::string_view new_name) {
  if (walked_error_) return *walked_error_;
  if (walked_) {
    const double base_scale = scale_of(table_, o, walked_base_all_, walked_new_all_);
    return graph_of_merged(std::move(*walked_), walked_base_all_, walked_new_all_, base_scale, table_, o, base_name,
                           new_name);
  }
  return graph_of_paths(std::move(paths_), table_, o, base_name, new_name);
}

Result<Graph> build_median_graph(const std::vector<const model::Profile*>& bases, const model::Profile& next,
                                 const std::vector<DiffTable>& tables, const fold::Selection& selection,
                                 const GraphOptions& o, std::string_view base_name, std::string_view new_name) {
  if (bases.empty() || bases.size() != tables.size()) return Error{"no baseline profile"};
  if (bases.size() == 1) return build_graph(*bases[0], next, tables[0], selection, o, base_name, new_name);
  std::vector<fold::FoldedProfile> folded;
  std::vector<const fold::StackTrie*> tries;
  std::vector<double> counts, durations;
  for (size_t b = 0; b < bases.size(); ++b) {
    auto f = fold_side(*bases[b], base_name, tables[b], selection);
    if (!f) return f.error();
    folded.push_back(std::move(*f));
    counts.push_back(static_cast<double>(tables[b].base_count));
    durations.push_back(static_cast<double>(tables[b].base_duration));
  }
  for (const fold::FoldedProfile& f : folded) tries.push_back(&f.trie);
  auto nf = fold_side(next, new_name, tables[0], selection);
  if (!nf) return nf.error();
  auto median = median_trie(tries);
  if (!median) return median.error();
  // The noise bound and per-second scale of the median baseline: the medians of the baselines'.
  DiffTable table = tables[0];
  table.rows.clear();
  table.edges.clear();
  table.base_count = static_cast<int64_t>(median_of(counts));
  table.base_duration = static_cast<int64_t>(median_of(durations));
  return graph_of_tries(*median, nf->trie, table, o, base_name, new_name);
}

}  // namespace pprofx::diff
