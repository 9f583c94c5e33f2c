// The SVG writer: one <g> per frame with a native tooltip (<title>), the
// rect (data-x/data-w in value units for the script) and a label fitted
// server-side, so the file is readable before any script runs.
#include <fmt/format.h>

#include <iterator>

#include "pprofx/render/flame.h"
#include "pprofx/render/text.h"
#include "svg_script.h"

namespace pprofx::render {
namespace {

std::string percent(int64_t part, int64_t whole) {
  return whole > 0 ? fmt::format("{:.2f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole)) : "0%";
}

// The detail lines escaped, cut in the middle until they fit kMaxDetailsBytes.
void append_details(std::string& out, std::string_view details) {
  std::string cut(details);
  for (std::string escaped;; cut = cut_middle(cut, cut.size() / 2)) {
    escaped.clear();
    append_xml_escaped(escaped, sanitize_utf8(cut));
    if (escaped.size() <= kMaxDetailsBytes) {
      out += escaped;
      return;
    }
  }
}

void text_element(std::string& out, std::string_view id, std::string_view cls, double x, double y, std::string_view text) {
  fmt::format_to(std::back_inserter(out), "<text id=\"{}\"{}{}{} x=\"{:.2f}\" y=\"{:.2f}\">", id,
                 cls.empty() ? "" : " class=\"", cls, cls.empty() ? "" : "\"", x, y);
  append_xml_escaped(out, sanitize_utf8(text));
  out += "</text>\n";
}

}  // namespace

std::string render_svg(const fold::StackTrie& trie, const Layout& layout, const FlameStyle& s) {
  return render_svg(frame_geometry(trie, layout, s), s);
}

std::string render_svg(const Frame& g, const FlameStyle& s) {
  size_t boxes = 0;
  for (const Pane& p : g.panes) boxes += p.layout->boxes.size();
  const double char_w = s.font_size * 0.6;
  std::string out;
  out.reserve(2048 + boxes * 220);
  auto o = std::back_inserter(out);
  fmt::format_to(o,
                 "<?xml version=\"1.0\" standalone=\"no\"?>\n"
                 "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
                 "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
                 "<svg version=\"1.1\" width=\"{0}\" height=\"{1:.0f}\" viewBox=\"0 0 {0} {1:.0f}\" onload=\"init()\" "
                 "xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n"
                 "<!-- Flame graph by pprofx. Click a frame to zoom, Ctrl-F or \"Search\" for a regexp. -->\n",
                 s.width, g.height);
  fmt::format_to(o, "<style type=\"text/css\"><![CDATA[{}text {{ font-size: {}px; }} #title {{ font-size: {}px; }}\n]]></style>\n",
                 kFlameStyle, s.font_size, s.font_size + 5);
  fmt::format_to(o, "<script type=\"text/ecmascript\"><![CDATA[{}]]></script>\n", kFlameScript);
  out += "<defs><linearGradient id=\"background\" y1=\"0\" y2=\"1\" x1=\"0\" x2=\"0\">"
         "<stop stop-color=\"#eeeeee\" offset=\"5%\"/><stop stop-color=\"#eeeeb0\" offset=\"95%\"/>"
         "</linearGradient></defs>\n";
  fmt::format_to(o, "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{:.0f}\" fill=\"url(#background)\"/>\n", s.width,
                 g.height);
  text_element(out, "title", "", s.width / 2, s.font_size * 2, s.title);
  double y = s.font_size * 2;
  if (!s.subtitle.empty()) text_element(out, "subtitle", "", s.width / 2, y += s.font_size * 1.6, s.subtitle);
  if (!s.note.empty()) text_element(out, "note", "", s.width / 2, y += s.font_size * 1.6, s.note);
  text_element(out, "unzoom", "button hide", g.x_pad, s.font_size * 2, "Reset Zoom");
  text_element(out, "search", "button", s.width - g.x_pad - 110, s.font_size * 2, "Search");
  text_element(out, "ignorecase", "button", s.width - g.x_pad - 20, s.font_size * 2, "ic");
  text_element(out, "details", "", g.x_pad, g.height - s.font_size * 0.8, " ");
  text_element(out, "matched", "", s.width - g.x_pad - 250, g.height - s.font_size * 0.8, " ");

  for (size_t pi = 0; pi < g.panes.size(); ++pi) {
    const Pane& pane = g.panes[pi];
    const fold::StackTrie& trie = *pane.trie;
    const Layout& layout = *pane.layout;
    ShownNames names;
    fmt::format_to(o,
                   "<g id=\"{}\" class=\"frames\" data-total=\"{}\" data-width=\"{}\" data-height=\"{:.0f}\" "
                   "data-xpad=\"{}\" data-rowh=\"{}\" data-charw=\"{}\" data-origin=\"{}\" data-inverted=\"{}\">\n",
                   pi == 0 ? std::string("frames") : fmt::format("frames{}", pi + 1), layout.total, s.width, g.height,
                   g.x_pad, s.row_height, char_w, pane.origin, pane.inverted ? 1 : 0);
    for (const Box& b : layout.boxes) {
      if (pane.skip_root && b.depth == 0) continue;
      const DrawnBox d = drawn_box(pane, g, s, b, &names);
      const fold::TrieNode& node = *d.node;
      out += node.inlined() || node.partly_inlined() ? "<g class=\"inl\"><title>" : "<g><title>";
      append_xml_escaped(out, d.name);
      if (!s.node_details.empty()) {
        out += '\n';
        append_details(out, s.node_details[b.node]);
      } else {
        fmt::format_to(o, "\n{} ({})", format_value(node.total, s), percent(node.total, layout.total));
      }
      if (s.node_details.empty() && node.self > 0 && b.node != fold::kRootNode) {
        fmt::format_to(o, ", self {} ({})", format_value(node.self, s), percent(node.self, layout.total));
      }
      if (d.frame->file != model::kEmptyStr) {
        out += '\n';
        append_xml_escaped(out, cut_middle(sanitize_utf8(trie.names.str(d.frame->file))));
        if (d.frame->line > 0) fmt::format_to(o, ":{}", d.frame->line);
      }
      if (node.inlined()) out += "\ninlined";
      if (node.partly_inlined()) out += "\npartly inlined";
      fmt::format_to(o,
                     "</title><rect x=\"{:.2f}\" y=\"{:.1f}\" width=\"{:.2f}\" height=\"{}\" fill=\"rgb({},{},{})\" "
                     "data-x=\"{}\" data-w=\"{}\"/>",
                     d.x, d.y, d.w, s.row_height - 1, d.color.r, d.color.g, d.color.b, b.x, b.width);
      if (!d.label.empty()) {
        fmt::format_to(o, "<text x=\"{:.2f}\" y=\"{:.1f}\">", d.x + 3, d.y + s.row_height * 0.72);
        append_xml_escaped(out, d.label);
        out += "</text>";
      }
      out += "</g>\n";
    }
    out += "</g>\n";
  }
  out += "</svg>\n";
  return out;
}

}  // namespace pprofx::render
