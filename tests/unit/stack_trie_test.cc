#include <doctest/doctest.h>

#include "pprofx/decode/decode.h"
#include <fmt/format.h>

#include "pprofx/fold/stack_trie.h"
#include "pprofx/render/layout.h"
#include "profile_builder.h"

using namespace pprofx;
using testing::ProfileBuilder;

namespace {

fold::StackTrie trie_of(const ProfileBuilder& b, bool reverse = false) {
  static model::Profile p;  // the trie refers to nothing in it once built
  auto r = decode::decode_profile(b.bytes(), "t.pb");
  REQUIRE(r.ok());
  p = std::move(*r);
  auto view = fold::build_view(p, {});
  REQUIRE(view.ok());
  return fold::build_trie(*view, {.value = *fold::choose_value(p, "", false), .reverse = reverse});
}

}  // namespace

TEST_CASE("the trie merges identical paths and folds root first") {
  ProfileBuilder b;
  b.sample_type("samples", "count");
  const uint64_t main_fn = b.frame("main"), a = b.frame("a"), c = b.frame("c");
  b.sample({a, main_fn}, {3});
  b.sample({a, main_fn}, {2});
  b.sample({c, a, main_fn}, {4});
  b.sample({main_fn}, {1});
  const fold::StackTrie t = trie_of(b);
  CHECK(t.total() == 10);
  CHECK(fold::to_folded(t) == "main 1\nmain;a 5\nmain;a;c 4\n");
  CHECK(fold::to_folded(trie_of(b, /*reverse=*/true)) == "a;main 5\nc;a;main 4\nmain 1\n");
}

TEST_CASE("inlined frames are expanded; a frame reached both ways is one node, partly inlined") {
  ProfileBuilder b;
  b.sample_type("samples", "count");
  const uint64_t f = b.function("f"), g = b.function("g");
  const uint64_t inl = b.location({{g, 1}, {f, 2}});  // g inlined into f
  const uint64_t call_g = b.location({{g, 5}});
  const uint64_t call_f = b.location({{f, 9}});
  b.sample({inl}, {2});
  b.sample({call_g, call_f}, {3});
  const fold::StackTrie t = trie_of(b);
  CHECK(fold::to_folded(t) == "f;g 5\n");
  const fold::TrieNode& gnode = t.nodes[t.nodes[t.nodes[fold::kRootNode].first_child].first_child];
  CHECK(t.name(gnode) == "g");
  CHECK(gnode.partly_inlined());
}

TEST_CASE("stacks with a negative net value are left out and counted") {
  ProfileBuilder b;
  b.sample_type("inuse_space", "bytes");
  const uint64_t a = b.frame("a"), c = b.frame("c");
  b.sample({a}, {10});
  b.sample({c}, {-4});
  b.sample({c}, {1});
  const fold::StackTrie t = trie_of(b);
  CHECK(t.total() == 10);
  CHECK(t.negative_stacks == 1);
  CHECK(t.negative_total == -3);
  CHECK(fold::to_folded(t) == "a 10\n");
}

TEST_CASE("parse_folded reads flamegraph.pl's format and names bad lines") {
  auto t = fold::parse_folded("# comment\n\nmain;a 3\nmain;a;b c 2\r\nmain;a 1\n", "x.folded", false);
  REQUIRE(t.ok());
  CHECK(t->total() == 6);
  CHECK(fold::to_folded(*t) == "main;a 4\nmain;a;b c 2\n");
  auto bad = fold::parse_folded("main;a 3\nmain;b x\n", "x.folded", false);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "x.folded: line 2: the count \"x\" is not a whole non-negative number");
  auto diff = fold::parse_folded("main;a 3 4\n", "x.folded", false);
  REQUIRE_FALSE(diff.ok());
  CHECK(diff.error().message.find("line 1: two counts") != std::string::npos);
  CHECK_FALSE(fold::parse_folded("# only a comment\n", "x.folded", false).ok());
  CHECK_FALSE(fold::parse_folded("main;a 2.5\n", "x.folded", false).ok());
  // Found by fuzz_folded: counts whose sum overflows int64 (tests/fuzz/crashers/fuzz_folded).
  auto big = fold::parse_folded("a 6148914691236517192\nb 6148914691236517192\n", "x.folded", false);
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().message == "x.folded: line 2: the counts add up past the int64 range");
}

TEST_CASE("deep stacks need no recursion") {
  std::string line;
  for (int i = 0; i < 100000; ++i) line += (i ? ";f" : "f") + std::to_string(i % 7);
  auto t = fold::parse_folded(line + " 1\n", "deep.folded", false);
  REQUIRE(t.ok());
  CHECK(t->nodes.size() == 100001);
  CHECK(fold::to_folded(*t).size() == line.size() + 3);
}

TEST_CASE("folded output streams in sorted order, also when names are prefixes of each other") {
  // Bytewise order puts "b2..." before "b;..." (';' > '2') but "b 1" before
  // both; names with spaces ("a" and "a b") force the in-memory sort.
  for (std::string text : {std::string("x;b 1\nx;b;c 2\nx;b2 3\nx;b2;d 4\nx;b!;e 5\nx;a 6\n"),
                           std::string("a 1\na b;c 2\na;c 3\na b 4\nz 5\n"),
                           std::string("r;s;t 1\nr;s 2\nr 3\nr;s;t;u 4\n")}) {
    auto trie = fold::parse_folded(text, "t", false);
    REQUIRE(trie.ok());
    std::vector<std::string> want;
    for (size_t i = 0, j; i < text.size(); i = j + 1) {
      j = text.find('\n', i);
      want.push_back(text.substr(i, j - i + 1));
    }
    std::sort(want.begin(), want.end());
    std::string expected;
    for (const std::string& l : want) expected += l;
    CHECK(fold::to_folded(*trie) == expected);
    std::string streamed;
    size_t pieces = 0;
    fold::write_folded(*trie, [&](std::string_view s) { streamed.append(s); ++pieces; });
    CHECK(streamed == expected);
    CHECK(pieces >= want.size());
  }
}

