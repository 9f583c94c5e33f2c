// Flame graph output: SVG (interactive, self-contained, svg.cc) and PNG
// (Cairo, png.cc), both drawn from the same Layout and geometry (geometry.cc).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/fold/stack_trie.h"
#include "pprofx/render/layout.h"
#include "pprofx/render/palette.h"

namespace pprofx::render {

struct FlameStyle {
  std::string title = "Flame Graph";
  std::string subtitle;
  // The document's (a browser tab's) title: the file and sample type; "" = the subtitle, then the title.
  std::string document_title;
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
  IdVector<fold::NodeId, Rgb> node_colors;
  std::function<std::string(fold::NodeId)> node_details;  // drawn boxes only
};

// How a value is shown: "1.50s", "12.3MB", "1,234 samples" (a value name
// past kMaxValueNameBytes is cut in the middle).
inline constexpr size_t kMaxValueNameBytes = 64;
// A node's detail lines are cut in the middle until they escape to at most
// this many bytes (part of layout.h's kFrameFixedBytes).
inline constexpr size_t kMaxDetailsBytes = 640;
std::string format_value(int64_t v, const FlameStyle& style);

// One graph of an image: a trie, its layout, and where its rows go.
struct Pane {
  const fold::StackTrie* trie = nullptr;
  const Layout* layout = nullptr;
  bool inverted = false;   // rows grow downwards from origin (icicle)
  double origin = 0;       // y of the depth-0 row (drawn or not)
  bool skip_root = false;  // the root ("all") row is not drawn
  double y_of(uint32_t depth, double row_height) const {
    return inverted ? origin + depth * row_height : origin - depth * row_height;
  }
};

// Geometry shared by both writers (geometry.cc): the header and footer, and the panes.
struct Frame {
  double top_pad, bottom_pad, x_pad, height;
  std::vector<Pane> panes;
};
// A plain flame (or icicle, with style.inverted) graph: one pane.
Frame frame_geometry(const fold::StackTrie& trie, const Layout& layout, const FlameStyle& style);
// The sandwich view of a function: its callers above (the function at the
// bottom, callers growing upwards) and its callees below (the function at the
// top, callees growing downwards). Both tries come from fold::Pivot; their
// roots are not drawn.
Frame sandwich_geometry(const fold::StackTrie& callers, const Layout& callers_layout, const fold::StackTrie& callees,
                        const Layout& callees_layout, const FlameStyle& style);

std::string render_svg(const fold::StackTrie& trie, const Layout& layout, const FlameStyle& style);
std::string render_svg(const Frame& frame, const FlameStyle& style);

// PNG bytes. Fails only if Cairo cannot allocate the image.
Result<std::string> render_png(const fold::StackTrie& trie, const Layout& layout, const FlameStyle& style);
Result<std::string> render_png(const Frame& frame, const FlameStyle& style);

// What both writers draw for one box: position and size in px, colour, the
// name as shown (valid UTF-8, annotations dropped, cut to kMaxNameBytes) and
// the fitted label.
struct DrawnBox {
  const fold::TrieNode* node;
  const fold::FrameInfo* frame;
  std::string name;   // as shown
  std::string label;  // fitted to the width ("" if nothing fits)
  double x, y, w;
  Rgb color;
};
// Per frame of one pane's trie: the shown name and palette colour, computed
// once (a deep chain repeats a long name in every row). Empty: nothing yet.
using ShownNames = std::vector<std::optional<std::pair<std::string, Rgb>>>;
DrawnBox drawn_box(const Pane& pane, const Frame& geometry, const FlameStyle& style, const Box& box,
                   ShownNames* names = nullptr);

}  // namespace pprofx::render
