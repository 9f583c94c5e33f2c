// diff::build_graph (the differential flame graph's widths, changes, noise and
// texts), render's change colours, and fold::make_pivot.
//   BASE: main;a 10, main;b 10 (total 20)    NEW: main;a 30, main;b 10 (total 40)
//   shares of self: a 50% -> 75% (+25 pt), b 50% -> 25% (-25 pt), main 0 -> 0.
//   noise bound (check_test's formula), p = (0.5 nb + 0.75 nn) / (nb + nn) = 2/3:
//   nb, nn = 20, 40: 300 sqrt(2/9 * (1/20 + 1/40)) = 38.73 pt (a change of 25 is noise);
//   nb, nn = 2000, 4000: 3.873 pt (it is not).
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "pprofx/diff/graph.h"
#include "pprofx/fold/prepare.h"
#include "pprofx/render/diff_colors.h"
#include "pprofx/render/layout.h"
#include "stacks.h"

using namespace pprofx;
using testing::stacks_profile;

namespace {

model::Profile side(int64_t a, int64_t b, const std::string& extra = "", int64_t extra_value = 0) {
  std::vector<testing::StackValues> s = {{"main;a", {a}}, {"main;b", {b}}};
  if (!extra.empty()) s.push_back({extra, {extra_value}});
  return stacks_profile({{"samples", "count"}}, s);
}

diff::Graph graph(const model::Profile& base, const model::Profile& next, diff::GraphOptions o = {}) {
  auto t = diff::diff_tables(base, next, {});
  REQUIRE(t.ok());
  auto g = diff::build_graph(base, next, *t, {}, o, "base.pb", "new.pb");
  REQUIRE_MESSAGE(g.ok(), g.error().message);
  return std::move(*g);
}

// The node at a ';'-joined path from the root ("" is the root).
fold::NodeId node(const fold::StackTrie& t, const std::string& path) {
  fold::NodeId n = fold::kRootNode;
  size_t start = 0;
  while (start < path.size()) {
    size_t end = path.find(';', start);
    if (end == std::string::npos) end = path.size();
    const std::string frame = path.substr(start, end - start);
    fold::NodeId c = t.nodes[n].first_child;
    while (c != fold::kNoNode && t.name(t.nodes[c]) != frame) c = t.nodes[c].next_sibling;
    REQUIRE_MESSAGE(c != fold::kNoNode, "no node ", path);
    n = c;
    start = end + 1;
  }
  return n;
}

}  // namespace

TEST_CASE("diff graph: widths from NEW, BASE rescaled to NEW's total, or their sum") {
  const auto base = side(10, 10), next = side(30, 10);
  auto g = graph(base, next);
  const auto& t = g.trie;
  CHECK(t.total() == 40);
  CHECK(t.nodes[node(t, "main")].total == 40);
  CHECK(t.nodes[node(t, "main;a")].self == 30);
  CHECK(t.nodes[node(t, "main;b")].self == 10);

  g = graph(base, next, {.widths = diff::Widths::kBase});
  CHECK(g.trie.total() == 40);  // 20 in BASE, times 40 / 20
  CHECK(g.trie.nodes[node(g.trie, "main;a")].self == 20);
  CHECK(g.trie.nodes[node(g.trie, "main;b")].self == 20);
  CHECK(g.subtitle == "base.pb -> new.pb: samples, widths from BASE");

  g = graph(base, next, {.widths = diff::Widths::kSum});
  CHECK(g.trie.total() == 80);
  CHECK(g.trie.nodes[node(g.trie, "main;a")].self == 50);
  CHECK(g.trie.nodes[node(g.trie, "main;b")].self == 30);
  CHECK(g.subtitle == "base.pb -> new.pb: samples, widths from BASE + NEW");

  // Absolute values: BASE is not rescaled.
  g = graph(base, next, {.widths = diff::Widths::kBase, .normalize = diff::Normalize::kAbsolute});
  CHECK(g.trie.total() == 20);
  CHECK(g.trie.nodes[node(g.trie, "main;a")].self == 10);
}

