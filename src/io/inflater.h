// Streaming gzip inflate on ISA-L's igzip (the fastest inflate Debian ships:
// bench/bench_inflate.py measures it against zlib and libdeflate), one member
// at a time, in pieces of input and output of any size. Internal to io/.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace pprofx::io::detail {

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
