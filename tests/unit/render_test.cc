#include <doctest/doctest.h>

#include <cairo.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "pprofx/render/flame.h"
#include "pprofx/render/layout.h"
#include "pprofx/render/notes.h"
#include "pprofx/render/palette.h"
#include "pprofx/render/text.h"

using namespace pprofx;

namespace {

fold::StackTrie sample_trie() {
  auto t = fold::parse_folded("main;b 30\nmain;a 50\nmain;a;x 15\nmain;a;y 4\nmain;a;z 1\n", "t", false);
  REQUIRE(t.ok());
  return std::move(*t);
}

std::string name_at(const fold::StackTrie& t, const render::Box& b) { return std::string(t.name(t.nodes[b.node])); }

}  // namespace

TEST_CASE("layout: name order, self before children, pruning by min width and frame budget") {
  const fold::StackTrie t = sample_trie();
  render::LayoutOptions o;
  render::Layout l = render::layout(t, o);
  REQUIRE(l.boxes.size() == 7);
  CHECK(l.total == 100);
  CHECK(l.max_depth == 3);
  CHECK(name_at(t, l.boxes[2]) == "a");  // a before b: sorted by name
  CHECK(l.boxes[2].x == 0);
  CHECK(l.boxes[3].x == 50);             // a's own 50 first, then x
  CHECK(name_at(t, l.boxes[3]) == "x");

  o.min_width = 3;
  o.min_width_percent = true;
  l = render::layout(t, o);
  CHECK(l.boxes.size() == 6);  // y (4) stays, z (1) goes
  CHECK(l.pruned_frames == 1);
  CHECK(l.pruned_value == 1);

  o = {};
  o.frame_budget = 3;
  l = render::layout(t, o);
  CHECK(l.boxes.size() == 4);  // root + main, a, b
  CHECK(l.budget_applied);
  CHECK(l.threshold == 30);

  o = {};
  o.sort = render::SortOrder::kSize;
  l = render::layout(t, o);
  CHECK(name_at(t, l.boxes[2]) == "a");
  CHECK(name_at(t, l.boxes.back()) == "b");
}

TEST_CASE("layout: a deep chain of equal frames is cut by depth, not dropped whole") {
  std::string line;
  for (int i = 0; i < 30000; ++i) line += (i ? ";f" : "f") + std::to_string(i);
  auto t = fold::parse_folded(line + " 5\n", "deep", false);
  REQUIRE(t.ok());
  render::LayoutOptions o;
  o.frame_budget = 20000;
  const render::Layout l = render::layout(*t, o);
  CHECK(l.boxes.size() == 20001);  // root + the 20,000 shallowest frames
  CHECK(l.max_depth == 20000);
  CHECK(l.pruned_frames == 1);
}

TEST_CASE("layout: sort by size") {
  const fold::StackTrie t = sample_trie();
  render::LayoutOptions o;
  o.sort = render::SortOrder::kSize;
  render::Layout l;
  l = render::layout(t, o);
  CHECK(name_at(t, l.boxes[2]) == "a");
  CHECK(name_at(t, l.boxes.back()) == "b");
}

