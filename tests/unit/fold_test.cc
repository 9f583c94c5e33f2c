#include <doctest/doctest.h>

#include <array>
#include <map>
#include <tuple>

#include "pprofx/decode/decode.h"
#include "pprofx/fold/graph.h"
#include "pprofx/fold/view.h"
#include "profile_builder.h"

using namespace pprofx;
using testing::ProfileBuilder;

namespace {

model::Profile build_profile(const ProfileBuilder& b) {
  auto r = decode::decode_profile(b.bytes(), "t.pb");
  REQUIRE(r.ok());
  return std::move(*r);
}

// name -> (flat, cum) at the given granularity, after filters.
std::map<std::string, std::pair<int64_t, int64_t>> fold_values(const model::Profile& p, const fold::Filters& f = {},
                                                               fold::Granularity g = fold::Granularity::kFunctions,
                                                               bool noinlines = false) {
  auto view = fold::build_view(p, f);
  REQUIRE(view.ok());
  auto value = fold::choose_value(p, "", false);
  REQUIRE(value.ok());
  const fold::Graph graph = fold::Graph::build(*view, {.granularity = g, .noinlines = noinlines, .value = *value});
  std::map<std::string, std::pair<int64_t, int64_t>> out;
  for (const fold::Node& n : graph.nodes) {
    if (n.flat != 0 || n.cum != 0) out[graph.frames.printable_name(graph.frames.infos[&n - graph.nodes.data()])] = {n.flat, n.cum};
  }
  return out;
}

// root <- main.main <- main.work <- leaf, etc.
struct Fixture {
  ProfileBuilder b;
  uint64_t rt_main, main_main, work, alloc, malloc, helper;
  Fixture() {
    b.sample_type("samples", "count");
    rt_main = b.frame("runtime.main", "/go/src/runtime/proc.go");
    main_main = b.frame("main.main", "/src/main.go");
    work = b.frame("main.work", "/src/work.go");
    alloc = b.frame("main.alloc", "/src/alloc.go");
    malloc = b.frame("runtime.mallocgc", "/go/src/runtime/malloc.go");
    helper = b.frame("main.helper", "/src/work.go");
    b.label(b.sample({work, main_main, rt_main}, {10}), "handler", "/api");
    b.num_label(b.sample({malloc, alloc, main_main, rt_main}, {4}), "bytes", 2048, "bytes");
    b.label(b.sample({helper, work, main_main, rt_main}, {1}), "handler", "/debug");
  }
};

}  // namespace

TEST_CASE("flat goes to the leaf, cum to every frame") {
  Fixture fx;
  auto v = fold_values(build_profile(fx.b));
  CHECK(v["main.work"] == std::pair<int64_t, int64_t>{10, 11});
  CHECK(v["main.main"] == std::pair<int64_t, int64_t>{0, 15});
  CHECK(v["runtime.mallocgc"] == std::pair<int64_t, int64_t>{4, 4});
}

TEST_CASE("recursion counts cum once per sample") {
  ProfileBuilder b;
  b.sample_type("samples", "count");
  const uint64_t a = b.frame("a"), c = b.frame("c");
  b.sample({a, c, a}, {7});
  auto v = fold_values(build_profile(b));
  CHECK(v["a"] == std::pair<int64_t, int64_t>{7, 7});
  CHECK(v["c"] == std::pair<int64_t, int64_t>{0, 7});
}

TEST_CASE("the profile's drop_frames prunes below the first user frame; --all-frames turns it off") {
  Fixture fx;
  fx.b.proto().set_drop_frames(fx.b.str("runtime\\..*"));
  const model::Profile p = build_profile(fx.b);
  auto v = fold_values(p);
  CHECK(v.count("runtime.mallocgc") == 0);
  CHECK(v["main.alloc"] == std::pair<int64_t, int64_t>{4, 4});
  CHECK(v["runtime.main"].second == 15);  // above the first user frame: kept
  fold::Filters all;
  all.all_frames = true;
  CHECK(fold_values(p, all)["runtime.mallocgc"].first == 4);
}

