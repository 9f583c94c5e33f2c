// The compact path steps (fold/path_steps.h) behave as the vectors they
// replace, under the operations collect_paths applies to a path's tail.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "pprofx/fold/path_steps.h"

using namespace pprofx;

namespace {

struct Lcg {
  uint32_t x;
  uint32_t next(uint32_t n) { return (x = x * 1103515245u + 12345u, (x >> 8) % n); }
};

}  // namespace

TEST_CASE("path steps: frames (2 or 4 bytes) and flags (a bit) as plain vectors, through random tails") {
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    for (bool narrow : {true, false}) {
      INFO("seed " << seed << " narrow " << narrow);
      Lcg r{seed};
      fold::StepFrames frames;
      frames.set_narrow(narrow);
      fold::StepFlags flags;
      std::vector<fold::FrameId> want_frames;
      std::vector<uint8_t> want_flags;
      const uint32_t top = narrow ? 1u << 16 : 1u << 20;
      for (int round = 0; round < 60; ++round) {
        // A path: pushed, then cut, turned or trimmed at its front, as a pivot or --reverse does.
        const size_t begin = frames.size();
        const uint32_t n = r.next(150);
        for (uint32_t i = 0; i < n; ++i) {
          const fold::FrameId f(r.next(top));
          const uint8_t flag = r.next(3) == 0 ? fold::kReachedInlined : fold::kReachedByCall;
          frames.push_back(f);
          flags.push_back(flag);
          want_frames.push_back(f);
          want_flags.push_back(flag);
        }
        const size_t end = frames.size();
        switch (r.next(4)) {
          case 0: {  // cut at a point (or dropped)
            const size_t at = begin + r.next(static_cast<uint32_t>(end - begin) + 1);
            frames.resize(at);
            flags.resize(at);
            want_frames.resize(at);
            want_flags.resize(at);
            break;
          }
          case 1:  // turned around
            frames.reverse(begin, end);
            flags.reverse(begin, end);
            std::reverse(want_frames.begin() + begin, want_frames.end());
            std::reverse(want_flags.begin() + begin, want_flags.end());
            break;
          case 2: {  // its front dropped
            const size_t at = begin + r.next(static_cast<uint32_t>(end - begin) + 1);
            frames.erase(begin, at);
            flags.erase(begin, at);
            want_frames.erase(want_frames.begin() + begin, want_frames.begin() + at);
            want_flags.erase(want_flags.begin() + begin, want_flags.begin() + at);
            break;
          }
          default: break;
        }
        REQUIRE(frames.size() == want_frames.size());
        REQUIRE(flags.size() == want_flags.size());
      }
      for (size_t i = 0; i < want_frames.size(); ++i) {
        CHECK(frames[i] == want_frames[i]);
        CHECK(flags[i] == want_flags[i]);
      }
      // equal() over ranges, and set().
      if (want_frames.size() >= 30) {  // [a, a + 10) and [b, b + 10) apart
        CHECK(frames.equal(0, 0, 20));
        const size_t a = 3, b = want_frames.size() - 10;
        CHECK(frames.equal(a, b, 10) == std::equal(want_frames.begin() + a, want_frames.begin() + a + 10,
                                                   want_frames.begin() + b));
        for (size_t i = 0; i < 10; ++i) frames.set(b + i, frames[a + i]);
        CHECK(frames.equal(a, b, 10));
      }
    }
  }
}

TEST_CASE("path steps: wide frames made narrow keep their ids") {
  fold::StepFrames frames;
  for (uint32_t f = 0; f < 70000; f += 7) frames.push_back(fold::FrameId(f % 65536));
  CHECK(!frames.narrow());
  const size_t n = frames.size();
  frames.make_narrow();
  CHECK(frames.narrow());
  REQUIRE(frames.size() == n);
  for (size_t i = 0; i < n; ++i) CHECK(frames[i] == fold::FrameId(static_cast<uint32_t>(i * 7 % 65536)));
}