TEST_CASE("diff graph: change per node in share points, and the noise flag") {
  auto g = graph(side(10, 10), side(30, 10));
  const auto& t = g.trie;
  const fold::NodeId a = node(t, "main;a"), b = node(t, "main;b"), main = node(t, "main");
  REQUIRE(g.change.size() == t.nodes.size());
  REQUIRE(g.noise.size() == t.nodes.size());
  CHECK(g.change[a] == doctest::Approx(25));
  CHECK(g.change[b] == doctest::Approx(-25));
  CHECK(g.change[main] == 0);  // no self on either side
  CHECK(g.change[fold::kRootNode] == 0);
  CHECK(g.noise[a] == 1);  // 25 <= 38.73
  CHECK(g.noise[b] == 1);

  g = graph(side(1000, 1000), side(3000, 1000));  // the same shares, 100 times the samples
  const fold::NodeId a2 = node(g.trie, "main;a"), b2 = node(g.trie, "main;b");
  CHECK(g.change[a2] == doctest::Approx(25));
  CHECK(g.change[b2] == doctest::Approx(-25));
  CHECK(g.noise[a2] == 0);  // 25 > 3.873
  CHECK(g.noise[b2] == 0);
  CHECK(g.noise[node(g.trie, "main")] == 1);  // no change is within noise

  // Coloured by total: main's total share is 100% on both sides.
  g = graph(side(1000, 1000), side(3000, 1000), {.color_by = diff::ColorBy::kTotal});
  CHECK(g.change[node(g.trie, "main")] == 0);
  CHECK(g.change[node(g.trie, "main;a")] == doctest::Approx(25));
  CHECK(g.legend == "colour: change of total share: red grew, blue shrank, grey within noise");
  // main's total share grows (50% -> 100%), its self does not.
  const auto with_other =
      stacks_profile({{"samples", "count"}}, {{"main;a", {10}}, {"main;b", {10}}, {"other", {20}}});
  g = graph(with_other, side(30, 10), {.color_by = diff::ColorBy::kTotal});
  CHECK(g.change[node(g.trie, "main")] == doctest::Approx(50));
  CHECK(g.change[node(g.trie, "other")] == doctest::Approx(-50));
  g = graph(with_other, side(30, 10));
  CHECK(g.change[node(g.trie, "main")] == 0);

  // Absolute: the change in values, noise from the Poisson bound.
  g = graph(side(1000, 1000), side(3000, 1000), {.normalize = diff::Normalize::kAbsolute});
  CHECK(g.change[node(g.trie, "main;a")] == doctest::Approx(2000));
  CHECK(g.change[node(g.trie, "main;b")] == 0);
  CHECK(g.noise[node(g.trie, "main;a")] == 0);
  CHECK(g.noise[node(g.trie, "main;b")] == 1);
  CHECK(g.legend == "colour: change of self value: red grew, blue shrank, grey within noise");
}

TEST_CASE("diff graph: details, frames only in one profile, subtitle and legend") {
  auto g = graph(side(10, 10, "main;gone", 20), side(30, 10, "main;fresh", 40));
  const auto& t = g.trie;
  // BASE total 40, NEW total 80.
  CHECK(g.details(node(t, "main;a")) ==
        "total: 10 (25.00%) -> 30 (37.50%): +20 (+12.50 pt, +200%)\n"
        "self: 10 (25.00%) -> 30 (37.50%): +20 (+12.50 pt, +200%)");
  CHECK(g.details(node(t, "main;fresh")) ==
        "total: 0 (0.00%) -> 40 (50.00%): +40 (+50.00 pt)\n"
        "self: 0 (0.00%) -> 40 (50.00%): +40 (+50.00 pt)\n"
        "only in NEW");
  CHECK(g.details(node(t, "main;gone")) ==
        "total: 20 (50.00%) -> 0 (0.00%): -20 (-50.00 pt, -100%)\n"
        "self: 20 (50.00%) -> 0 (0.00%): -20 (-50.00 pt, -100%)\n"
        "only in BASE");
  const std::string root = g.details(fold::kRootNode);
  CHECK(root.find("only in") == std::string::npos);
  CHECK(root.find("total: 40 (100.00%) -> 80 (100.00%): +40 (+0.00 pt, +100%)") == 0);
  CHECK(g.change[node(t, "main;gone")] == doctest::Approx(-50));
  CHECK(g.change[node(t, "main;fresh")] == doctest::Approx(50));
  CHECK(g.trie.nodes[node(t, "main;gone")].self == 0);  // widths from NEW
  CHECK(g.subtitle == "base.pb -> new.pb: samples, widths from NEW");
  CHECK(g.legend == "colour: change of self share: red grew, blue shrank, grey within noise");

  // An empty NEW: every frame is only in BASE, the root is not.
  g = graph(side(10, 10), stacks_profile({{"samples", "count"}}, {}));
  CHECK(g.trie.total() == 0);
  CHECK(g.details(fold::kRootNode).find("only in") == std::string::npos);
  CHECK(g.details(node(g.trie, "main;a")).ends_with("\nonly in BASE"));
}

