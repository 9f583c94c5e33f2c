// The geometry both flame writers (svg.cc, png.cc) draw from: the header and
// footer, the panes of a plain or sandwich graph, and each box's position,
// colour and fitted label; also how a value is shown.
#include <fmt/format.h>

#include "pprofx/model/units.h"
#include "pprofx/render/flame.h"
#include "pprofx/render/text.h"

namespace pprofx::render {

std::string format_value(int64_t v, const FlameStyle& s) {
  if (model::is_known_unit(s.unit)) return model::scaled_label(v, s.unit, "auto");
  return fmt::format("{} {}", group_thousands(v), cut_middle(s.value_name, kMaxValueNameBytes));
}

DrawnBox drawn_box(const Pane& pane, const Frame& g, const FlameStyle& s, const Box& b, ShownNames* names) {
  const fold::StackTrie& trie = *pane.trie;
  const Layout& layout = *pane.layout;
  DrawnBox d;
  d.node = &trie.nodes[b.node];
  d.frame = &trie.frames[d.node->frame];
  std::optional<std::pair<std::string, Rgb>> local;
  std::optional<std::pair<std::string, Rgb>>& shown =
      names ? (names->resize(trie.frames.size()), (*names)[d.node->frame.value()]) : local;
  if (!shown) {
    const std::string raw = sanitize_utf8(trie.names.str(d.frame->name));
    shown.emplace(cut_middle(display_name(raw)), frame_color(s.palette, raw));  // annotations steer the palette
  }
  const double per_value = layout.total > 0 ? (s.width - 2 * g.x_pad) / static_cast<double>(layout.total) : 0;
  d.x = g.x_pad + static_cast<double>(b.x) * per_value;
  d.w = static_cast<double>(b.width) * per_value;
  d.y = pane.y_of(b.depth, s.row_height);
  d.color = !s.node_colors.empty()       ? s.node_colors[b.node]
            : b.node == fold::kRootNode ? Rgb{200, 200, 200}
                                        : shown->second;
  d.name = shown->first;
  const double char_w = s.font_size * 0.6;
  d.label = fit_label(d.name, d.w > 6 ? static_cast<size_t>((d.w - 6) / char_w) : 0);
  return d;
}

namespace {

Frame header_and_footer(const FlameStyle& s) {
  Frame f;
  f.top_pad = s.font_size * 3 + (s.subtitle.empty() ? 0 : s.font_size * 1.6) + (s.note.empty() ? 0 : s.font_size * 1.6);
  f.bottom_pad = s.font_size * 2 + 8;
  f.x_pad = 10;
  return f;
}

}  // namespace

Frame frame_geometry(const fold::StackTrie& trie, const Layout& layout, const FlameStyle& s) {
  Frame f = header_and_footer(s);
  f.height = f.top_pad + (layout.max_depth + 1) * s.row_height + f.bottom_pad;
  Pane p;
  p.trie = &trie;
  p.layout = &layout;
  p.inverted = s.inverted;
  p.origin = s.inverted ? f.top_pad : f.top_pad + layout.max_depth * s.row_height;
  f.panes.push_back(p);
  return f;
}

Frame sandwich_geometry(const fold::StackTrie& callers, const Layout& callers_layout, const fold::StackTrie& callees,
                        const Layout& callees_layout, const FlameStyle& s) {
  Frame f = header_and_footer(s);
  const double gap = 6;  // between the two rows of the function
  Pane up;
  up.trie = &callers;
  up.layout = &callers_layout;
  up.skip_root = true;
  up.origin = f.top_pad + callers_layout.max_depth * s.row_height;  // depth 1 is the row above it
  Pane down;
  down.trie = &callees;
  down.layout = &callees_layout;
  down.inverted = true;
  down.skip_root = true;
  down.origin = up.origin + gap - s.row_height;  // depth 1 right under the gap
  f.panes = {up, down};
  f.height = up.origin + gap + callees_layout.max_depth * s.row_height + f.bottom_pad;
  return f;
}

}  // namespace pprofx::render
