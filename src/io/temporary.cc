#include "pprofx/io/temporary.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <string_view>

namespace pprofx::io {
namespace {

constexpr std::string_view kPrefix = ".pprofx-";
constexpr size_t kRandom = 6;
constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

// The live temporaries of this process, read by the signal handler: a slot is
// 0 (free), 1 (being filled) or 2 (live).
struct Slot {
  std::atomic<int> state{0};
  int dir_fd = -1;
  std::array<char, 32> name{};
};
std::array<Slot, 64> g_slots;

int register_temporary(int dir_fd, const std::string& name) {
  for (size_t i = 0; i < g_slots.size(); ++i) {
    int expected = 0;
    if (!g_slots[i].state.compare_exchange_strong(expected, 1)) continue;
    g_slots[i].dir_fd = dir_fd;
    std::memcpy(g_slots[i].name.data(), name.c_str(), name.size() + 1);
    g_slots[i].state.store(2);
    return static_cast<int>(i);
  }
  return -1;  // a full table: the signal misses it, the next cleanup does not
}

extern "C" void on_signal(int sig) {
  const int saved = errno;
  remove_live_temporaries();
  errno = saved;
  ::signal(sig, SIG_DFL);
  ::raise(sig);  // delivered when the handler returns: the exit status is the signal's
}

}  // namespace

void remove_live_temporaries() {
  for (Slot& s : g_slots) {
    if (s.state.load() == 2) ::unlinkat(s.dir_fd, s.name.data(), 0);
  }
}

namespace {

bool is_temporary_name(std::string_view n) {
  if (n.size() != kPrefix.size() + kRandom || !n.starts_with(kPrefix)) return false;
  return n.substr(kPrefix.size()).find_first_not_of(kAlphabet) == std::string_view::npos;
}

std::string random_name() {
  unsigned char bytes[kRandom];
  if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) {
    // No entropy source: the clock and the pid, still retried on EEXIST.
    uint64_t v = static_cast<uint64_t>(::getpid()) * 0x9E3779B97F4A7C15ull ^ static_cast<uint64_t>(::clock());
    for (unsigned char& b : bytes) b = static_cast<unsigned char>(v >>= 8);
  }
  std::string name(kPrefix);
  for (unsigned char b : bytes) name += kAlphabet[b % kAlphabet.size()];
  return name;
}

// Blocks SIGINT, SIGTERM and SIGHUP in this thread for its lifetime: a
// temporary is created and registered with no handler running in between.
class CleanupSignalsBlocked {
 public:
  CleanupSignalsBlocked() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&set, sig);
    ::pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~CleanupSignalsBlocked() { ::pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  CleanupSignalsBlocked(const CleanupSignalsBlocked&) = delete;
  CleanupSignalsBlocked& operator=(const CleanupSignalsBlocked&) = delete;

 private:
  sigset_t old_;
};

}  // namespace

Result<Temporary> Temporary::create(int dir_fd, const std::string& shown) {
  const CleanupSignalsBlocked blocked;  // a signal waits until the new file is registered
  Temporary t;
  t.dir_fd_ = ::fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
  if (t.dir_fd_ < 0) return Error{fmt::format("{}: cannot create: {}", shown, std::strerror(errno))};
  for (int attempt = 0; attempt < 100; ++attempt) {
    const std::string name = random_name();
    const int fd = ::openat(t.dir_fd_, name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST) continue;
    if (fd < 0) return Error{fmt::format("{}: cannot create: {}", shown, std::strerror(errno))};
    // Locked before anything else; a cleaner that took the lock first has
    // removed the name (no links left): start again under another.
    struct stat st;
    while (::flock(fd, LOCK_EX) != 0 && errno == EINTR) {
    }
    if (::fstat(fd, &st) != 0 || st.st_nlink == 0) {
      ::close(fd);
      continue;
    }
    t.fd_ = fd;
    t.lock_fd_ = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);  // the same open file: holds the lock after close_writer
    t.name_ = name;
    t.slot_ = register_temporary(t.dir_fd_, name);
    return t;
  }
  return Error{fmt::format("{}: cannot create: no free temporary name", shown)};
}

Temporary::Temporary(Temporary&& o) noexcept
    : dir_fd_(o.dir_fd_), fd_(o.fd_), lock_fd_(o.lock_fd_), slot_(o.slot_), name_(std::move(o.name_)) {
  o.dir_fd_ = o.fd_ = o.lock_fd_ = o.slot_ = -1;
  o.name_.clear();
}

Temporary::~Temporary() {
  if (!name_.empty()) ::unlinkat(dir_fd_, name_.c_str(), 0);
  forget();
  if (dir_fd_ >= 0) ::close(dir_fd_);
}

void Temporary::forget() {
  if (slot_ >= 0) g_slots[static_cast<size_t>(slot_)].state.store(0);
  slot_ = -1;
  if (fd_ >= 0) ::close(fd_);
  if (lock_fd_ >= 0) ::close(lock_fd_);
  fd_ = lock_fd_ = -1;
  name_.clear();
}

int Temporary::close_writer() {
  if (fd_ < 0) return 0;
  const int rc = ::close(fd_);
  fd_ = -1;
  return rc == 0 ? 0 : errno;
}

int Temporary::publish_rename(const std::string& target) {
  if (::renameat(dir_fd_, name_.c_str(), dir_fd_, target.c_str()) != 0) return errno;
  forget();
  return 0;
}

int Temporary::publish_link(const std::string& target) {
  if (::linkat(dir_fd_, name_.c_str(), dir_fd_, target.c_str(), 0) != 0) return errno;
  ::unlinkat(dir_fd_, name_.c_str(), 0);
  forget();
  return 0;
}

size_t remove_stale_temporaries(int dir_fd) {
  const int list_fd = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (list_fd < 0) return 0;
  DIR* dir = ::fdopendir(list_fd);
  if (dir == nullptr) {
    ::close(list_fd);
    return 0;
  }
  size_t removed = 0;
  while (const dirent* e = ::readdir(dir)) {
    if (!is_temporary_name(e->d_name)) continue;
    struct stat named, opened;
    if (::fstatat(dir_fd, e->d_name, &named, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(named.st_mode)) continue;
    const int fd = ::openat(dir_fd, e->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) continue;  // another user's: cannot tell, left alone
    // Lockable means its writer is gone; the name must still be that file.
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0 && ::fstat(fd, &opened) == 0 &&
        ::fstatat(dir_fd, e->d_name, &named, AT_SYMLINK_NOFOLLOW) == 0 && opened.st_dev == named.st_dev &&
        opened.st_ino == named.st_ino && ::unlinkat(dir_fd, e->d_name, 0) == 0) {
      ++removed;
    }
    ::close(fd);
  }
  ::closedir(dir);
  return removed;
}

void install_signal_cleanup() {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction old {};
    if (::sigaction(sig, nullptr, &old) != 0 || old.sa_handler == SIG_IGN) continue;
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (int other : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&sa.sa_mask, other);
    ::sigaction(sig, &sa, nullptr);
  }
}

}  // namespace pprofx::io