TEST_CASE("diff graph: widths, colour-by and normalize parsed") {
  CHECK(*diff::parse_widths("base") == diff::Widths::kBase);
  CHECK(*diff::parse_widths("sum") == diff::Widths::kSum);
  CHECK(diff::parse_widths("both").error().message == "--width must be base, new or sum");
  CHECK(*diff::parse_color_by("total") == diff::ColorBy::kTotal);
  CHECK(diff::parse_color_by("cum").error().message == "--color-by must be self or total");
}

TEST_CASE("diff colours: grey within noise, red growth, blue shrink, saturated by |change| / max") {
  using render::Rgb;
  auto same = [](Rgb x, Rgb y) { return x.r == y.r && x.g == y.g && x.b == y.b; };
  CHECK(same(render::change_color(5, 10, true), Rgb{210, 210, 210}));
  CHECK(same(render::change_color(0, 10, false), Rgb{210, 210, 210}));
  CHECK(same(render::change_color(5, 0, false), Rgb{210, 210, 210}));
  CHECK(same(render::change_color(10, 10, false), Rgb{255, 0, 0}));
  CHECK(same(render::change_color(-10, 10, false), Rgb{0, 0, 255}));
  CHECK(same(render::change_color(5, 10, false), Rgb{255, 110, 110}));    // 220 * (1 - 0.5)
  CHECK(same(render::change_color(-2.5, 10, false), Rgb{165, 165, 255}));  // 220 * 0.75
  CHECK(same(render::change_color(30, 10, false), Rgb{255, 0, 0}));       // past the max: saturated

  auto g = graph(side(1000, 1000), side(3000, 1000, "main;c", 1000));
  // BASE 2000, NEW 5000: a 50% -> 60% (+10), b 50% -> 20% (-30), c 0 -> 20% (+20); max 30.
  render::FlameStyle style;
  const render::Layout layout = render::layout(g.trie, {});
  CHECK(render::max_drawn_change(g, layout) == doctest::Approx(30));
  render::apply_diff_style(g, layout, &style);
  REQUIRE(style.node_colors.size() == g.trie.nodes.size());
  REQUIRE(style.node_details);
  for (size_t i = 0; i < g.trie.nodes.size(); ++i) {
    const fold::NodeId n(static_cast<uint32_t>(i));
    CHECK(style.node_details(n) == g.details(n));
  }
  CHECK(same(style.node_colors[fold::kRootNode], Rgb{210, 210, 210}));  // 100% -> 100%: no change
  CHECK(same(style.node_colors[node(g.trie, "main")], Rgb{210, 210, 210}));
  CHECK(same(style.node_colors[node(g.trie, "main;b")], Rgb{0, 0, 255}));
  CHECK(same(style.node_colors[node(g.trie, "main;a")], Rgb{255, 147, 147}));  // 220 * 2/3 = 146.7
  CHECK(same(style.node_colors[node(g.trie, "main;c")], Rgb{255, 73, 73}));    // 220 / 3 = 73.3
}

TEST_CASE("diff colours per normalisation: the root too, when its total changed beyond noise") {
  using render::Rgb;
  auto same = [](Rgb x, Rgb y) { return x.r == y.r && x.g == y.g && x.b == y.b; };
  // BASE 2000, NEW 6000 (+200%): by value the root grew; by share nothing at the root changed.
  const auto base = side(1000, 1000), next = side(3000, 3000);
  for (auto normalize : {diff::Normalize::kAbsolute, diff::Normalize::kShare}) {
    for (auto by : {diff::ColorBy::kTotal, diff::ColorBy::kSelf}) {
      auto g = graph(base, next, {.color_by = by, .normalize = normalize});
      render::FlameStyle style;
      render::apply_diff_style(g, render::layout(g.trie, {}), &style);
      const Rgb root = style.node_colors[fold::kRootNode], a = style.node_colors[node(g.trie, "main;a")];
      INFO("absolute " << (normalize == diff::Normalize::kAbsolute) << " total " << (by == diff::ColorBy::kTotal));
      if (normalize == diff::Normalize::kAbsolute && by == diff::ColorBy::kTotal) {
        CHECK(g.change[fold::kRootNode] == doctest::Approx(4000));
        CHECK(same(root, Rgb{255, 0, 0}));  // the largest change: saturated red
      } else {
        CHECK(same(root, Rgb{210, 210, 210}));  // no self; the same 100% share
      }
      if (normalize == diff::Normalize::kShare) CHECK(same(a, Rgb{210, 210, 210}));  // 50% -> 50%
      if (normalize == diff::Normalize::kAbsolute) CHECK(a.g < 210);                  // +2000: red
    }
  }
}

