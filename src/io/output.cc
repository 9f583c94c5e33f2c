#include "pprofx/io/output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
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

Result<OutputStream> OutputStream::open(const std::string& path) {
  OutputStream o;
  o.path_ = path;
  struct stat st;
  if (path == "-") {
    std::fflush(stdout);
    o.fd_ = STDOUT_FILENO;
  } else if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    // A device or pipe (-o /dev/null, a FIFO): written in place; renaming a
    // temporary file over it would replace the device node.
    o.fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (o.fd_ < 0) return Error{fmt::format("{}: cannot open: {}", path, std::strerror(errno))};
    o.direct_ = true;
  } else {
    // A symlink to a file: the file is replaced, the link kept.
    if (char* real = ::realpath(path.c_str(), nullptr)) {
      o.path_ = real;
      std::free(real);
    }
    o.tmp_ = o.path_ + ".tmp-XXXXXX";
    o.fd_ = ::mkstemp(o.tmp_.data());
    if (o.fd_ < 0) return Error{fmt::format("{}: cannot create: {}", path, std::strerror(errno))};
  }
  o.shown_ = path;
  o.buffer_.reserve(1 << 20);
  return o;
}

OutputStream::OutputStream(OutputStream&& o) noexcept
    : path_(std::move(o.path_)), shown_(std::move(o.shown_)), tmp_(std::move(o.tmp_)), fd_(o.fd_),
      direct_(o.direct_), failed_(o.failed_), error_(o.error_), buffer_(std::move(o.buffer_)) {
  o.fd_ = -1;
}

OutputStream::~OutputStream() {
  if (fd_ >= 0 && direct_) ::close(fd_);
  if (fd_ >= 0 && !tmp_.empty()) {
    ::close(fd_);
    ::unlink(tmp_.c_str());
  }
}

bool OutputStream::flush() {
  if (!failed_ && !write_all(fd_, buffer_)) {
    failed_ = true;
    error_ = errno;
  }
  buffer_.clear();
  return !failed_;
}

void OutputStream::write(std::string_view data) {
  if (failed_) return;
  if (buffer_.size() + data.size() > (1 << 20)) flush();
  if (data.size() >= (64 << 10)) {  // large pieces go straight to the file, not through the buffer
    if (!flush()) return;
    if (!write_all(fd_, data)) {
      failed_ = true;
      error_ = errno;
    }
    return;
  }
  buffer_.append(data);
}

Status OutputStream::commit() {
  flush();
  if (path_ == "-") {
    fd_ = -1;
    if (failed_) return Error{fmt::format("cannot write to standard output: {}", std::strerror(error_))};
    return Ok{};
  }
  if (direct_) {
    const bool closed = ::close(fd_) == 0;
    fd_ = -1;
    if (failed_ || !closed) return Error{fmt::format("{}: cannot write: {}", shown_, std::strerror(failed_ ? error_ : errno))};
    return Ok{};
  }
  const mode_t mask = ::umask(0);  // mkstemp makes 0600; use what open() would
  ::umask(mask);
  ::fchmod(fd_, 0666 & ~mask);
  const bool closed = ::close(fd_) == 0;
  if (!closed && !failed_) error_ = errno;
  fd_ = -1;
  if (failed_ || !closed) {
    ::unlink(tmp_.c_str());
    return Error{fmt::format("{}: cannot write: {}", shown_, std::strerror(error_))};
  }
  if (::rename(tmp_.c_str(), path_.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp_.c_str());
    return Error{fmt::format("{}: cannot write: {}", shown_, std::strerror(err))};
  }
  return Ok{};
}

Status write_output(const std::string& path, std::string_view data) {
  auto out = OutputStream::open(path);
  if (!out) return out.error();
  out->write(data);
  return out->commit();
}

}  // namespace pprofx::io
