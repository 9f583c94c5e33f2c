// Writing results: files are written to a temporary name in the same
// directory and renamed when complete, so a failure or a kill never leaves a
// half-written file under the final name (an old file stays intact).
#pragma once

#include <string>
#include <string_view>

#include "pprofx/base/result.h"

namespace pprofx::io {

// Writes data to path atomically; "-" writes to stdout.
Status write_output(const std::string& path, std::string_view data);

// The same, for output produced piece by piece (folded stacks of deep
// profiles run to gigabytes): buffered writes to the temporary file, renamed
// by commit(); destroyed uncommitted, the temporary file is removed. Devices
// and pipes (-o /dev/null) are written in place, symlinks followed.
class OutputStream {
 public:
  static Result<OutputStream> open(const std::string& path);
  OutputStream(OutputStream&& o) noexcept;
  OutputStream& operator=(OutputStream&&) = delete;
  ~OutputStream();
  void write(std::string_view data);  // errors are reported by commit()
  Status commit();

 private:
  OutputStream() = default;
  bool flush();
  std::string path_, shown_, tmp_;  // target (symlinks resolved), as given, temporary
  int fd_ = -1;
  bool direct_ = false;  // a device or pipe, written in place
  bool failed_ = false;
  int error_ = 0;
  std::string buffer_;
};

}  // namespace pprofx::io