namespace {

// Each drawn frame: its path, place, width, colour and tooltip, as the SVG writer gets them.
std::vector<std::string> drawn_frames(const diff::Graph& g, const render::LayoutOptions& lo) {
  const render::Layout l = render::layout(g.trie, lo);
  render::FlameStyle style;
  render::apply_diff_style(g, l, &style);
  std::vector<std::string> out;
  for (const render::Box& b : l.boxes) {
    std::string path;
    for (fold::NodeId n = b.node; n != fold::kRootNode; n = g.trie.nodes[n].parent) {
      path = std::string(g.trie.name(g.trie.nodes[n])) + ";" + path;
    }
    const render::Rgb c = style.node_colors[b.node];
    out.push_back(path + " x=" + std::to_string(b.x) + " w=" + std::to_string(b.width) + " d=" +
                  std::to_string(b.depth) + " rgb=" + std::to_string(c.r) + "," + std::to_string(c.g) + "," +
                  std::to_string(c.b) + " noise=" + std::to_string(g.noise[b.node]) + " " + g.details(b.node));
  }
  std::sort(out.begin(), out.end());
  out.push_back("pruned " + std::to_string(l.pruned_frames) + " " + std::to_string(l.pruned_value) + " threshold " +
                std::to_string(l.threshold));
  return out;
}

model::Profile random_side(uint32_t seed, int variant) {
  testing::ProfileBuilder b;
  b.sample_type("samples", "count");
  std::vector<uint64_t> frames;
  for (int i = 0; i < 12; ++i) frames.push_back(b.frame("f" + std::to_string(i)));
  uint32_t x = seed * 2654435761u + static_cast<uint32_t>(variant) * 97u;
  auto next = [&x] { return x = x * 1103515245u + 12345u, (x >> 8) & 0xffff; };
  for (int s = 0; s < 60; ++s) {
    std::vector<uint64_t> stack;
    const uint32_t depth = 1 + next() % (seed % 3 == 0 ? 40 : 6);
    for (uint32_t d = 0; d < depth; ++d) stack.push_back(frames[next() % (seed % 4 == 0 ? 2 : frames.size())]);
    b.sample(stack, {1000 * (seed % 2 == 0 ? 1 : 1 + static_cast<int64_t>(next() % 5))});
  }
  auto r = decode::decode_profile(b.bytes(), "t.pb");
  REQUIRE(r.ok());
  return std::move(*r);
}

}  // namespace

TEST_CASE("diff graph under the frame budget draws the boxes, widths, colours and tooltips of the complete one") {
  for (uint32_t seed = 1; seed <= 30; ++seed) {
    const model::Profile base = random_side(seed, 0), next = random_side(seed, 1);
    auto t = diff::diff_tables(base, next, {});
    REQUIRE(t.ok());
    for (auto widths : {diff::Widths::kNew, diff::Widths::kBase, diff::Widths::kSum}) {
      for (auto normalize : {diff::Normalize::kShare, diff::Normalize::kAbsolute}) {
        diff::GraphOptions o{.widths = widths, .color_by = seed % 2 == 0 ? diff::ColorBy::kTotal : diff::ColorBy::kSelf,
                             .normalize = normalize};
        auto full = diff::build_graph(base, next, *t, {}, o, "b", "n");
        REQUIRE(full.ok());
        for (size_t budget : {1, 3, 10, 25, 100, 1000}) {
          for (double min_fraction : {0.0001, 0.01}) {
            o.min_fraction = min_fraction;
            o.frame_budget = budget;
            auto part = diff::build_graph(base, next, *t, {}, o, "b", "n");
            REQUIRE(part.ok());
            render::LayoutOptions lo;
            lo.width_px = 1;
            lo.min_width = min_fraction;
            lo.frame_budget = budget;
            INFO("seed " << seed << " budget " << budget << " min_fraction " << min_fraction << " widths "
                         << static_cast<int>(widths));
            CHECK(part->trie.nodes.size() <= full->trie.nodes.size());
            CHECK(drawn_frames(*part, lo) == drawn_frames(*full, lo));
          }
        }
        o.min_fraction = 0;
        o.frame_budget = 0;
      }
    }
  }
}