namespace {

// What a layout draws, by path of names (node indices differ between builds).
std::vector<std::string> drawn(const fold::StackTrie& t, const render::Layout& l) {
  std::vector<std::string> out;
  for (const render::Box& b : l.boxes) {
    std::string path;
    for (fold::NodeId n = b.node; n != fold::kRootNode; n = t.nodes[n].parent) {
      path = std::string(t.name(t.nodes[n])) + ";" + path;
    }
    out.push_back(fmt::format("{}@{}+{}d{}", path, b.x, b.width, b.depth));
  }
  return out;
}

}  // namespace

TEST_CASE("a frame budget builds only what the layout draws, and the layout draws the same") {
  // Random profiles with shared prefixes, deep chains and many equal values
  // (ties at the budget's threshold), laid out with budgets small and large.
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    ProfileBuilder b;
    b.sample_type("samples", "count");
    std::vector<uint64_t> frames;
    for (int i = 0; i < 12; ++i) frames.push_back(b.frame(fmt::format("f{}", i)));
    uint32_t x = seed * 2654435761u;
    auto next = [&x] { return x = x * 1103515245u + 12345u, (x >> 8) & 0xffff; };
    for (int s = 0; s < 60; ++s) {
      std::vector<uint64_t> stack;
      const uint32_t depth = 1 + next() % (seed % 3 == 0 ? 60 : 8);
      for (uint32_t d = 0; d < depth; ++d) stack.push_back(frames[next() % (seed % 4 == 0 ? 2 : frames.size())]);
      b.sample(stack, {1000 * (seed % 2 == 0 ? 1 : 1 + static_cast<int64_t>(next() % 5))});  // large: ties count
    }
    auto r = decode::decode_profile(b.bytes(), "t.pb");
    REQUIRE(r.ok());
    auto view = fold::build_view(*r, {});
    REQUIRE(view.ok());
    for (size_t budget : {1, 3, 10, 25, 100, 1000}) {
      for (double min_fraction : {0.0001, 0.01}) {
        fold::TrieOptions o{.value = *fold::choose_value(*r, "", false), .min_fraction = min_fraction};
        const fold::StackTrie full = fold::build_trie(*view, o);
        o.frame_budget = budget;
        const fold::StackTrie part = fold::build_trie(*view, o);
        render::LayoutOptions lo;
        lo.width_px = 1;
        lo.min_width = min_fraction;
        lo.frame_budget = budget;
        const render::Layout lf = render::layout(full, lo), lp = render::layout(part, lo);
        INFO("seed " << seed << " budget " << budget << " min_fraction " << min_fraction);
        CHECK(part.nodes.size() <= full.nodes.size());
        CHECK(drawn(part, lp) == drawn(full, lf));
        CHECK(lp.pruned_frames == lf.pruned_frames);
        CHECK(lp.pruned_value == lf.pruned_value);
        CHECK(lp.threshold == lf.threshold);
      }
    }
  }
}

TEST_CASE("folded lines straight from the samples equal the tree's, colliding names and negative stacks included") {
  for (uint32_t seed = 1; seed <= 30; ++seed) {
    ProfileBuilder b;
    b.sample_type("inuse_space", "bytes");
    // Names that are prefixes of each other ("a", "ab", "a!"); colliding ones (through the tree's in-memory
    // sort): "a" and "a b" (seed % 5 == 0), two files' "main" (seed % 3 == 0).
    std::vector<uint64_t> frames = {b.frame("a"), b.frame("ab"), b.frame("a!"), b.frame("b;c"), b.frame("main", "x.go")};
    if (seed % 3 == 0) frames.push_back(b.frame("main", "y.go"));
    if (seed % 5 == 0) frames.push_back(b.frame("a b"));
    uint32_t x = seed * 2246822519u;
    auto next = [&x] { return x = x * 1103515245u + 12345u, (x >> 8) & 0xffff; };
    for (int s = 0; s < 80; ++s) {
      std::vector<uint64_t> stack;
      for (uint32_t d = 0, depth = 1 + next() % 6; d < depth; ++d) stack.push_back(frames[next() % frames.size()]);
      b.sample(stack, {static_cast<int64_t>(next() % 7) - (seed % 2 == 0 ? 2 : 0)});
    }
    auto r = decode::decode_profile(b.bytes(), "t.pb");
    REQUIRE(r.ok());
    auto view = fold::build_view(*r, {});
    REQUIRE(view.ok());
    for (bool reverse : {false, true}) {
      const fold::TrieOptions o{.value = *fold::choose_value(*r, "", false), .reverse = reverse};
      const fold::StackTrie t = fold::build_trie(*view, o);
      std::string direct;
      const fold::FoldStats stats = fold::write_folded(*view, o, [&](std::string_view s) { direct += s; });
      INFO("seed " << seed << " reverse " << reverse);
      CHECK(direct == fold::to_folded(t));
      CHECK(stats.negative_stacks == t.negative_stacks);
      CHECK(stats.negative_total == t.negative_total);
    }
  }
}
