// Hostile input: each limit refuses with a message that names it, and deep
// stacks go through every stage without recursion.
#include <doctest/doctest.h>

#include <climits>

#include "pprofx/decode/decode.h"
#include "pprofx/io/gzip.h"
#include "pprofx/io/input.h"
#include "pprofx/fold/stack_trie.h"
#include "pprofx/render/flame.h"
#include "pprofx/report/top.h"
#include "profile_builder.h"

using namespace pprofx;
using testing::ProfileBuilder;

namespace {

std::string decode_error(const ProfileBuilder& b, const decode::Limits& limits = {}) {
  auto r = decode::decode_profile(b.bytes(), "t.pb", limits);
  REQUIRE_FALSE(r.ok());
  return r.error().message;
}

ProfileBuilder small() {
  ProfileBuilder b;
  b.sample_type("samples", "count");
  const uint64_t f = b.frame("f");
  b.sample({f}, {1});
  b.sample({f}, {2});
  return b;
}

}  // namespace

TEST_CASE("limits: samples, string length, labels per sample, stack depth") {
  decode::Limits l;
  l.max_samples = 1;
  CHECK(decode_error(small(), l) == "t.pb: not a valid pprof profile: 2 samples (limit 1)");

  ProfileBuilder b = small();
  b.str(std::string(2000, 'x'));
  l = {};
  l.max_string_bytes = 1000;
  CHECK(decode_error(b, l).find("is 2000 bytes long (limit 1000)") != std::string::npos);

  b = small();
  auto& s = *b.proto().mutable_sample(1);
  for (int i = 0; i < 5; ++i) b.label(s, "k" + std::to_string(i), "v");
  l = {};
  l.max_labels_per_sample = 4;
  CHECK(decode_error(b, l).find("sample 1: 5 labels (limit 4)") != std::string::npos);

  b = small();
  for (int i = 0; i < 9; ++i) b.proto().mutable_sample(0)->add_location_id(1);
  l = {};
  l.max_stack_depth = 8;
  CHECK(decode_error(b, l).find("sample 0: a stack of 10 frames (limit 8)") != std::string::npos);
}

TEST_CASE("limits: sums that would overflow int64 are refused") {
  ProfileBuilder b = small();
  b.proto().mutable_sample(0)->set_value(0, INT64_MAX);
  CHECK(decode_error(b).find("sample type 0 (samples): the values add up past the int64 range (sample 1)") !=
        std::string::npos);
  ProfileBuilder c = small();
  c.proto().mutable_sample(0)->set_value(0, INT64_MIN);
  CHECK_FALSE(decode::decode_profile(c.bytes(), "t.pb").ok());
  ProfileBuilder d = small();
  d.proto().mutable_sample(0)->set_value(0, INT64_MAX - 2);
  CHECK(decode::decode_profile(d.bytes(), "t.pb").ok());  // exactly fits
}

TEST_CASE("limits: hostile counts do not make the decoder allocate for them") {
  // 100,000 sample types and 200,000 empty samples: about 1 MB of input whose
  // counts multiply to 2e10 values. It must fail on the first sample, quickly.
  ProfileBuilder b;
  for (int i = 0; i < 100000; ++i) b.sample_type("t", "count");
  for (int i = 0; i < 200000; ++i) b.proto().add_sample();
  auto r = decode::decode_profile(b.bytes(), "t.pb");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("sample 0: has 0 values but the profile has 100000 sample types") !=
        std::string::npos);
}

TEST_CASE("a 100,000-frame stack goes through top, fold, layout and SVG without recursion") {
  ProfileBuilder b;
  b.sample_type("samples", "count");
  std::vector<uint64_t> stack;
  for (int i = 0; i < 100000; ++i) stack.push_back(b.frame("f" + std::to_string(i % 1000)));
  b.sample(stack, {7});
  b.sample({stack.back()}, {1});
  auto p = decode::decode_profile(b.bytes(), "deep.pb");
  REQUIRE(p.ok());
  auto top = report::top_table(*p, {});
  REQUIRE(top.ok());
  CHECK(top->rows.size() == 1000);
  auto view = fold::build_view(*p, {});
  REQUIRE(view.ok());
  const fold::StackTrie trie = fold::build_trie(*view, {.value = *fold::choose_value(*p, "", false)});
  CHECK(trie.nodes.size() == 100001);
  CHECK(fold::to_folded(trie).size() > 480000);  // 100,000 frames "fN;" in one line
  const render::Layout layout = render::layout(trie, {});
  CHECK(layout.boxes.size() == 20001);  // the frame budget, shallowest first
  render::FlameStyle style;
  style.unit = "count";
  CHECK(render::render_svg(trie, layout, style).size() > 1000000);
}

TEST_CASE("limits: comments, by count and by the text they print") {
  ProfileBuilder b = small();
  const int64_t text = b.str("a comment");
  for (int i = 0; i < 6; ++i) b.proto().add_comment(text);
  decode::Limits l;
  l.max_comments = 5;
  CHECK(decode_error(b, l) == "t.pb: not a valid pprof profile: more than 5 comments (limit 5)");
  l.max_comments = 6;
  auto ok = decode::decode_profile(b.bytes(), "t.pb", l);
  REQUIRE(ok.ok());
  CHECK(ok->comments.size() == 6);
  l.max_comment_bytes = 5 * 9;  // six comments of 9 bytes: 54
  CHECK(decode_error(b, l) ==
        "t.pb: not a valid pprof profile: the comments hold more than 45 bytes of text (limit 45)");
}

TEST_CASE("BoundedReader stops at the cap, raw or inflated, whatever the pieces") {
  io::BoundedReader raw(10);
  CHECK(raw.add("12345").ok());
  CHECK(raw.add("67890").ok());
  auto over = raw.add("x");
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().message == "size exceeds the limit of 10 bytes (raise it with --max-size)");

  // 64 MiB of zeros in about 64 kB of gzip: refused after a few pieces, not at the end.
  const std::string bomb = io::gzip(std::string(64 << 20, '\0'), 9);
  io::BoundedReader reader(1 << 20);
  size_t fed = 0;
  Status s = Ok{};
  for (; fed < bomb.size() && s.ok(); fed += 1000) s = reader.add(std::string_view(bomb).substr(fed, 1000));
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message == "decompressed size exceeds the limit of 1048576 bytes (raise it with --max-size)");
  CHECK(fed < bomb.size() / 4);

  // Within the cap, byte by byte (a gzip header split anywhere), the bytes come back as fed.
  const std::string two = io::gzip("hello ") + io::gzip("world");
  io::BoundedReader fine(100);
  for (char c : two) REQUIRE(fine.add(std::string_view(&c, 1)).ok());
  const std::string got = fine.take();
  CHECK(got == two);
  auto inflated = io::gunzip(got, 100);
  REQUIRE(inflated.ok());
  CHECK(*inflated == "hello world");
  io::BoundedReader corrupt(1000);
  std::string bad = io::gzip("hello");
  bad[12] = static_cast<char>(bad[12] ^ 0x5a);
  bad += std::string(100, 'x');
  CHECK_FALSE(corrupt.add(bad).ok());
}