TEST_CASE("the merged build's complete tree equals the two trees merged (merge_tries) with set_diff_widths") {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    const model::Profile base = random_side(seed, 0), next = random_side(seed, 2);
    auto bf = fold::fold_profile(base, "b", {}, {});
    auto nf = fold::fold_profile(next, "n", {}, {});
    REQUIRE(bf.ok());
    REQUIRE(nf.ok());
    diff::MergedTrie m = diff::merge_tries(bf->trie, nf->trie);
    const double scale = static_cast<double>(nf->trie.total()) / static_cast<double>(bf->trie.total());
    REQUIRE(diff::set_diff_widths(m, diff::Widths::kSum, scale).ok());
    m.trie.finish();
    auto t = diff::diff_tables(base, next, {});
    REQUIRE(t.ok());
    auto g = diff::build_graph(base, next, *t, {}, {.widths = diff::Widths::kSum}, "b", "n");
    REQUIRE(g.ok());
    // Every path's width and each side's values, as folded lines.
    auto lines = [](const fold::StackTrie& trie, const IdVector<fold::NodeId, int64_t>* bs,
                    const IdVector<fold::NodeId, int64_t>* ns) {
      std::vector<std::string> out;
      for (size_t i = 1; i < trie.nodes.size(); ++i) {
        std::string path;
        for (fold::NodeId n(static_cast<uint32_t>(i)); n != fold::kRootNode; n = trie.nodes[n].parent) {
          path = std::string(trie.name(trie.nodes[n])) + ";" + path;
        }
        const fold::NodeId id(static_cast<uint32_t>(i));
        out.push_back(path + " " + std::to_string(trie.nodes[id].self) + " " + std::to_string(trie.nodes[id].total) +
                      (bs ? " " + std::to_string((*bs)[id]) + " " + std::to_string((*ns)[id]) : ""));
      }
      std::sort(out.begin(), out.end());
      return out;
    };
    INFO("seed " << seed);
    CHECK(lines(g->trie, nullptr, nullptr) == lines(m.trie, nullptr, nullptr));
    CHECK(g->trie.total() == m.trie.total());
  }
}

TEST_CASE("make_pivot: RE2 partial match, callers or callees, errors name --focus-function") {
  auto p = fold::make_pivot("^work", true);
  REQUIRE(p.ok());
  CHECK((*p)->callers);
  CHECK((*p)->matches("work"));
  CHECK((*p)->matches("workers.run"));
  CHECK(!(*p)->matches("main.work"));
  p = fold::make_pivot("alloc", false);
  REQUIRE(p.ok());
  CHECK(!(*p)->callers);
  CHECK((*p)->matches("runtime.mallocgc.alloc_slow"));
  CHECK(!(*p)->matches("free"));
  auto bad = fold::make_pivot("a(b", false);
  REQUIRE(!bad.ok());
  CHECK(bad.error().message.find("--focus-function: parsing regexp a(b: ") == 0);
  CHECK(bad.error().message.size() > std::string("--focus-function: parsing regexp a(b: ").size());
}