TEST_CASE("focus, ignore, hide and show follow pprof") {
  Fixture fx;
  const model::Profile p = build_profile(fx.b);
  fold::Filters f;
  f.focus = "alloc";
  auto v = fold_values(p, f);
  CHECK(v["main.main"].second == 4);
  CHECK(v.count("main.work") == 0);

  f = {};
  f.ignore = "helper";
  v = fold_values(p, f);
  CHECK(v["main.work"] == std::pair<int64_t, int64_t>{10, 10});

  f = {};
  f.hide = "main\\.work";
  v = fold_values(p, f);
  CHECK(v.count("main.work") == 0);
  CHECK(v["main.main"] == std::pair<int64_t, int64_t>{10, 15});  // work's samples now end in main.main

  f = {};
  f.show = "work\\.go";  // file names match too
  v = fold_values(p, f);
  CHECK(v.size() == 2);
  CHECK(v["main.work"] == std::pair<int64_t, int64_t>{10, 11});
  CHECK(v["main.helper"] == std::pair<int64_t, int64_t>{1, 1});

  f = {};
  f.focus = "(";
  auto bad = fold::build_view(p, f);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.rfind("parsing focus regexp:", 0) == 0);
}

TEST_CASE("show_from and prune_from cut stacks") {
  Fixture fx;
  const model::Profile p = build_profile(fx.b);
  fold::Filters f;
  f.show_from = "main\\.work";
  auto v = fold_values(p, f);
  CHECK(v.count("main.main") == 0);
  CHECK(v["main.work"].second == 11);
  CHECK(v.count("main.alloc") == 0);  // no match: sample dropped

  f = {};
  f.prune_from = "main\\.work";
  v = fold_values(p, f);
  CHECK(v.count("main.helper") == 0);
  CHECK(v["main.work"] == std::pair<int64_t, int64_t>{11, 11});
}

TEST_CASE("tag filters: regex, key=regex and numeric ranges") {
  Fixture fx;
  const model::Profile p = build_profile(fx.b);
  fold::Filters f;
  f.tag_focus = "handler:/api";
  CHECK(fold_values(p, f)["main.main"].second == 10);
  f.tag_focus = "handler=/debug";
  CHECK(fold_values(p, f)["main.main"].second == 1);
  f = {};
  f.tag_ignore = "handler=/api,/debug";
  CHECK(fold_values(p, f)["main.main"].second == 4);
  f = {};
  f.tag_focus = "1kb:";
  CHECK(fold_values(p, f)["main.main"].second == 4);
  f.tag_focus = "bytes=:1kb";
  CHECK(fold_values(p, f).empty());
  f.tag_focus = "2kb";
  CHECK(fold_values(p, f)["main.alloc"].second == 4);
}

TEST_CASE("granularity keys nodes as pprof does; inlined frames are marked") {
  ProfileBuilder b;
  b.sample_type("samples", "count");
  const uint64_t f = b.function("pkg.f", "/src/f.go"), g = b.function("pkg.g", "/src/f.go");
  const uint64_t inl = b.location({{g, 7}, {f, 20}}, 0, 0x1234);  // g inlined into f
  const uint64_t f_other = b.location({{f, 21}}, 0, 0x1300);
  b.sample({inl}, {3});
  b.sample({f_other}, {2});
  const model::Profile p = build_profile(b);
  auto v = fold_values(p);
  CHECK(v["pkg.f"] == std::pair<int64_t, int64_t>{2, 5});
  CHECK(v["pkg.g"] == std::pair<int64_t, int64_t>{3, 3});
  v = fold_values(p, {}, fold::Granularity::kLines);
  CHECK(v["pkg.f /src/f.go:20"] == std::pair<int64_t, int64_t>{0, 3});
  CHECK(v["pkg.f /src/f.go:21"] == std::pair<int64_t, int64_t>{2, 2});
  v = fold_values(p, {}, fold::Granularity::kFiles);
  CHECK(v["/src/f.go"] == std::pair<int64_t, int64_t>{5, 5});
  v = fold_values(p, {}, fold::Granularity::kAddresses);
  CHECK(v["0000000000001234 pkg.g /src/f.go:7"].first == 3);
  v = fold_values(p, {}, fold::Granularity::kFunctions, /*noinlines=*/true);
  CHECK(v.count("pkg.g") == 0);
  CHECK(v["pkg.f"] == std::pair<int64_t, int64_t>{5, 5});

  auto view = fold::build_view(p, {});
  REQUIRE(view.ok());
  const fold::Graph graph = fold::Graph::build(*view, {.value = *fold::choose_value(p, "", false)});
  std::vector<uint8_t> kept(graph.nodes.size(), 1);
  auto marks = graph.inline_marks(kept, 0);
  for (size_t n = 0; n < graph.nodes.size(); ++n) {
    const std::string name = graph.frames.printable_name(graph.frames.infos[n]);
    CHECK(marks[n] == (name == "pkg.g" ? fold::InlineMark::kInline : fold::InlineMark::kNone));
  }
}

