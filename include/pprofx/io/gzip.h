// Writing gzip: one member, deflated in blocks on several threads with bytes
// that depend on neither the pieces written nor the thread count.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pprofx/base/sink.h"

namespace pprofx::io {

// Compresses to one gzip member (level 1-9).
std::string gzip(std::string_view data, int level = 6);

// Compresses to the zlib format (RFC 1950, which the browsers' DecompressionStream("deflate")
// reads) with ISA-L's igzip at its level 2: on the web page's data 14x zlib level 6's speed for
// 4% more bytes (src/io/zlib_fast.cc).
std::string zlib_fast(std::string_view data);

// The same, streamed: write() takes the input in any pieces, compressed
// bytes go to `sink` as they come. The input is deflated in 512 kB blocks,
// each primed with the 32 kB before it (as pigz does), on `threads` threads:
// the bytes depend on neither the pieces nor the thread count, and any gzip
// reader reads them as one member.
class GzipWriter {
 public:
  GzipWriter(int level, ByteSink sink, unsigned threads = 1);
  ~GzipWriter();
  GzipWriter(const GzipWriter&) = delete;
  GzipWriter& operator=(const GzipWriter&) = delete;
  void write(std::string_view data);
  void finish();  // ends the member; nothing may be written after it

 private:
  void compress_pending(bool last);
  int level_;
  unsigned threads_;
  ByteSink sink_;
  std::string pending_;  // whole blocks waiting for a batch, then the partial one
  std::string window_;   // the 32 kB of input before pending_
  uint32_t crc_ = 0;
  uint64_t size_ = 0;
  bool started_ = false, finished_ = false;
};

}  // namespace pprofx::io
