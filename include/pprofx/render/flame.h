// Flame graph output: SVG (interactive, self-contained) and PNG (Cairo),
// both drawn from the same Layout.
#pragma once

#include <string>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/fold/stack_trie.h"
#include "pprofx/render/layout.h"
#include "pprofx/render/palette.h"

namespace pprofx::render {

struct FlameStyle {
  std::string title = "Flame Graph";
  std::string subtitle;
  std::string note;              // a third heading line, e.g. what was pruned
  double width = 1200;           // px
  double row_height = 16;        // px per stack level
  double font_size = 12;         // px; text is monospace, 0.6 em per character
  bool inverted = false;         // icicle: the root at the top
  Palette palette = Palette::kHot;
  std::string unit;              // unit of the values ("nanoseconds", "bytes", "count")
  std::string value_name = "samples";  // what a count counts, for count units
  double scale = 1;              // PNG only: pixels per px (2 for hi-dpi)
  // Differential graphs: per trie node, a colour and extra tooltip lines
  // (replacing the palette and the value line). Empty: a plain flame graph.
  std::vector<Rgb> node_colors;
  std::vector<std::string> node_details;
};

// How a value is shown: "1.50s", "12.3MB", "1,234 samples".
std::string format_value(int64_t v, const FlameStyle& style);

std::string render_svg(const fold::StackTrie& trie, const Layout& layout, const FlameStyle& style);

// PNG bytes. Fails only if Cairo cannot allocate the image.
Result<std::string> render_png(const fold::StackTrie& trie, const Layout& layout, const FlameStyle& style);

// Geometry shared by both writers.
struct Frame {
  double top_pad, bottom_pad, x_pad, height;
  double y_of(uint32_t depth, uint32_t max_depth, const FlameStyle& s) const {
    return s.inverted ? top_pad + depth * s.row_height : top_pad + (max_depth - depth) * s.row_height;
  }
};
Frame frame_geometry(const Layout& layout, const FlameStyle& style);

// What both writers draw for one box: position and size in px, colour, the
// name as shown (valid UTF-8, annotations dropped) and the fitted label.
struct DrawnBox {
  const fold::TrieNode* node;
  const fold::FrameInfo* frame;
  std::string name;   // as shown
  std::string label;  // fitted to the width ("" if nothing fits)
  double x, y, w;
  Rgb color;
};
DrawnBox drawn_box(const fold::StackTrie& trie, const Layout& layout, const Frame& geometry, const FlameStyle& style,
                   const Box& box);

}  // namespace pprofx::render