TEST_CASE("a merged side packed (2-byte frames) builds the tree it built unpacked") {
  // Each side's paths as add_merged_side leaves them, packed or not, then the same build.
  auto build = [](const model::Profile& base, const model::Profile& next, bool pack, bool join) {
    fold::MergedPaths paths;
    const model::Profile* sides[2] = {&base, &next};
    for (int s = 0; s < 2; ++s) {
      auto prepared = fold::prepare_fold(*sides[s], "p", {}, {});
      REQUIRE(prepared.ok());
      fold::add_merged_side(paths, prepared->view, prepared->options, s, join);
      if (pack) fold::pack_merged_side(paths, s);
    }
    const size_t narrow = size_t{paths.frames[0].narrow()} + size_t{paths.frames[1].narrow()};
    fold::finish_merged_paths(paths);
    std::vector<int64_t> widths;
    for (const auto& p : paths.paths) widths.push_back(p.base + p.next);
    fold::MergedTrie m = fold::build_merged_trie(paths, widths, 0.001, 50);
    std::vector<std::string> out;
    for (size_t i = 1; i < m.trie.nodes.size(); ++i) {
      const fold::NodeId id(static_cast<uint32_t>(i));
      out.push_back(std::string(m.trie.name(m.trie.nodes[id])) + " " + std::to_string(m.trie.nodes[id].parent.value()) +
                    " " + std::to_string(m.trie.nodes[id].self) + " " + std::to_string(m.base_total[id]) + " " +
                    std::to_string(m.new_total[id]) + " " + std::to_string(m.trie.nodes[id].inline_flags));
    }
    return std::make_pair(out, narrow);
  };
  for (uint32_t seed = 1; seed <= 12; ++seed) {
    const model::Profile base = random_side(seed, 0), next = random_side(seed, 3);
    for (bool join : {false, true}) {
      INFO("seed " << seed << " join " << join);
      auto [packed, narrow] = build(base, next, true, join);
      auto [plain, none] = build(base, next, false, join);
      CHECK(narrow == 2);  // few frames: both sides collected in 2 bytes a step
      CHECK(none == 2);
      CHECK(packed == plain);
    }
  }
  // Inlined frames: their flags are kept and drawn.
  testing::ProfileBuilder b;
  b.sample_type("samples", "count");
  const uint64_t loc = b.location({{b.function("inner"), 3}, {b.function("outer"), 9}});
  b.sample({loc, b.frame("main")}, {5});
  auto inl = decode::decode_profile(b.bytes(), "i.pb");
  REQUIRE(inl.ok());
  auto [with_flags, n1] = build(*inl, *inl, true, true);
  CHECK(with_flags == build(*inl, *inl, false, true).first);
  CHECK(std::any_of(with_flags.begin(), with_flags.end(), [](const std::string& l) { return l.back() != '0'; }));
  // More than 2^16 frames: the frames stay 4 bytes (a 2-byte id would wrap).
  std::vector<testing::StackValues> many;
  for (int f = 0; f < 70000; ++f) many.push_back({"main;f" + std::to_string(f), {1 + f % 3}});
  const model::Profile wide = stacks_profile({{"samples", "count"}}, many);
  auto [wide_packed, wide_narrow] = build(wide, wide, true, true);
  CHECK(wide_narrow == 0);
  CHECK(wide_packed == build(wide, wide, false, true).first);
}

