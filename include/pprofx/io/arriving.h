// An input read while it is still arriving (io::InflatingBuffer inflates on a
// thread of its own while decode reads): the contract between io and decode.
#pragma once

#include <cstddef>
#include <string_view>

namespace pprofx::io {

class ArrivingBytes {
 public:
  virtual ~ArrivingBytes() = default;
  // The whole input, at its announced final size. Only [0, n) with n what
  // wait_for returned may be read; the rest is still being written.
  virtual std::string_view bytes() const = 0;
  // Blocks until [0, end) has arrived (end <= bytes().size()) and returns
  // how many bytes are there: at least end, or fewer when the input stopped
  // short (corrupt, or not the size it announced). bytes().size() bytes are
  // reported only once the input is complete and verified (gzip's CRC).
  virtual size_t wait_for(size_t end) = 0;
};

}  // namespace pprofx::io
