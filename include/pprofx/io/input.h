// Reading profile bytes: files or stdin, gzip detected by content.
#pragma once

#include <cstdint>
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