namespace {

// A graph's every node: frame id, name, parent, widths, each side's values, change, noise, tooltip.
std::vector<std::string> graph_lines(const diff::Graph& g) {
  std::vector<std::string> out{g.subtitle, g.legend, std::to_string(g.base_all) + " " + std::to_string(g.new_all)};
  for (size_t i = 0; i < g.trie.nodes.size(); ++i) {
    const fold::NodeId id(static_cast<uint32_t>(i));
    const fold::TrieNode& n = g.trie.nodes[id];
    out.push_back(std::to_string(n.frame.value()) + " " + std::string(g.trie.name(n)) + " " +
                  std::to_string(n.parent.value()) + " " + std::to_string(n.self) + " " + std::to_string(n.total) +
                  " " + std::to_string(g.base_total[id]) + " " + std::to_string(g.new_total[id]) + " " +
                  std::to_string(g.base_self[id]) + " " + std::to_string(g.new_self[id]) + " " +
                  std::to_string(g.change[id]) + " " + std::to_string(g.noise[id]) + " " +
                  std::to_string(n.inline_flags) + " " + g.details(id));
  }
  return out;
}

// The same for the nodes with a width (those a layout may draw), by path
// name: a tree walked by BASE's samples (OneAtATime, widths from NEW) makes
// no node only BASE has, and numbers NEW's frames first.
std::vector<std::string> valued_lines(const diff::Graph& g) {
  std::vector<std::string> out;
  for (size_t i = 0; i < g.trie.nodes.size(); ++i) {
    const fold::NodeId id(static_cast<uint32_t>(i));
    const fold::TrieNode& n = g.trie.nodes[id];
    if (n.total <= 0 && id != fold::kRootNode) continue;
    std::string path;
    for (fold::NodeId p = id; p != fold::kRootNode; p = g.trie.nodes[p].parent) {
      path = std::string(g.trie.name(g.trie.nodes[p])) + ";" + path;
    }
    out.push_back(path + " " + std::to_string(n.self) + " " + std::to_string(n.total) + " " +
                  std::to_string(g.base_total[id]) + " " + std::to_string(g.new_total[id]) + " " +
                  std::to_string(g.base_self[id]) + " " + std::to_string(g.new_self[id]) + " " +
                  std::to_string(g.change[id]) + " " + std::to_string(g.noise[id]) + " " +
                  std::to_string(n.inline_flags) + " " + g.details(id));
  }
  std::sort(out.begin(), out.end());
  out.insert(out.begin(), {g.subtitle, g.legend, std::to_string(g.base_all) + " " + std::to_string(g.new_all)});
  return out;
}

diff::TableOptions totals_only() {
  diff::TableOptions t;
  t.totals_only = true;
  return t;
}

std::string table_line(const diff::DiffTable& t) {
  return t.type + " " + t.unit + " " + std::to_string(t.base_total) + " " + std::to_string(t.new_total) + " " +
         std::to_string(t.base_count) + " " + std::to_string(t.new_count) + " " + std::to_string(t.base_duration) +
         " " + std::to_string(t.new_duration) + " " + std::to_string(t.base_ops) + " " + std::to_string(t.new_ops);
}

// OneAtATime of the two (NEW added first), its table handed to settle; with
// prebuild_threads > 0, NEW's tree prebuilt on that many threads.
Result<std::pair<diff::DiffTable, diff::Graph>> one_at_a_time(model::Profile base, const model::Profile& next,
                                                              const fold::Selection& sel, diff::GraphOptions o,
                                                              unsigned prebuild_threads = 0) {
  diff::OneAtATime staged(sel, o.widths);
  staged.add_new(next, "n");
  if (prebuild_threads > 0) staged.prebuild(o, prebuild_threads);
  Status s = staged.add_base(
      std::move(base), "b",
      [](diff::DiffTable& t) -> Status {
        t.base_ops = 3;  // what the caller sets is the table build uses
        return Ok{};
      },
      o);
  if (!s) return s.error();
  auto g = staged.build(o, "b", "n");
  if (!g) return g.error();
  return std::pair{staged.table(), std::move(*g)};
}

}  // namespace

