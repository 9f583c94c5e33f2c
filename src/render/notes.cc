#include "pprofx/render/notes.h"

#include <fmt/format.h>

#include <algorithm>

#include "pprofx/base/strings.h"
#include "pprofx/model/units.h"
#include "pprofx/render/text.h"

namespace pprofx::render {
namespace {

constexpr std::string_view kSizeBudgetNote = "size budget: frames past 64 MiB of SVG";

}  // namespace

std::string flame_subtitle(std::string_view name, std::string_view type, std::string_view unit, int64_t total,
                           int64_t duration_nanos, const FlameStyle& style) {
  const std::string shown = format_value(total, style);
  const std::string file = base_name(name);
  std::string s = model::is_known_unit(unit) ? fmt::format("{}: {} {}", file, type, shown)
                                                          : fmt::format("{}: {}", file, shown);
  if (duration_nanos > 0) s += fmt::format(" in {}", model::scaled_label(duration_nanos, "nanoseconds", "auto"));
  return s;
}

std::string pruning_note(const fold::StackTrie& trie, const Layout& l, const FlameStyle& style) {
  std::string note;
  if (l.pruned_frames > 0) {
    const double total = static_cast<double>(std::max<int64_t>(1, l.total));
    note = fmt::format("{} {} narrower than {} ({:.2g}% of the total) not drawn, with their callees: "
                       "{:.1f}% of the total ({})",
                       group_thousands(static_cast<int64_t>(l.pruned_frames)),
                       l.pruned_frames == 1 ? "frame" : "frames", format_value(l.threshold, style),
                       100.0 * static_cast<double>(l.threshold) / total,
                       100.0 * static_cast<double>(l.pruned_value) / total,
                       l.byte_budget_applied ? kSizeBudgetNote
                       : l.budget_applied    ? "frame budget: see --max-frames"
                                             : "see --minwidth");
  }
  if (trie.negative_stacks > 0) {
    if (!note.empty()) note += "; ";
    note += fmt::format("{} stacks with negative values ({}) not drawn",
                        group_thousands(static_cast<int64_t>(trie.negative_stacks)),
                        format_value(trie.negative_total, style));
  }
  return note;
}

std::string no_samples_note(std::string_view name, bool filtered) {
  return fmt::format("no samples in {}{}", name, filtered ? " match the filters" : "");
}

std::string diff_pruning_note(const Layout& l, const FlameStyle& style) {
  if (l.pruned_frames == 0) return {};
  return fmt::format("; {} frames under {} not drawn{}", l.pruned_frames, format_value(l.threshold, style),
                     l.byte_budget_applied ? fmt::format(" ({})", kSizeBudgetNote) : "");
}

std::string pivot_name(const fold::StackTrie& callees, std::string_view regex) {
  const fold::NodeId first = callees.nodes[fold::kRootNode].first_child;
  if (first != fold::kNoNode && callees.nodes[first].next_sibling == fold::kNoNode) {
    return cut_middle(sanitize_utf8(callees.name(callees.nodes[first])));
  }
  return fmt::format("functions matching {}", regex);
}

}  // namespace pprofx::render
