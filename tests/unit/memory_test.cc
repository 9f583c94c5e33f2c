// The heap count and its input allowance (base/memory.h); the refusal itself
// ends the process, so tests/cli/memory_test.py checks it.
#include <doctest/doctest.h>

#include <memory>
#include <new>
#include <string>
#include <vector>

#include "pprofx/base/memory.h"
#include "pprofx/decode/decode.h"
#include "pprofx/io/gzip.h"
#include "pprofx/io/input.h"
#include "profile_builder.h"

using namespace pprofx;

TEST_CASE("operator new and delete are counted, in every form") {
  // Deltas from `before`, bounded on both sides (other threads allocate little).
  const uint64_t before = memory::live_bytes();
  const auto grown = [&] { return memory::live_bytes() - before; };
  {
    std::vector<char> v(10'000'000);
    CHECK(grown() >= 10'000'000);
    CHECK(grown() <= 10'000'000 + 65536);
    CHECK(memory::peak_bytes() >= memory::live_bytes());
    auto* aligned = new (std::align_val_t{4096}) char[100'000];
    CHECK(grown() >= 10'100'000);
    CHECK(grown() <= 10'100'000 + 2 * 65536);
    ::operator delete[](aligned, std::align_val_t{4096});
    auto* nothrow = new (std::nothrow) char[50'000];
    REQUIRE(nothrow != nullptr);
    CHECK(grown() >= 10'050'000);
    CHECK(grown() <= 10'050'000 + 65536);
    delete[] nothrow;
  }
  CHECK(grown() < 100'000);  // everything given back
  CHECK(memory::limit_bytes() == 0);  // no handler in the tests: nothing is refused
}

TEST_CASE("an input allowance grows the bound by what was read, once") {
  const uint64_t before = memory::input_bytes();
  {
    memory::InputAllowance a;
    a.grow_to(1000);
    a.grow_to(400);  // already allowed
    CHECK(memory::input_bytes() == before + 1000);
    a.shrink_to(600);  // a guess that was too large
    CHECK(memory::input_bytes() == before + 600);
    CHECK(a.granted() == 600);
  }
  CHECK(memory::input_bytes() == before + 600);  // kept: the input stays read
  memory::retract_input(600);
}

TEST_CASE("gunzip allows what it inflates to, not what its first guess was") {
  // Two members: 2 MB that do not compress, then one byte. The last member's
  // size (1) is no guess, so gunzip starts from 4x the compressed size.
  std::string data(2'000'000, '\0');
  uint64_t x = 88172645463325252ull;
  for (char& c : data) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    c = static_cast<char>(x);
  }
  const std::string gz = io::gzip(data, 1) + io::gzip("y", 1);
  const uint64_t before = memory::input_bytes();
  auto out = io::gunzip(gz, 1 << 30);
  REQUIRE(out.ok());
  CHECK(out->size() == data.size() + 1);
  const uint64_t allowed = memory::input_bytes() - before;  // beyond the compressed bytes (the reader's)
  CHECK(allowed + gz.size() >= out->size());
  CHECK(allowed + gz.size() <= out->size() + out->size() / 8 + 65536);  // not the 8 MB first guess
  memory::retract_input(allowed);
}

TEST_CASE("decode reserves the sample arrays at their exact size (the bound counts capacity)") {
  testing::ProfileBuilder b;
  b.sample_type("samples", "count").sample_type("cpu", "nanoseconds");
  const uint64_t f = b.frame("main.f", "f.go");
  const uint64_t g = b.frame("main.g", "g.go");
  for (int i = 0; i < 1000; ++i) b.sample({f, g, f}, {1, 300 + i});  // 3 ids, 2 values: 2-byte varints among them
  auto p = decode::decode_profile(b.bytes(), "t.pb");
  REQUIRE(p.ok());
  CHECK(p->sample_locations.size() == 3000);
  CHECK(p->sample_locations.capacity() == 3000);
  CHECK(p->values.size() == 2000);
  CHECK(p->values.capacity() == 2000);
  CHECK(p->samples.capacity() == 1000);
}
