// The SVG writer: one <g> per frame with a native tooltip (<title>), the
// rect (data-x/data-w in value units for the script) and a label fitted
// server-side, so the file is readable before any script runs. Per pane a
// <metadata> record of the frames not drawn lets the search count every
// sample (append_search_data).
#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <numeric>
#include <queue>
#include <unordered_map>

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


// A JSON string literal that is also XML text: no < & or > (as \u escapes),
// so it needs no CDATA section. s is valid UTF-8 (sanitize_utf8).
void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20 || ch == '<' || ch == '>' || ch == '&') {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", c);
    } else {
      out += ch;
    }
  }
  out += '"';
}

size_t json_string_size(std::string_view s) {
  size_t n = 2;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    n += ch == '"' || ch == '\\' ? 2 : c < 0x20 || ch == '<' || ch == '>' || ch == '&' ? 6 : 1;
  }
  return n;
}

size_t digits(uint64_t v) {
  size_t n = 1;
  while (v >= 10) v /= 10, ++n;
  return n;
}

// The record's numbers as text: a variable-length code over 89 printable
// ASCII characters (all but " & < > \\, so the text is a JSON string and XML
// text as it is). Digits 0-43 end a number, 44-88 carry 45 more values each,
// least significant first. The script's readNumber decodes it.
constexpr std::string_view kDigits =
    "!#$%'()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";
static_assert(kDigits.size() == 89);
constexpr uint64_t kLast = 44, kMore = 45;

void append_number(std::string& out, uint64_t v) {
  while (v >= kLast) {
    out += kDigits[kLast + v % kMore];
    v /= kMore;
  }
  out += kDigits[v];
}

size_t number_size(uint64_t v) {
  size_t n = 1;
  while (v >= kLast) v /= kMore, ++n;
  return n;
}

