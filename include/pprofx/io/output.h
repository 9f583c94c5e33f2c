// Writing results: files are written to a temporary name in the same
// directory (io::Temporary, .pprofx-XXXXXX) and renamed when complete, so a
// failure or a kill never leaves a half-written file under the final name (an
// old file stays intact). A replaced file keeps its permission bits (and its
// owner and group where the process may set them); a read-only target (no
// write bit for anyone, or one this process may not write) is refused:
// "FILE: cannot write: Permission denied". Abandoned temporaries of earlier
// runs in the directory are removed first (temporary.h says which).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>

#include "pprofx/base/result.h"
#include "pprofx/io/temporary.h"

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
  void write(std::string_view data);  // errors are reported by prepare() or commit()
  // Writes out and closes the temporary file (errors reported, the temporary
  // removed), so that commit() only has to rename it: several outputs are
  // prepared, then committed, and a failure leaves none of them published.
  Status prepare();
  Status commit();  // prepares first if needed

 private:
  OutputStream() = default;
  bool flush();
  std::string path_, shown_, base_;  // target (symlinks resolved), as given, its name in its directory
  std::optional<Temporary> tmp_;
  int dir_fd_ = -1;
  int fd_ = -1;
  bool replaces_ = false;  // an existing file: its mode and owner are kept
  mode_t mode_ = 0;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  bool direct_ = false;  // a device or pipe, written in place
  bool failed_ = false;
  bool prepared_ = false;
  int error_ = 0;
  std::string buffer_;
};

}  // namespace pprofx::io