TEST_CASE("text: UTF-8 repair, escaping, labels keep the start") {
  CHECK(render::sanitize_utf8("ok \xc3\xa9") == "ok \xc3\xa9");
  CHECK(render::sanitize_utf8("bad \xff x") == "bad \xef\xbf\xbd x");
  CHECK(render::sanitize_utf8(std::string("nul\0x", 5)) == "nul\xef\xbf\xbdx");
  std::string out;
  render::append_xml_escaped(out, "a<b>&\"c\"");
  CHECK(out == "a&lt;b&gt;&amp;&quot;c&quot;");
  CHECK(render::fit_label("main.handleRequest", 30) == "main.handleRequest");
  CHECK(render::fit_label("main.handleRequest", 13) == "handleRequest");  // the package goes first
  CHECK(render::fit_label("main.handleRequest", 9) == "handleR..");         // then the end
  CHECK(render::fit_label("main.handleRequest", 5).empty());
  CHECK(render::fit_label("gitlab.com/umbrella/codec/tracing/transport13.(*Reader).Write6", 20) == "(*Reader).Write6");
  CHECK(render::fit_label("parse /src/lib/parse.c:12", 18) == "parse parse.c:12");  // --lines: function and line
  CHECK(render::fit_label("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 6) == "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9..");
  CHECK(render::display_name("do_syscall_64_[k]") == "do_syscall_64");
  CHECK(render::group_thousands(1234567) == "1,234,567");
}

TEST_CASE("palettes: colours depend on the name only; lang groups by package") {
  const render::Rgb a = render::frame_color(render::Palette::kHot, "main.main");
  const render::Rgb b = render::frame_color(render::Palette::kHot, "main.main");
  CHECK((a.r == b.r && a.g == b.g && a.b == b.b));
  CHECK(a.r >= 205);  // hot: red-yellow
  CHECK(render::package_of("github.com/a/b.(*T).M") == "github.com/a/b");
  CHECK(render::package_of("runtime.mallocgc") == "runtime");
  CHECK(render::package_of("std::vector<int>::push_back") == "std");
  CHECK(render::package_of("org.apache.kafka.Log.append") == "org.apache.kafka");
  CHECK(render::package_of("json/decoder.py:raw_decode") == "json");
  const render::Rgb x = render::frame_color(render::Palette::kLang, "runtime.mallocgc");
  const render::Rgb y = render::frame_color(render::Palette::kLang, "runtime.gcBgMarkWorker");
  const render::Rgb z = render::frame_color(render::Palette::kLang, "main.main");
  auto hue_close = [](render::Rgb p, render::Rgb q) { return std::abs(p.r - q.r) + std::abs(p.g - q.g) + std::abs(p.b - q.b) < 80; };
  CHECK(hue_close(x, y));
  CHECK_FALSE(hue_close(x, z));
  CHECK_FALSE(render::parse_palette("rainbow").ok());
}

namespace {
struct PngReader {
  std::string_view data;
  static cairo_status_t read(void* closure, unsigned char* out, unsigned int len) {
    auto* r = static_cast<PngReader*>(closure);
    if (r->data.size() < len) return CAIRO_STATUS_READ_ERROR;
    std::memcpy(out, r->data.data(), len);
    r->data.remove_prefix(len);
    return CAIRO_STATUS_SUCCESS;
  }
};
}  // namespace

TEST_CASE("PNG: decoded back, the size is right and the frames are drawn") {
  const fold::StackTrie t = sample_trie();
  const render::Layout l = render::layout(t, {});
  render::FlameStyle style;
  style.width = 600;
  style.unit = "count";
  auto png = render::render_png(t, l, style);
  REQUIRE(png.ok());
  CHECK(png->substr(1, 3) == "PNG");
  PngReader reader{*png};
  cairo_surface_t* img = cairo_image_surface_create_from_png_stream(&PngReader::read, &reader);
  REQUIRE(cairo_surface_status(img) == CAIRO_STATUS_SUCCESS);
  const int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
  CHECK(w == 600);
  const render::Frame g = render::frame_geometry(t, l, style);
  CHECK(h == static_cast<int>(g.height + 0.5));
  // The "main" frame spans the full width at depth 1: its row is mostly frame colour, not background.
  const int row_y = static_cast<int>(g.panes[0].y_of(1, style.row_height) + style.row_height / 2);
  const unsigned char* data = cairo_image_surface_get_data(img);
  const int stride = cairo_image_surface_get_stride(img);
  const render::Rgb main_color = render::frame_color(style.palette, "main");
  int painted = 0;
  for (int x = 20; x < w - 20; ++x) {
    const uint32_t px = *reinterpret_cast<const uint32_t*>(data + row_y * stride + x * 4);
    const int r = (px >> 16) & 0xff, gr = (px >> 8) & 0xff, b = px & 0xff;
    painted += std::abs(r - main_color.r) + std::abs(gr - main_color.g) + std::abs(b - main_color.b) < 12;
  }
  CHECK(painted > (w - 40) * 8 / 10);  // text covers the rest
  cairo_surface_destroy(img);

  style.scale = 2;
  auto hidpi = render::render_png(t, l, style);
  REQUIRE(hidpi.ok());
  PngReader r2{*hidpi};
  cairo_surface_t* img2 = cairo_image_surface_create_from_png_stream(&PngReader::read, &r2);
  CHECK(cairo_image_surface_get_width(img2) == 1200);
  cairo_surface_destroy(img2);
}

TEST_CASE("SVG: one group per drawn frame, values and links for the script") {
  const fold::StackTrie t = sample_trie();
  const render::Layout l = render::layout(t, {});
  render::FlameStyle style;
  style.unit = "count";
  const std::string svg = render::render_svg(t, l, style);
  size_t groups = 0;
  for (size_t p = svg.find("<g><title>"); p != std::string::npos; p = svg.find("<g><title>", p + 1)) ++groups;
  CHECK(groups == l.boxes.size());
  CHECK(svg.find("<title>x\n15 samples (15.00%), self 15 samples (15.00%)</title>") != std::string::npos);
  CHECK(svg.find("data-total=\"100\"") != std::string::npos);
  CHECK(svg.find("<script") != std::string::npos);
  CHECK(svg.rfind("</svg>\n") == svg.size() - 7);
}

TEST_CASE("text: names cut in the middle on UTF-8 boundaries") {
  CHECK(render::cut_middle("short", 10) == "short");
  const std::string cut = render::cut_middle(std::string(600, 'a') + std::string(600, 'b'), 100);
  CHECK(cut.size() <= 100);
  CHECK(cut.substr(0, 48) == std::string(48, 'a'));
  CHECK(cut.find("\xe2\x80\xa6") == 48);
  CHECK(cut.substr(cut.size() - 40) == std::string(40, 'b'));
  std::string wide;
  for (int i = 0; i < 500; ++i) wide += "\xc3\xa9\xe2\x82\xac";  // é€
  for (size_t max : {7u, 50u, 101u, 1024u}) {
    const std::string c = render::cut_middle(wide, max);
    CHECK(c.size() <= max);
    CHECK(render::sanitize_utf8(c) == c);  // no split sequence
  }
  CHECK(render::xml_escaped_size("a&<>\"'") == 1 + 5 + 4 + 4 + 6 + 5);
}

namespace {

// A chain of `depth` frames with distinct long names of markup characters
// (escaped, they grow up to 6x), one sample.
fold::StackTrie long_name_chain(int depth, size_t name_bytes) {
  std::string line;
  for (int i = 0; i < depth; ++i) {
    std::string name = std::to_string(i);
    while (name.size() < name_bytes) name += "&<\"'>x";
    line += (i ? ";" : "") + name;
  }
  auto t = fold::parse_folded(line + " 7\n", "chain", false);
  REQUIRE(t.ok());
  return std::move(*t);
}

}  // namespace

TEST_CASE("SVG: long names are cut in the tooltip and the label") {
  const fold::StackTrie t = long_name_chain(3, 60000);
  const render::Layout l = render::layout(t, {});
  const std::string svg = render::render_svg(t, l, {});
  CHECK(svg.size() < 64 * 1024);  // was 3 x 2 x 60 kB escaped
  const std::string shown = render::cut_middle(render::sanitize_utf8(t.name(t.nodes[l.boxes[1].node])));
  CHECK(shown.size() <= render::kMaxNameBytes);
  CHECK(svg.find("<g><title>" + pprofx::xml_escaped(shown) + "\n") != std::string::npos);
}

TEST_CASE("layout: the size budget drops the narrowest, then deepest frames, and says so") {
  const fold::StackTrie t = long_name_chain(300, 5000);
  render::LayoutOptions o;
  o.byte_budget = 200 * 1024;
  const render::Layout l = render::layout(t, o);
  CHECK(l.byte_budget_applied);
  CHECK(l.max_depth > 10);
  CHECK(l.max_depth < 100);
  CHECK(l.boxes.size() == l.max_depth + 1);  // the shallowest frames of the chain
  CHECK(l.pruned_frames == 1);
  render::FlameStyle style;
  style.note = render::pruning_note(t, l, style);
  CHECK(style.note.find("size budget") != std::string::npos);
  const std::string svg = render::render_svg(t, l, style);
  const size_t frames_at = svg.find("<g id=\"frames\"");
  REQUIRE(frames_at != std::string::npos);
  CHECK(svg.size() - frames_at <= o.byte_budget);  // frame_bytes bounds what the writer spends
  size_t drawn = 0;
  for (const render::Box& b : l.boxes) drawn += render::frame_bytes(t, b.node);
  CHECK(drawn <= o.byte_budget);
  CHECK(drawn + render::frame_bytes(t, l.boxes.back().node) > o.byte_budget);  // one more would not fit

  o.byte_budget = 0;  // no budget: the whole chain
  CHECK(render::layout(t, o).max_depth == 300);
  CHECK(!render::layout(t, o).byte_budget_applied);
}

TEST_CASE("text: short names, the same table as the SVG script's (tests/browser/short_names.tsv)") {
  std::ifstream in(std::string(PPROFX_SOURCE_DIR) + "/tests/browser/short_names.tsv");
  REQUIRE(in);
  size_t cases = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    REQUIRE(tab != std::string::npos);
    CHECK_MESSAGE(render::short_name(line.substr(0, tab)) == line.substr(tab + 1), line);
    ++cases;
  }
  CHECK(cases > 20);
}

namespace {

// The <metadata> record of one pane, and the numbers of its stream.
struct SearchRecord {
  std::string json;
  std::vector<uint64_t> numbers;
};
SearchRecord search_record(const std::string& svg) {
  const size_t at = svg.find("<metadata id=\"search-frames\">");
  REQUIRE(at != std::string::npos);
  const size_t end = svg.find("</metadata>", at);
  SearchRecord r{svg.substr(at, end - at), {}};
  const size_t t = r.json.find("\"t\":\"") + 5;
  const std::string stream = r.json.substr(t, r.json.find('"', t) - t);
  static const std::string digits =
      "!#$%'()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
  uint64_t v = 0, mul = 1;
  for (char c : stream) {
    const size_t d = digits.find(c);
    REQUIRE(d != std::string::npos);
    if (d >= 44) {
      v += (d - 44) * mul, mul *= 45;
    } else {
      r.numbers.push_back(v + d * mul), v = 0, mul = 1;
    }
  }
  return r;
}

}  // namespace

TEST_CASE("SVG: the search's record holds the frames not drawn, exact for a complete tree") {
  // At a 20% min width all and b (9000 of 10000) are drawn, main (1000) and its 1000 leaves are not.
  std::string folded = "b 9000\n";
  for (int i = 0; i < 1000; ++i) folded += "main;f" + std::to_string(i) + "<&> 1\n";
  auto t = fold::parse_folded(folded, "t", false);
  REQUIRE(t.ok());
  render::LayoutOptions o;
  o.min_width = 20;
  o.min_width_percent = true;
  const render::Layout l = render::layout(*t, o);
  CHECK(!l.leaves_may_hide_callees);  // folded input: the tree is complete
  const std::string svg = render::render_svg(*t, l, {});
  const SearchRecord r = search_record(svg);
  CHECK(r.json.find("\"lim\":0,") != std::string::npos);  // nothing left out
  CHECK(r.json.find("\"f999\\u003c\\u0026\\u003e\"") != std::string::npos);  // names escaped for JSON and XML
  CHECK(r.json.find('<', 1) == std::string::npos);
  CHECK(r.json.find('&') == std::string::npos);
  // main (head 4 x 1000 children, not partial, self 0), its name, then per leaf its head (1: a self
  // follows), its name and its self, 1.
  REQUIRE(r.numbers.size() == 2 + 3 * 1000);
  CHECK(r.numbers[0] == 4 * 1000);
  CHECK(r.numbers[2] == 1);
  CHECK(r.numbers[4] == 1);

  // A budget too small for the leaves: main is partial (its self holds them) and the record says so.
  o.byte_budget = render::frame_bytes(*t, fold::kRootNode) * 3 + 200;
  const render::Layout small = render::layout(*t, o);
  const SearchRecord r2 = search_record(render::render_svg(*t, small, {}));
  CHECK(r2.json.find("\"lim\":0,") == std::string::npos);
}

TEST_CASE("SVG: a profile's pruned leaves may hide callees; the record marks them partial") {
  auto t = fold::parse_folded("a;b 50\na;c 50\n", "t", false);
  REQUIRE(t.ok());
  for (auto& n : t->nodes) n.inline_flags = fold::kReachedByCall;  // as a profile's trie
  t->cut_below = 10;                                                 // built with a min width
  render::LayoutOptions o;
  o.min_width = 60;
  o.min_width_percent = true;
  const render::Layout l = render::layout(*t, o);
  CHECK(l.leaves_may_hide_callees);
  const SearchRecord r = search_record(render::render_svg(*t, l, {}));
  REQUIRE(r.numbers.size() == 6);  // b and c: 2 numbers each
  CHECK(r.numbers[0] == 2 + 1);    // no recorded children, partial, self given
  CHECK(r.json.find("\"lim\":50,") != std::string::npos);
}
