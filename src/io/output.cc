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

// A target no one may write (no write bit), or one this process may not
// write: refused as a shell's `>` would refuse it (as root, too: root's
// access(W_OK) is always true, so the mode bits decide).
bool read_only(int dir_fd, const std::string& base, const struct stat& st) {
  if ((st.st_mode & 0222) == 0) return true;
  return ::faccessat(dir_fd, base.c_str(), W_OK, AT_EACCESS) != 0 && errno == EACCES;
}

}  // namespace

Result<OutputStream> OutputStream::open(const std::string& path) {
  OutputStream o;
  o.path_ = path;
  o.shown_ = path;
  struct stat st;
  if (path == "-") {
    std::fflush(stdout);
    o.fd_ = STDOUT_FILENO;
    o.buffer_.reserve(1 << 20);
    return o;
  }
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    // A device or pipe (-o /dev/null, a FIFO): written in place; renaming a
    // temporary file over it would replace the device node.
    o.fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (o.fd_ < 0) return Error{fmt::format("{}: cannot open: {}", path, std::strerror(errno))};
    o.direct_ = true;
    o.buffer_.reserve(1 << 20);
    return o;
  }
  // A symlink to a file: the file is replaced, the link kept.
  if (char* real = ::realpath(path.c_str(), nullptr)) {
    o.path_ = real;
    std::free(real);
  }
  const size_t slash = o.path_.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : o.path_.substr(0, slash);
  o.base_ = slash == std::string::npos ? o.path_ : o.path_.substr(slash + 1);
  o.dir_fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (o.dir_fd_ < 0) return Error{fmt::format("{}: cannot create: {}", path, std::strerror(errno))};
  if (::fstatat(o.dir_fd_, o.base_.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
    if (read_only(o.dir_fd_, o.base_, st)) {
      return Error{fmt::format("{}: cannot write: {}", path, std::strerror(EACCES))};
    }
    o.replaces_ = true;
    o.mode_ = st.st_mode & 01777;  // never set-user/group-ID
    o.uid_ = st.st_uid;
    o.gid_ = st.st_gid;
  }
  remove_stale_temporaries(o.dir_fd_);
  auto tmp = Temporary::create(o.dir_fd_, path);
  if (!tmp) return tmp.error();
  o.fd_ = tmp->fd();
  o.tmp_.emplace(std::move(*tmp));
  o.buffer_.reserve(1 << 20);
  return o;
}

OutputStream::OutputStream(OutputStream&& o) noexcept
    : path_(std::move(o.path_)), shown_(std::move(o.shown_)), base_(std::move(o.base_)), tmp_(std::move(o.tmp_)),
      dir_fd_(o.dir_fd_), fd_(o.fd_), replaces_(o.replaces_), mode_(o.mode_), uid_(o.uid_), gid_(o.gid_),
      direct_(o.direct_), failed_(o.failed_), prepared_(o.prepared_), error_(o.error_), buffer_(std::move(o.buffer_)) {
  o.fd_ = -1;
  o.dir_fd_ = -1;
  o.tmp_.reset();
}

OutputStream::~OutputStream() {
  if (fd_ >= 0 && direct_) ::close(fd_);
  tmp_.reset();  // uncommitted: removed
  if (dir_fd_ >= 0) ::close(dir_fd_);
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

Status OutputStream::prepare() {
  if (prepared_) return Ok{};
  prepared_ = true;
  flush();
  if (path_ == "-") {
    fd_ = -1;
    if (failed_) return Error{fmt::format("cannot write to standard output: {}", std::strerror(error_))};
    return Ok{};
  }
  if (direct_) {
    const bool closed = ::close(fd_) == 0;
    fd_ = -1;
    if (!closed && !failed_) error_ = errno;
    failed_ = failed_ || !closed;
    if (failed_) return Error{fmt::format("{}: cannot write: {}", shown_, std::strerror(error_))};
    return Ok{};
  }
  if (replaces_) {
    // The replaced file's owner and mode (fchown first: it may clear mode bits).
    if (::fchown(fd_, uid_, gid_) != 0) ::fchown(fd_, static_cast<uid_t>(-1), gid_);
    ::fchmod(fd_, mode_);
  } else {
    const mode_t mask = ::umask(0);  // the temporary is 0600; use what open() would
    ::umask(mask);
    ::fchmod(fd_, 0666 & ~mask);
  }
  fd_ = -1;
  const int closed = tmp_->close_writer();  // the lock is held until the rename
  if (closed != 0 && !failed_) error_ = closed;
  if (failed_ || closed != 0) {
    failed_ = true;
    tmp_.reset();
    return Error{fmt::format("{}: cannot write: {}", shown_, std::strerror(error_))};
  }
  return Ok{};
}

Status OutputStream::commit() {
  if (prepared_ && failed_) return Error{fmt::format("{}: cannot write: {}", shown_, std::strerror(error_))};
  if (Status s = prepare(); !s || !tmp_) return s;
  if (const int err = tmp_->publish_rename(base_); err != 0) {
    tmp_.reset();
    return Error{fmt::format("{}: cannot write: {}", shown_, std::strerror(err))};
  }
  tmp_.reset();
  return Ok{};
}

Status write_output(const std::string& path, std::string_view data) {
  auto out = OutputStream::open(path);
  if (!out) return out.error();
  out->write(data);
  return out->commit();
}

}  // namespace pprofx::io
