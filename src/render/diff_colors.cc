#include "pprofx/render/diff_colors.h"

#include <algorithm>
#include <cmath>

namespace pprofx::render {

Rgb change_color(double change, double max_change, bool noise) {
  if (noise || max_change <= 0 || change == 0) return {210, 210, 210};
  const double t = std::min(1.0, std::fabs(change) / max_change);
  const auto fade = static_cast<uint8_t>(std::lround(220 * (1 - t)));
  return change > 0 ? Rgb{255, fade, fade} : Rgb{fade, fade, 255};
}

double max_drawn_change(const diff::Graph& g, const Layout& layout) {
  double max = 0;
  for (const Box& b : layout.boxes) max = std::max(max, std::fabs(g.change[b.node]));
  return max;
}

void apply_diff_style(const diff::Graph& g, const Layout& layout, FlameStyle* style) {
  const size_t n = g.trie.nodes.size();
  const double max = max_drawn_change(g, layout);
  style->node_colors.resize(n);
  style->node_details = [&g](fold::NodeId node) { return g.details(node); };
  for (size_t i = 0; i < n; ++i) style->node_colors[i] = change_color(g.change[i], max, g.noise[i] != 0);
}

}  // namespace pprofx::render