TEST_CASE("sample type choice follows pprof's -sample_index") {
  ProfileBuilder b;
  b.sample_type("alloc_objects", "count").sample_type("alloc_space", "bytes").sample_type("space", "bytes");
  b.sample({b.frame("f")}, {1, 2, 3});
  model::Profile p = build_profile(b);
  CHECK(fold::choose_value(p, "", false)->index == 2);
  CHECK(fold::choose_value(p, "alloc_space", false)->index == 1);
  CHECK(fold::choose_value(p, "inuse_space", false)->index == 2);  // "inuse_" dropped for old profiles
  CHECK(fold::choose_value(p, "0", true)->type == "mean_alloc_objects");
  CHECK(fold::choose_value(p, "3", false).error().message == "sample index 3 is outside the range [0..2]");
  CHECK(fold::choose_value(p, "cpu", false).error().message ==
        "sample index \"cpu\" must be one of: [alloc_objects alloc_space space]");
  b.proto().set_default_sample_type(b.str("alloc_objects"));
  CHECK(fold::choose_value(build_profile(b), "", false)->index == 0);
}

TEST_CASE("the graph is the same walked by one thread or two (nodes, edges, inline marks)") {
  // Enough frames for the second thread (over 2^20), recursion, inlined
  // frames, negative and zero values, and -mean's divisor.
  ProfileBuilder b;
  b.sample_type("samples", "count").sample_type("cpu", "nanoseconds");
  std::vector<uint64_t> locs;
  for (int i = 0; i < 300; ++i) locs.push_back(b.frame("pkg.F" + std::to_string(i), "/src/f.go"));
  const uint64_t f = b.function("pkg.outer"), g = b.function("pkg.inner");
  for (int i = 0; i < 20; ++i) locs.push_back(b.location({{g, i + 1}, {f, 100 + i}}));
  locs.push_back(b.location({{g, 50}}));  // pkg.outer -> pkg.inner also as a plain call, in the last samples only
  locs.push_back(b.location({{f, 60}}));
  uint64_t x = 88172645463325252ull;
  auto next = [&x] { return x ^= x << 13, x ^= x >> 7, x ^= x << 17; };
  for (int s = 0; s < 30'000; ++s) {
    std::vector<uint64_t> stack;
    const size_t depth = 1 + next() % 70;
    for (size_t d = 0; d < depth; ++d) stack.push_back(locs[next() % (d < 5 ? locs.size() : 40)]);
    if (s > 25'000 && s % 97 == 0) stack.insert(stack.begin(), {locs[locs.size() - 2], locs.back()});
    const int64_t v = static_cast<int64_t>(next() % 1000) - (s % 7 == 0 ? 600 : 0);
    b.sample(stack, {s % 11 == 0 ? 0 : 1, v});
  }
  const model::Profile p = build_profile(b);
  auto view = fold::build_view(p, {});
  REQUIRE(view.ok());
  size_t frames = 0;
  for (const auto& s : view->samples) frames += s.count;
  REQUIRE(frames > (size_t{1} << 20));
  for (bool mean : {false, true}) {
    auto value = fold::choose_value(p, "cpu", mean);
    REQUIRE(value.ok());
    const fold::Graph one = fold::Graph::build(*view, {.value = *value, .threads = 1});
    const fold::Graph two = fold::Graph::build(*view, {.value = *value, .threads = 2});
    auto node_values = [](const fold::Graph& graph) {
      std::vector<std::array<int64_t, 4>> v;
      for (const fold::Node& n : graph.nodes) v.push_back({n.flat, n.flat_div, n.cum, n.cum_div});
      return v;
    };
    CHECK(node_values(one) == node_values(two));
    auto edge_values = [](const std::vector<fold::Edge>& edges) {
      std::vector<std::tuple<uint32_t, uint32_t, int64_t, int64_t, bool, bool>> v;
      for (const fold::Edge& e : edges) v.emplace_back(e.src, e.dest, e.weight, e.weight_div, e.inlined, e.residual);
      return v;
    };
    std::vector<uint8_t> all(one.nodes.size(), 1), kept = all;
    for (size_t n = 0; n < kept.size(); n += 3) kept[n] = 0;  // residual edges through dropped nodes
    for (const auto& k : {all, kept}) {
      const auto e1 = edge_values(one.edges(k));
      CHECK(e1.size() > 1000);
      CHECK(e1 == edge_values(two.edges(k)));
      CHECK(one.inline_marks(k, 0) == two.inline_marks(k, 0));
    }
  }
}