// The search's record of what a pane does not draw, so that "Matched" counts
// every sample, drawn or not: the frames under the drawn ones, largest first
// while they fit in `budget` bytes, as a tree in pre-order. Per drawn box
// (layout order, the root included): k, how many recorded subtrees hang
// under it, and u, the value of its undrawn callees not recorded. Per
// recorded frame, in t (append_number): 4 x its recorded children + 2 when
// its value s also holds callees not recorded (or the trie's leaf may stand
// for unexpanded callees: Layout::leaves_may_hide_callees) + 1 when s is not
// 0; its index in `names` (the shown names, as in the tooltips); then s, if
// not 0, its self value. Values are in units of g (the gcd of all values);
// lim is the largest value whose callees are not all recorded (0: the
// record is complete and every search exact).
void append_search_data(std::string& out, std::string_view id, const Pane& pane, size_t budget) {
  const fold::StackTrie& trie = *pane.trie;
  const Layout& layout = *pane.layout;
  const size_t n = trie.nodes.size();
  constexpr uint32_t kNone = UINT32_MAX;
  std::vector<uint32_t> box_of(n, kNone);
  for (size_t i = 0; i < layout.boxes.size(); ++i) box_of[layout.boxes[i].node.value()] = static_cast<uint32_t>(i);
  int64_t g = 0;
  for (size_t i = 0; i < n; ++i) g = std::gcd(g, std::max<int64_t>(0, trie.nodes[fold::NodeId(static_cast<uint32_t>(i))].self));
  if (g <= 0) g = 1;
  auto node = [&](uint32_t i) -> const fold::TrieNode& { return trie.nodes[fold::NodeId(i)]; };
  auto children = [&](uint32_t i, auto&& f) {
    for (fold::NodeId c = node(i).first_child; c != fold::kNoNode; c = trie.nodes[c].next_sibling) {
      if (trie.nodes[c].total > 0) f(c.value());
    }
  };

  // Largest first (ties: first made) while the records fit.
  std::vector<char> kept(n, 0);
  std::unordered_map<uint32_t, uint32_t> name_index;  // trie name StrId -> index in names
  std::vector<std::string> names;
  struct Candidate {
    int64_t total;
    uint32_t node;
    bool operator<(const Candidate& o) const { return total != o.total ? total < o.total : node > o.node; }
  };
  std::priority_queue<Candidate> heap;
  for (const Box& b : layout.boxes) {
    children(b.node.value(), [&](uint32_t c) {
      if (box_of[c] == kNone) heap.push({node(c).total, c});
    });
  }
  size_t used = 128 + digits(static_cast<uint64_t>(layout.total)) * 2;
  for (const Box& b : layout.boxes) {
    size_t fanout = 0;
    children(b.node.value(), [&](uint32_t) { ++fanout; });
    used += digits(fanout) + digits(static_cast<uint64_t>(b.width / g)) + 2;
  }
  while (!heap.empty()) {
    const Candidate top = heap.top();
    const fold::TrieNode& t = node(top.node);
    size_t fanout = 0;
    children(top.node, [&](uint32_t) { ++fanout; });
    size_t cost = number_size(4 * fanout + 3) + number_size(names.size()) + number_size(static_cast<uint64_t>(t.total / g));
    const uint32_t name_id = trie.frames[t.frame].name.value();
    const auto known = name_index.find(name_id);
    std::string shown;
    if (known == name_index.end()) {
      shown = cut_middle(display_name(sanitize_utf8(trie.names.str(trie.frames[t.frame].name))));
      cost += json_string_size(shown) + 1;
    }
    if (used + cost > budget) break;
    used += cost;
    heap.pop();
    kept[top.node] = 1;
    if (known == name_index.end()) {
      name_index.emplace(name_id, static_cast<uint32_t>(names.size()));
      names.push_back(std::move(shown));
    }
    children(top.node, [&](uint32_t c) { heap.push({node(c).total, c}); });
  }
  heap = {};

  // Pre-order from each drawn box.
  std::string k, u, stream;
  int64_t lim = 0;
  std::vector<std::pair<uint32_t, bool>> stack;  // node, children pushed
  std::vector<uint32_t> kids;
  for (const Box& b : layout.boxes) {
    size_t recorded = 0;
    int64_t missing = 0;
    const size_t first = stack.size();
    children(b.node.value(), [&](uint32_t c) {
      if (box_of[c] != kNone) return;
      if (kept[c]) {
        stack.push_back({c, false});
        ++recorded;
      } else {
        missing += node(c).total;
        lim = std::max(lim, node(c).total);
      }
    });
    std::reverse(stack.begin() + static_cast<long>(first), stack.end());
    fmt::format_to(std::back_inserter(k), "{}{}", k.empty() ? "" : ",", recorded);
    fmt::format_to(std::back_inserter(u), "{}{}", u.empty() ? "" : ",", missing / g);
    while (!stack.empty()) {
      const uint32_t i = stack.back().first;
      stack.pop_back();
      const fold::TrieNode& t = node(i);
      kids.clear();
      int64_t rest = t.self;
      bool any_child = false;
      children(i, [&](uint32_t c) {
        any_child = true;
        if (kept[c]) {
          kids.push_back(c);
        } else {
          rest += node(c).total;
        }
      });
      const bool partial = rest != t.self || (!any_child && layout.leaves_may_hide_callees);
      if (partial) lim = std::max(lim, t.total);
      append_number(stream, 4 * kids.size() + (partial ? 2 : 0) + (rest != 0 ? 1 : 0));
      append_number(stream, name_index.at(trie.frames[t.frame].name.value()));
      if (rest != 0) append_number(stream, static_cast<uint64_t>(rest / g));
      for (size_t j = kids.size(); j-- > 0;) stack.push_back({kids[j], false});
    }
  }
  fmt::format_to(std::back_inserter(out),
                 "<metadata id=\"search-{}\">{{\"g\":{},\"lim\":{},\"k\":[{}],\"u\":[{}],\"t\":\"{}\",\"names\":[", id,
                 g, lim, k, u, stream);
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, names[i]);
  }
  out += "]}</metadata>\n";
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
                 "xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n",
                 s.width, g.height);
  // The document's title (a browser tab's): the file and sample type (by default the subtitle says them).
  out += "<title>";
  append_xml_escaped(out, sanitize_utf8(!s.document_title.empty() ? s.document_title
                                        : s.subtitle.empty()     ? s.title
                                                                 : s.subtitle + " \u2014 " + s.title));
  out += "</title>\n";
  out += "<!-- Flame graph by pprofx. Click a frame to zoom, Ctrl-F or \"Search\" for a regexp. -->\n";
  fmt::format_to(o, "<style type=\"text/css\"><![CDATA[{}text {{ font-size: {}px; }} #title {{ font-size: {}px; }}\n]]></style>\n",
                 kFlameStyle, s.font_size, s.font_size + 5);
  fmt::format_to(o, "<script type=\"text/ecmascript\"><![CDATA[{}]]></script>\n", kFlameScript);
  // The header's and footer's backgrounds, which stay in view while the graph scrolls, are
  // the same gradient in the image's coordinates.
  fmt::format_to(o,
                 "<defs><linearGradient id=\"background\" y1=\"0\" y2=\"1\" x1=\"0\" x2=\"0\">"
                 "<stop stop-color=\"#eeeeee\" offset=\"5%\"/><stop stop-color=\"#eeeeb0\" offset=\"95%\"/>"
                 "</linearGradient><linearGradient id=\"bands\" gradientUnits=\"userSpaceOnUse\" y1=\"0\" "
                 "y2=\"{:.0f}\" x1=\"0\" x2=\"0\"><stop stop-color=\"#eeeeee\" offset=\"5%\"/>"
                 "<stop stop-color=\"#eeeeb0\" offset=\"95%\"/></linearGradient></defs>\n",
                 g.height);
  fmt::format_to(o, "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{:.0f}\" fill=\"url(#background)\"/>\n", s.width,
                 g.height);

  // The search's record of the frames not drawn, within what the frames leave of the byte budget.
  size_t frame_bytes_total = 0, budget = kSvgByteBudget;
  for (const Pane& p : g.panes) {
    if (p.layout->byte_budget > 0) budget = std::min(budget, p.layout->byte_budget);
    for (const Box& b : p.layout->boxes) frame_bytes_total += frame_bytes(*p.trie, b.node);
  }
  const size_t search_budget =
      std::min(kSearchByteBudget, budget > frame_bytes_total ? budget - frame_bytes_total : 0) / g.panes.size();
  auto pane_id = [](size_t pi) { return pi == 0 ? std::string("frames") : fmt::format("frames{}", pi + 1); };
  for (size_t pi = 0; pi < g.panes.size(); ++pi) append_search_data(out, pane_id(pi), g.panes[pi], search_budget);

  for (size_t pi = 0; pi < g.panes.size(); ++pi) {
    const Pane& pane = g.panes[pi];
    const fold::StackTrie& trie = *pane.trie;
    const Layout& layout = *pane.layout;
    ShownNames names;
    fmt::format_to(o,
                   "<g id=\"{}\" class=\"frames\" data-total=\"{}\" data-width=\"{}\" data-height=\"{:.0f}\" "
                   "data-xpad=\"{}\" data-rowh=\"{}\" data-charw=\"{}\" data-origin=\"{}\" data-inverted=\"{}\" "
                   "data-skiproot=\"{}\">\n",
                   pane_id(pi), layout.total, s.width, g.height, g.x_pad, s.row_height, char_w, pane.origin,
                   pane.inverted ? 1 : 0, pane.skip_root ? 1 : 0);
    for (const Box& b : layout.boxes) {
      if (pane.skip_root && b.depth == 0) continue;
      const DrawnBox d = drawn_box(pane, g, s, b, &names);
      const fold::TrieNode& node = *d.node;
      out += node.inlined() || node.partly_inlined() ? "<g class=\"inl\"><title>" : "<g><title>";
      append_xml_escaped(out, d.name);
      if (s.node_details) {
        out += '\n';
        append_details(out, s.node_details(b.node));
      } else {
        fmt::format_to(o, "\n{} ({})", format_value(node.total, s), percent(node.total, layout.total));
      }
      if (!s.node_details && node.self > 0 && b.node != fold::kRootNode) {
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

  // Header and footer after the frames, so that they stay on top when the script keeps them in view.
  fmt::format_to(o, "<g id=\"header\"><rect x=\"0\" y=\"0\" width=\"{}\" height=\"{:.1f}\" fill=\"url(#bands)\"/>\n",
                 s.width, g.top_pad);
  text_element(out, "title", "", s.width / 2, s.font_size * 2, s.title);
  double y = s.font_size * 2;
  if (!s.subtitle.empty()) text_element(out, "subtitle", "", s.width / 2, y += s.font_size * 1.6, s.subtitle);
  if (!s.note.empty()) text_element(out, "note", "", s.width / 2, y += s.font_size * 1.6, s.note);
  text_element(out, "unzoom", "button hide", g.x_pad, s.font_size * 2, "Reset Zoom");
  // Right-aligned, "ic" at the edge and two characters' gap: "Reset Search" grows to the left.
  text_element(out, "search", "button end", s.width - g.x_pad - 4 * char_w, s.font_size * 2, "Search");
  text_element(out, "ignorecase", "button end", s.width - g.x_pad, s.font_size * 2, "ic");
  out += "</g>\n";
  fmt::format_to(o, "<g id=\"footer\"><rect x=\"0\" y=\"{:.1f}\" width=\"{}\" height=\"{:.1f}\" fill=\"url(#bands)\"/>\n",
                 g.height - g.bottom_pad, s.width, g.bottom_pad);
  text_element(out, "details", "", g.x_pad, g.height - s.font_size * 0.8, " ");
  text_element(out, "matched", "end", s.width - g.x_pad, g.height - s.font_size * 0.8, " ");
  out += "</g>\n</svg>\n";
  return out;
}

}  // namespace pprofx::render
