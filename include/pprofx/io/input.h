// Reading profile bytes: files or stdin, gzip detected by content.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "pprofx/base/result.h"

namespace pprofx::io {

// Default cap on the decompressed size of one profile (1 GiB).
inline constexpr uint64_t kDefaultMaxInflated = uint64_t{1} << 30;

// Reads a whole file; "-" reads stdin. Errors name the path.
Result<std::string> read_file(const std::string& path);

bool is_gzip(std::string_view bytes);

// Compresses to one gzip member (level 1-9).
std::string gzip(std::string_view data, int level = 6);

// The same, streamed: write() takes the input in any pieces, compressed
// bytes go to `sink` as they come. The input is deflated in 512 kB blocks,
// each primed with the 32 kB before it (as pigz does), on `threads` threads:
// the bytes depend on neither the pieces nor the thread count, and any gzip
// reader reads them as one member.
class GzipWriter {
 public:
  GzipWriter(int level, std::function<void(std::string_view)> sink, unsigned threads = 1);
  ~GzipWriter();
  GzipWriter(const GzipWriter&) = delete;
  GzipWriter& operator=(const GzipWriter&) = delete;
  void write(std::string_view data);
  void finish();  // ends the member; nothing may be written after it

 private:
  void compress_pending(bool last);
  int level_;
  unsigned threads_;
  std::function<void(std::string_view)> sink_;
  std::string pending_;  // whole blocks waiting for a batch, then the partial one
  std::string window_;   // the 32 kB of input before pending_
  uint32_t crc_ = 0;
  uint64_t size_ = 0;
  bool started_ = false, finished_ = false;
};

// Inflates gzip data. Several gzip members back to back are joined, as Go's
// gzip reader does. Fails on truncated or corrupt data and when the output
// would exceed max_bytes. Messages have no file name; callers add it.
Result<std::string> gunzip(std::string_view bytes, uint64_t max_bytes);

struct ProfileBytes {
  std::string data;         // decompressed
  uint64_t file_bytes = 0;  // size as read
  bool gzipped = false;
};

// read_file, then gunzip if the bytes start with the gzip magic. Holds one
// full copy of the data at a time (plus the compressed input while inflating).
Result<ProfileBytes> read_profile_bytes(const std::string& path, uint64_t max_bytes);

// The same for bytes already in memory (a fetched profile); name is used in errors.
Result<ProfileBytes> profile_bytes(std::string raw, const std::string& name, uint64_t max_bytes);

}  // namespace pprofx::io
