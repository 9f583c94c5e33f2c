// Inflate on ISA-L (io/inflater.cc): the same bytes as zlib for every kind of
// deflate stream zlib writes, members joined, however the input arrives, and
// every corruption refused with a message.
#include <doctest/doctest.h>
#include <zlib.h>

#include <random>
#include <string>

#include "pprofx/io/gzip.h"
#include "pprofx/io/input.h"
#include "zlib_reference.h"

using namespace pprofx;
using testing::zlib_member;

namespace {

// Text that compresses like a profile's: repeats, with random bytes mixed in.
std::string sample_data(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s;
  s.reserve(n);
  while (s.size() < n) {
    if (rng() % 4 == 0) {
      s.push_back(static_cast<char>(rng()));
    } else {
      s.append("runtime.mallocgc\x08\x12", rng() % 18 + 1);
    }
  }
  s.resize(n);
  return s;
}

}  // namespace

TEST_CASE("gunzip gives zlib's bytes for every stream zlib writes, with members joined") {
  const std::string data = sample_data(3'000'000, 1);
  for (int level : {0, 1, 6, 9}) {
    for (int strategy : {Z_DEFAULT_STRATEGY, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED}) {
      INFO("level " << level << " strategy " << strategy);
      auto out = io::gunzip(zlib_member(data, level, strategy), io::kDefaultMaxInflated);
      REQUIRE(out.ok());
      CHECK(*out == data);
    }
  }
  // pprofx's own block-parallel writer (sync-flushed blocks primed with a dictionary).
  CHECK(io::gunzip(io::gzip(data, 6), io::kDefaultMaxInflated).value() == data);
  // Members of every size back to back, an empty one among them.
  std::string joined, expect;
  for (size_t n : {size_t{0}, size_t{1}, size_t{70000}, size_t{0}, size_t{1'500'000}, size_t{13}}) {
    const std::string part = sample_data(n, static_cast<unsigned>(n));
    joined += zlib_member(part, 6);
    expect += part;
  }
  CHECK(io::gunzip(joined, io::kDefaultMaxInflated).value() == expect);
}

TEST_CASE("gunzip refuses every corruption with a message, and nothing past the cap") {
  const std::string data = sample_data(200'000, 2);
  const std::string gz = zlib_member(data, 6);
  auto message = [](const std::string& bytes) {
    auto r = io::gunzip(bytes, io::kDefaultMaxInflated);
    return r.ok() ? std::string("ok") : r.error().message;
  };
  std::string bad_crc = gz;
  bad_crc[bad_crc.size() - 6] ^= 1;
  CHECK(message(bad_crc) == "decompressing: corrupt gzip data (incorrect data check)");
  std::string bad_size = gz;
  bad_size[bad_size.size() - 2] ^= 1;
  CHECK(message(bad_size).rfind("decompressing: corrupt gzip data (", 0) == 0);
  std::string bad_method = gz;
  bad_method[2] = 7;
  CHECK(message(bad_method).rfind("decompressing: corrupt gzip data (", 0) == 0);
  CHECK(message(gz.substr(0, gz.size() - 3)) == "decompressing: unexpected end of gzip data (truncated file?)");
  CHECK(message(gz.substr(0, 5)) == "decompressing: unexpected end of gzip data (truncated file?)");
  CHECK(message(gz + "x") == "decompressing: invalid gzip header after the first member");
  CHECK(message(gz + "xyz") == "decompressing: invalid gzip header after the first member");
  // Flipping bytes in the deflate data: each is refused or (rarely) inflates to other bytes, never the same.
  std::mt19937 rng(3);
  int refused = 0;
  for (int i = 0; i < 200; ++i) {
    std::string m = gz;
    m[10 + rng() % (m.size() - 18)] ^= static_cast<char>(1 + rng() % 255);
    auto r = io::gunzip(m, io::kDefaultMaxInflated);
    if (!r.ok()) {
      ++refused;
      CHECK(r.error().message.rfind("decompressing: ", 0) == 0);
    } else {
      CHECK(*r != data);
    }
  }
  CHECK(refused == 200);  // the CRC catches what the deflate decoder does not
  // A bomb: 64 MiB of zeros in 64 kB, capped at 1 MiB while counting.
  const std::string bomb = zlib_member(std::string(64 << 20, '\0'), 9);
  auto capped = io::gunzip(bomb, 1 << 20);
  REQUIRE_FALSE(capped.ok());
  CHECK(capped.error().message == "decompressed size exceeds the limit of 1048576 bytes (raise it with --max-size)");
}

TEST_CASE("BoundedReader counts what gzip inflates to however the bytes are cut") {
  std::string joined;
  size_t total = 0;
  for (unsigned n : {90'000u, 0u, 40'000u}) {
    joined += zlib_member(sample_data(n, n + 5), 6);
    total += n;
  }
  for (size_t piece : {size_t{1}, size_t{7}, size_t{4096}, joined.size()}) {
    INFO("pieces of " << piece);
    io::BoundedReader fits(total);
    bool ok = true;
    for (size_t at = 0; at < joined.size() && ok; at += piece) ok = fits.add(std::string_view(joined).substr(at, piece)).ok();
    CHECK(ok);
    io::BoundedReader over(total - 1);
    Status last = Ok{};
    for (size_t at = 0; at < joined.size() && last.ok(); at += piece) last = over.add(std::string_view(joined).substr(at, piece));
    REQUIRE_FALSE(last.ok());
    CHECK(last.error().message == "decompressed size exceeds the limit of " + std::to_string(total - 1) +
                                      " bytes (raise it with --max-size)");
  }
  std::string corrupt = joined;
  corrupt[corrupt.size() - 6] ^= 1;  // the last member's CRC
  io::BoundedReader reader(1 << 20);
  CHECK(reader.add(corrupt).error().message == "decompressing: corrupt gzip data (incorrect data check)");
}
