// The heap bound: pprofx's live heap (everything allocated with operator new,
// which is every container and string of pprofx) is counted, and an
// allocation that would take it past the bound ends the process through the
// handler main installs (one error line, temporaries removed, exit 1).
//
// The bound grows with the input: each profile read allows 3x the larger of
// its file size and its decompressed size (InputAllowance), on top of a fixed
// 128 MiB for everything else (tables of small profiles, output buffers, an
// SVG within its 64 MiB budget). --max-memory replaces it with a fixed number.
// Memory of C libraries (zlib's state, libdw, Cairo) is not counted.
// With no handler installed (the library's tests) nothing is ever refused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace pprofx::memory {

inline constexpr uint64_t kBaseAllowance = uint64_t{128} << 20;
inline constexpr uint64_t kInputFactor = 3;

// Live and peak bytes of heap (usable sizes of the blocks operator new returned).
uint64_t live_bytes();
uint64_t peak_bytes();
// The bound now (0: none yet, while no handler is installed).
uint64_t limit_bytes();
// Bytes of input allowed so far (what the bound grew by, divided by kInputFactor).
uint64_t input_bytes();

// Adds (takes back) kInputFactor x bytes to (from) the bound, unless a fixed
// bound was set.
void allow_input(uint64_t bytes);
void retract_input(uint64_t bytes);
// A fixed bound instead of the automatic one; 0: no bound at all.
void set_fixed_limit(uint64_t bytes);
bool limit_is_fixed();

// The name shown in the refusal (the input being read); copied, cut at 200 bytes.
void set_subject(std::string_view name);

// Called, once, when an allocation would pass the bound; must not return.
// `wanted` is the allocation's size. Allocations made inside it are not
// bounded. Installing a handler turns the bound on.
using ExceededHandler = void (*)(std::string_view subject, uint64_t live, uint64_t wanted, uint64_t limit,
                                 uint64_t input);
void set_exceeded_handler(ExceededHandler handler);

// Per input: allow_input() for the bytes beyond those already allowed, so a
// gzip file and what it inflates to together allow 3x the larger of the two.
class InputAllowance {
 public:
  InputAllowance() = default;
  explicit InputAllowance(uint64_t already_granted) : granted_(already_granted) {}
  void grow_to(uint64_t bytes) {
    if (bytes > granted_) {
      allow_input(bytes - granted_);
      granted_ = bytes;
    }
  }
  // Takes back what was allowed past `bytes` (a size guessed too large).
  void shrink_to(uint64_t bytes) {
    if (bytes < granted_) {
      retract_input(granted_ - bytes);
      granted_ = bytes;
    }
  }
  uint64_t granted() const { return granted_; }

 private:
  uint64_t granted_ = 0;
};

}  // namespace pprofx::memory
