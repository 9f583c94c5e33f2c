// Reading profile bytes: files or stdin, gzip detected by content.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "pprofx/base/memory.h"
#include "pprofx/base/result.h"
#include "pprofx/io/inflating_buffer.h"

namespace pprofx::io {

// Default cap on the decompressed size of one profile (1 GiB).
inline constexpr uint64_t kDefaultMaxInflated = uint64_t{1} << 30;

// Reads a whole file; "-" reads stdin. Errors name the path. Stops reading
// past max_bytes (a regular file larger than that is refused before reading;
// stdin, pipes and devices are read up to the cap, then refused).
Result<std::string> read_file(const std::string& path, uint64_t max_bytes = kDefaultMaxInflated);

// Judges the first bytes of an input (inflated, if gzip) while the rest is
// still arriving: why they can only be garbage, or nullopt to read on
// (decode::early_refusal). Called once, with exactly its size of bytes.
struct PrefixCheck {
  size_t size = 0;
  std::function<std::optional<std::string>(std::string_view)> judge;
};

// The same for a profile: gzip data arriving through a pipe, a device or
// stdin is also counted as it inflates, and stopped at the cap; with a
// check, such a stream stops as soon as its first bytes are refused.
Result<std::string> read_input(const std::string& path, uint64_t max_bytes, const PrefixCheck& check = {});

bool is_gzip(std::string_view bytes);

// Inflates gzip data. Several gzip members back to back are joined, as Go's
// gzip reader does. Fails on truncated or corrupt data and when the output
// would exceed max_bytes. Messages have no file name; callers add it.
Result<std::string> gunzip(std::string_view bytes, uint64_t max_bytes);

// The first max_bytes that gzip data inflates to (its first members joined),
// or fewer when it ends or is corrupt before: a look at the start of an
// input without inflating all of it. Never fails; gunzip reports errors.
std::string gunzip_prefix(std::string_view bytes, size_t max_bytes);

// Collects an input that arrives in pieces (stdin, a pipe, a device, an HTTP
// body) and stops it at the cap: add() fails as soon as the bytes, or what
// they inflate to when they are gzip data (counted as they arrive, not
// stored), pass max_bytes, so that the caller stops reading. Memory: the bytes
// read plus 256 KiB while counting. Messages have no file name.
class BoundedReader {
 public:
  // count_inflated: also count what gzip data inflates to (off for a regular
  // file, whose size is known: gunzip bounds its output anyway).
  explicit BoundedReader(uint64_t max_bytes, bool count_inflated = true);
  ~BoundedReader();
  BoundedReader(const BoundedReader&) = delete;
  BoundedReader& operator=(const BoundedReader&) = delete;

  // Appends the next piece. Fails once the cap is passed (raw or inflated),
  // the gzip data is corrupt or the check refuses the first bytes; the
  // reader must not be fed after a failure.
  Status add(std::string_view piece);
  // Judges the first check.size bytes (inflated when gzip and counted) once
  // they have arrived; inputs shorter than that are not judged.
  void set_check(PrefixCheck check) { check_ = std::move(check); }
  void reserve(size_t bytes) {
    allowance_.grow_to(bytes);
    raw_.reserve(bytes);
  }
  // The bytes as read (compressed if they were); the reader is empty after.
  std::string take() { return std::move(raw_); }

 private:
  struct Counter;
  Status count_inflated();

  uint64_t max_bytes_;
  bool count_inflated_;
  std::string raw_;
  memory::InputAllowance allowance_;  // the bytes read raise the heap bound
  std::unique_ptr<Counter> counter_;  // set once the bytes are known to be gzip
  PrefixCheck check_;                 // judge emptied once it has judged
  Status judge(std::string_view prefix);
};

struct ProfileBytes {
  std::string data;         // decompressed (empty while `arriving` inflates it)
  uint64_t file_bytes = 0;  // size as read
  bool gzipped = false;
  std::unique_ptr<InflatingBuffer> arriving;  // set by the caller that inflates while decoding
  uint64_t size() const { return arriving != nullptr ? arriving->bytes().size() : data.size(); }
};

// Reading raises the heap bound (base/memory.h) by 3x the larger of the
// bytes read and what they inflate to.
// read_file, then gunzip if the bytes start with the gzip magic. Holds one
// full copy of the data at a time (plus the compressed input while inflating).
Result<ProfileBytes> read_profile_bytes(const std::string& path, uint64_t max_bytes);

// The same for bytes already in memory (a fetched profile); name is used in errors.
Result<ProfileBytes> profile_bytes(std::string raw, const std::string& name, uint64_t max_bytes);

}  // namespace pprofx::io