TEST_CASE("a diff graph made one profile at a time (OneAtATime) is build_graph's, table and errors too") {
  // make_base: BASE, made twice (once for each way).
  auto compare = [](const std::function<model::Profile()>& make_base, const model::Profile& next,
                    const fold::Selection& sel, diff::GraphOptions o) {
    const model::Profile base = make_base();
    auto t = diff::diff_tables(base, next, sel, totals_only());
    REQUIRE(t.ok());
    t->base_ops = 3;
    auto g = diff::build_graph(base, next, *t, sel, o, "b", "n");
    REQUIRE(g.ok());
    for (unsigned prebuild : {0u, 1u, 2u}) {
      INFO("prebuilt on " << prebuild << " threads");
      auto staged = one_at_a_time(make_base(), next, sel, o, prebuild);
      REQUIRE_MESSAGE(staged.ok(), staged.error().message);
      CHECK(table_line(staged->first) == table_line(*t));
      if (o.widths != diff::Widths::kNew || prebuild == 0) {
        CHECK(graph_lines(staged->second) == graph_lines(*g));
      } else {  // NEW's tree walked by BASE's samples (without negative values): drawn alike; complete, the same values
        // (under a budget, which of the frames at the budget's edge get expanded goes by the frames' numbers)
        if (o.frame_budget == 0) CHECK(valued_lines(staged->second) == valued_lines(*g));
        render::LayoutOptions lo;
        lo.width_px = 1;
        lo.min_width = o.min_fraction;
        lo.frame_budget = o.frame_budget;
        CHECK(drawn_frames(staged->second, lo) == drawn_frames(*g, lo));
      }
    }
  };
  for (uint32_t seed = 1; seed <= 12; ++seed) {
    const auto base = [seed] { return random_side(seed, 0); };
    const model::Profile next = random_side(seed, 5);
    for (auto widths : {diff::Widths::kNew, diff::Widths::kBase, diff::Widths::kSum}) {
      INFO("seed " << seed << " widths " << static_cast<int>(widths));
      compare(base, next, {}, {.widths = widths, .normalize = diff::Normalize::kPerOp});
      compare(base, next, {}, {.widths = widths, .min_fraction = 0.01, .frame_budget = 20});
      compare(base, next, {}, {.widths = widths, .min_fraction = 0.05});  // no budget: subtrees under 5% left whole
    }
  }
  // Frames only in NEW numbered after BASE's, and more than 2^16 frames in all though fewer on
  // each side: NEW's paths, read in 2 bytes a step, are widened before its frames get their ids.
  std::vector<testing::StackValues> b, n;
  for (int f = 0; f < 40000; ++f) b.push_back({"main;f" + std::to_string(f), {1 + f % 3}});
  for (int f = 30000; f < 70000; ++f) n.push_back({"main;f" + std::to_string(f) + ";g" + std::to_string(f % 7), {2}});
  const auto wide_base = [&b] { return stacks_profile({{"samples", "count"}}, b); };
  const model::Profile wide_new = stacks_profile({{"samples", "count"}}, n);
  for (auto widths : {diff::Widths::kNew, diff::Widths::kSum}) {
    compare(wide_base, wide_new, {}, {.widths = widths});
  }
  // A negative value (a delta profile) nets out with the rest of its node, widths from NEW too:
  // main;a is two paths here (two locations of a), +30 and -40, so NEW is 10 wide (b), not 40.
  const auto delta = [](int64_t sign) {
    testing::ProfileBuilder d;
    d.sample_type("samples", "count");
    const uint64_t a = d.function("a"), main = d.frame("main");
    d.sample({d.location({{a, 1}}), main}, {30 * sign});
    d.sample({d.location({{a, 2}}), main}, {-40 * sign});
    d.sample({d.frame("b"), main}, {10});
    auto r = decode::decode_profile(d.bytes(), "d.pb");
    REQUIRE(r.ok());
    return std::move(*r);
  };
  compare([] { return side(10, 10); }, delta(1), {}, {});
  compare([&delta] { return delta(-1); }, side(10, 10), {}, {});
  CHECK(graph(side(10, 10), delta(1)).trie.total() == 10);
  // Errors are diff_tables' (NEW's sample type before BASE's; BASE of another kind).
  fold::Selection bad_type;
  bad_type.sample_index = "nope";
  auto e = one_at_a_time(side(1, 1), side(1, 1), bad_type, {});
  REQUIRE(!e.ok());
  auto want = diff::diff_tables(side(1, 1), side(1, 1), bad_type, totals_only());
  REQUIRE(!want.ok());
  CHECK(e.error().message == want.error().message);
  const auto heap = [] { return stacks_profile({{"space", "bytes"}}, {{"main;a", {1}}}); };
  e = one_at_a_time(heap(), side(1, 1), {}, {});
  want = diff::diff_tables(heap(), side(1, 1), {}, totals_only());
  REQUIRE(!e.ok());
  REQUIRE(!want.ok());
  CHECK(e.error().message == want.error().message);
  CHECK(e.error().message.find("different kinds") != std::string::npos);
}

TEST_CASE("the walked diff graph (NEW's tree prebuilt, BASE walked down it) under the budget draws the complete one") {
  for (uint32_t seed = 1; seed <= 30; ++seed) {
    const model::Profile next = random_side(seed, 1);
    auto t = diff::diff_tables(random_side(seed, 0), next, {});
    REQUIRE(t.ok());
    for (auto normalize : {diff::Normalize::kShare, diff::Normalize::kAbsolute}) {
      diff::GraphOptions o{.color_by = seed % 2 == 0 ? diff::ColorBy::kTotal : diff::ColorBy::kSelf,
                           .normalize = normalize};
      auto full = diff::build_graph(random_side(seed, 0), next, *t, {}, o, "b", "n");
      REQUIRE(full.ok());
      for (size_t budget : {1, 3, 10, 25, 100, 1000}) {
        for (double min_fraction : {0.0001, 0.01}) {
          o.min_fraction = min_fraction;
          o.frame_budget = budget;
          auto walked = one_at_a_time(random_side(seed, 0), next, {}, o, 2);
          REQUIRE(walked.ok());
          render::LayoutOptions lo;
          lo.width_px = 1;
          lo.min_width = min_fraction;
          lo.frame_budget = budget;
          INFO("seed " << seed << " budget " << budget << " min_fraction " << min_fraction);
          CHECK(walked->second.trie.nodes.size() <= full->trie.nodes.size());
          CHECK(drawn_frames(walked->second, lo) == drawn_frames(*full, lo));
        }
      }
    }
  }
}
