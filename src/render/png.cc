// The PNG writer: the SVG's layout and colours drawn with Cairo, labels
// fitted the same way (monospace, 0.6 em per character), no interaction.
#include <cairo.h>

#include <memory>

#include "pprofx/render/flame.h"
#include "pprofx/render/text.h"

namespace pprofx::render {
namespace {

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void centered(cairo_t* cr, double x, double y, const std::string& text) {
  cairo_text_extents_t e;
  cairo_text_extents(cr, text.c_str(), &e);
  cairo_move_to(cr, x - e.x_advance / 2, y);
  cairo_show_text(cr, text.c_str());
}

void draw_box(cairo_t* cr, const DrawnBox& d, const FlameStyle& s) {
  cairo_rectangle(cr, d.x, d.y, d.w, s.row_height - 1);
  cairo_set_source_rgb(cr, d.color.r / 255.0, d.color.g / 255.0, d.color.b / 255.0);
  cairo_fill(cr);
  if ((d.node->inlined() || d.node->partly_inlined()) && d.w > 3) {  // a dashed outline, as in the SVG
    const double dash[] = {3, 2};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_line_width(cr, 0.7);
    cairo_rectangle(cr, d.x + 0.35, d.y + 0.35, d.w - 0.7, s.row_height - 1.7);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
  }
  if (!d.label.empty()) {
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_move_to(cr, d.x + 3, d.y + s.row_height * 0.72);
    cairo_show_text(cr, d.label.c_str());
  }
}

}  // namespace

Result<std::string> render_png(const fold::StackTrie& trie, const Layout& layout, const FlameStyle& s) {
  return render_png(frame_geometry(trie, layout, s), s);
}

Result<std::string> render_png(const Frame& g, const FlameStyle& s) {
  // Image height cap: Cairo and many viewers stop at 32767 px.
  const double max_px = 32767;
  const double scale = std::min(s.scale, max_px / std::max(g.height, s.width));
  const int w_px = static_cast<int>(s.width * scale + 0.5), h_px = static_cast<int>(g.height * scale + 0.5);
  std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, w_px, h_px), cairo_surface_destroy);
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Error{"cannot allocate the PNG image (too large? lower --width or --scale)"};
  }
  std::unique_ptr<cairo_t, decltype(&cairo_destroy)> ctx(cairo_create(surface.get()), cairo_destroy);
  cairo_t* cr = ctx.get();
  cairo_scale(cr, scale, scale);

  cairo_pattern_t* bg = cairo_pattern_create_linear(0, 0, 0, g.height);
  cairo_pattern_add_color_stop_rgb(bg, 0.05, 0xee / 255.0, 0xee / 255.0, 0xee / 255.0);
  cairo_pattern_add_color_stop_rgb(bg, 0.95, 0xee / 255.0, 0xee / 255.0, 0xb0 / 255.0);
  cairo_set_source(cr, bg);
  cairo_paint(cr);
  cairo_pattern_destroy(bg);

  cairo_select_font_face(cr, "DejaVu Sans Mono", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_font_size(cr, s.font_size + 5);
  centered(cr, s.width / 2, s.font_size * 2, sanitize_utf8(s.title));
  cairo_set_font_size(cr, s.font_size);
  cairo_set_source_rgb(cr, 0x55 / 255.0, 0x55 / 255.0, 0x55 / 255.0);
  double y = s.font_size * 2;
  if (!s.subtitle.empty()) centered(cr, s.width / 2, y += s.font_size * 1.6, sanitize_utf8(s.subtitle));
  if (!s.note.empty()) centered(cr, s.width / 2, y += s.font_size * 1.6, sanitize_utf8(s.note));

  for (const Pane& pane : g.panes) {
    ShownNames names;
    for (const Box& b : pane.layout->boxes) {
      if (!(pane.skip_root && b.depth == 0)) draw_box(cr, drawn_box(pane, g, s, b, &names), s);
    }
  }
  std::string png;
  if (cairo_surface_write_to_png_stream(surface.get(), append_bytes, &png) != CAIRO_STATUS_SUCCESS) {
    return Error{"cannot encode the PNG image"};
  }
  return png;
}

}  // namespace pprofx::render
