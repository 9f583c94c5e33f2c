// Streaming gzip inflate on ISA-L's igzip (the fastest inflate Debian ships:
// bench/bench_inflate.py measures it against zlib and libdeflate), one member
// at a time, in pieces of input and output of any size. Internal to io/.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace pprofx::io::detail {

// What a gzip input's trailer says it inflates to (ISIZE: the last member's
// size mod 4 GiB, exact for the usual single member), when that is at least
// half the compressed size; else 0.
// The same of a member of `compressed` bytes whose last four are `last4`.
inline uint64_t trailer_size(const unsigned char* last4, uint64_t compressed) {
  if (compressed < 18) return 0;
  const unsigned char* t = last4;
  const uint64_t isize = uint64_t{t[0]} | uint64_t{t[1]} << 8 | uint64_t{t[2]} << 16 | uint64_t{t[3]} << 24;
  return isize >= compressed / 2 ? isize : 0;
}
inline uint64_t trailer_size(std::string_view gz) {
  if (gz.size() < 18) return 0;
  return trailer_size(reinterpret_cast<const unsigned char*>(gz.data() + gz.size() - 4), gz.size());
}

// Real profiles inflate 2-5x: past 10x the compressed size (and 64 MiB) the
// output is not stored before it is known to fit (a gzip bomb's).
inline uint64_t store_limit(size_t compressed) {
  return std::max<uint64_t>(uint64_t{64} << 20, uint64_t{10} * compressed);
}

class GzipInflater {
 public:
  GzipInflater();
  ~GzipInflater();
  GzipInflater(const GzipInflater&) = delete;
  GzipInflater& operator=(const GzipInflater&) = delete;

  enum class State {
    kOk,         // all input taken or the output full: call again with more of either
    kMemberEnd,  // a member ended (its CRC and size checked); the rest of the input is not taken
    kError,      // corrupt data: error() says what
  };
  struct Step {
    State state = State::kOk;
    size_t consumed = 0, produced = 0;
  };
  // Inflates from in[0, in_len) into out[0, out_len). A member may need
  // several calls; after kMemberEnd, next_member() before the next one.
  Step inflate(const char* in, size_t in_len, char* out, size_t out_len);
  void next_member();
  // The last kError, as "corrupt gzip data (invalid deflate block)".
  const std::string& error() const { return error_; }

 private:
  struct State_;
  std::unique_ptr<State_> s_;
  std::string error_;
};

}  // namespace pprofx::io::detail
