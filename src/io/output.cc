#include "pprofx/io/output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace pprofx::io {
namespace {

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

Status write_output(const std::string& path, std::string_view data) {
  if (path == "-") {
    std::fflush(stdout);
    if (!write_all(STDOUT_FILENO, data)) {
      return Error{fmt::format("cannot write to standard output: {}", std::strerror(errno))};
    }
    return Ok{};
  }
  std::string tmp = path + ".tmp-XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return Error{fmt::format("{}: cannot create: {}", path, std::strerror(errno))};
  const bool ok = write_all(fd, data) && ::fsync(fd) == 0;
  const int saved = errno;
  const mode_t mask = ::umask(0);  // mkstemp makes 0600; use what open() would
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  if (::close(fd) != 0 || !ok) {
    ::unlink(tmp.c_str());
    return Error{fmt::format("{}: cannot write: {}", path, std::strerror(ok ? errno : saved))};
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return Error{fmt::format("{}: cannot write: {}", path, std::strerror(err))};
  }
  return Ok{};
}

}  // namespace pprofx::io
