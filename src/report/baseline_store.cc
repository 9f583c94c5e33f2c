#include "pprofx/report/baseline_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <optional>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "pprofx/base/memory.h"
#include "pprofx/base/strings.h"
#include "pprofx/io/temporary.h"

namespace pprofx::report {
namespace fs = std::filesystem;

namespace {

// The number of one of our files ("000012.pprof" -> 12, "1000000.pprof" after
// "999999.pprof"), or 0 for any other name.
uint64_t sequence_number(std::string_view file) {
  constexpr std::string_view kExt = ".pprof";
  if (file.size() < 6 + kExt.size() || file.size() > 18 + kExt.size() || !file.ends_with(kExt)) return 0;
  const std::string_view digits = file.substr(0, file.size() - kExt.size());
  if (digits.size() > 6 && digits[0] == '0') return 0;  // not how we write them ("{:06}")
  uint64_t n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  return n;
}

// The operation count stored beside baseline n (save --ops): "000012.ops".
std::string ops_file(uint64_t n) { return fmt::format("{:06}.ops", n); }

// An owned file descriptor (-1: none).
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Fd& operator=(Fd&& o) noexcept {
    std::swap(fd_, o.fd_);
    return *this;
  }
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string what_it_is(mode_t mode) {
  if (S_ISREG(mode)) return "a file";
  if (S_ISLNK(mode)) return "a symlink";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISBLK(mode) || S_ISCHR(mode)) return "a device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

std::string error_text(int err) { return std::strerror(err); }

Status check_name(const std::string& name) {
  if (valid_baseline_name(name)) return Ok{};
  return Error{fmt::format("baseline name \"{}\": use letters, digits, '-', '_' and '.'", name)};
}

// The store's directory (DIR may be a symlink: the user names it); Fd(-1)
// when it does not exist (or is not a directory) and create is false.
Result<Fd> open_store(const std::string& store, const std::string& name, bool create) {
  if (create) {
    std::error_code ec;
    fs::create_directories(store, ec);
    if (ec) return Error{fmt::format("{}: cannot create: {}", (fs::path(store) / name).string(), ec.message())};
  }
  Fd fd(::open(store.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() >= 0 || (!create && (errno == ENOENT || errno == ENOTDIR))) return fd;
  return Error{fmt::format("{}: {}", store, error_text(errno))};
}

// NAME's folder, never through a symlink; Fd(-1) when it does not exist and
// create is false.
Result<Fd> open_folder(int store_fd, const std::string& store, const std::string& name, bool create) {
  const std::string dir = (fs::path(store) / name).string();
  if (create && ::mkdirat(store_fd, name.c_str(), 0777) != 0 && errno != EEXIST) {
    return Error{fmt::format("{}: cannot create: {}", dir, error_text(errno))};
  }
  Fd fd(::openat(store_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() >= 0) return fd;
  const int err = errno;
  if (err == ENOENT && !create) return fd;
  struct stat st;
  if ((err == ELOOP || err == ENOTDIR) && ::fstatat(store_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
    return Error{fmt::format("{}: {}, not a folder of the store: refused{}", dir, what_it_is(st.st_mode),
                             S_ISLNK(st.st_mode) ? " (pprofx follows no symlink in a store)" : "")};
  }
  return Error{fmt::format("{}: {}", dir, error_text(err))};
}

struct Entry {
  std::string file;
  uint64_t number = 0;
};

// Our regular files in the folder, oldest first; other entries with our names are mentioned in *skipped.
Result<std::vector<Entry>> scan_folder(int folder_fd, const std::string& dir, std::vector<std::string>* skipped) {
  std::vector<Entry> out;
  std::vector<std::string> foreign;
  const int list_fd = ::openat(folder_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR* d = list_fd < 0 ? nullptr : ::fdopendir(list_fd);
  if (d == nullptr) {
    const int err = errno;
    if (list_fd >= 0) ::close(list_fd);
    return Error{fmt::format("{}: {}", dir, error_text(err))};
  }
  while (const dirent* e = ::readdir(d)) {
    // Only our own names (NNNNNN.pprof, 6 digits or more): anything else in
    // the directory is left alone.
    const uint64_t n = sequence_number(e->d_name);
    struct stat st;
    if (n == 0 || ::fstatat(folder_fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (S_ISREG(st.st_mode)) {
      out.push_back({e->d_name, n});
    } else {
      foreign.push_back(fmt::format("{}/{}: {}, skipped", dir, e->d_name, what_it_is(st.st_mode)));
    }
  }
  ::closedir(d);
  std::sort(foreign.begin(), foreign.end());
  if (skipped != nullptr) skipped->insert(skipped->end(), foreign.begin(), foreign.end());
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.number < b.number; });
  return out;
}

// NAME's entries (with its folder's fd), for the functions below.
struct Folder {
  Fd store, folder;
  std::string dir;
  std::vector<Entry> entries;
};

Result<Folder> open_and_scan(const std::string& store, const std::string& name, bool create,
                             std::vector<std::string>* skipped) {
  if (Status s = check_name(name); !s) return s.error();
  Folder f;
  f.dir = (fs::path(store) / name).string();
  auto s = open_store(store, name, create);
  if (!s) return s.error();
  f.store = std::move(*s);
  if (f.store.get() < 0) return f;
  auto d = open_folder(f.store.get(), store, name, create);
  if (!d) return d.error();
  f.folder = std::move(*d);
  if (f.folder.get() < 0) return f;
  auto entries = scan_folder(f.folder.get(), f.dir, skipped);
  if (!entries) return entries.error();
  f.entries = std::move(*entries);
  return f;
}

Status prune_folder(const Folder& f, size_t keep) {
  for (size_t i = 0; i + keep < f.entries.size(); ++i) {
    const std::string& file = f.entries[i].file;
    struct stat st;
    // Still a regular file (never a symlink put there since the scan); gone already is fine.
    if (::fstatat(f.folder.get(), file.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) continue;
    if (::unlinkat(f.folder.get(), file.c_str(), 0) != 0 && errno != ENOENT) {
      return Error{fmt::format("{}/{}: cannot remove: {}", f.dir, file, error_text(errno))};
    }
    // Its operation count goes with it (a regular file of our name only).
    const std::string ops = ops_file(f.entries[i].number);
    if (::fstatat(f.folder.get(), ops.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
        ::unlinkat(f.folder.get(), ops.c_str(), 0) != 0 && errno != ENOENT) {
      return Error{fmt::format("{}/{}: cannot remove: {}", f.dir, ops, error_text(errno))};
    }
  }
  return Ok{};
}

// Reads one entry: opened O_NOFOLLOW, a regular file, at most max_bytes.
// ENOENT (pruned meanwhile) gives an empty optional.
Result<std::optional<std::string>> read_entry(int folder_fd, const std::string& path, const std::string& file,
                                              uint64_t max_bytes, std::string_view limit = "--max-size") {
  Fd fd(::openat(folder_fd, file.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0 && errno == ENOENT) return std::optional<std::string>{};
  if (fd.get() < 0) return Error{fmt::format("{}: cannot read: {}", path, error_text(errno))};
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return Error{fmt::format("{}: cannot read: {}", path, error_text(errno))};
  if (!S_ISREG(st.st_mode)) {
    return Error{fmt::format("{}: {}, not a stored baseline: refused", path, what_it_is(st.st_mode))};
  }
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    return Error{fmt::format("{}: {} bytes, more than {} ({})", path, st.st_size, limit, max_bytes)};
  }
  memory::allow_input(static_cast<uint64_t>(st.st_size));  // the heap bound grows with what is read
  std::string bytes(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::read(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error{fmt::format("{}: cannot read: {}", path, error_text(errno))};
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  bytes.resize(done);
  return std::optional<std::string>{std::move(bytes)};
}

// Writes bytes to a new temporary file in the folder, mode as open() would give.
Result<io::Temporary> write_temporary(int folder_fd, const std::string& dir, std::string_view bytes) {
  auto tmp = io::Temporary::create(folder_fd, dir);
  if (!tmp) return tmp.error();
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(tmp->fd(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const mode_t mask = ::umask(0);  // the temporary is 0600; use what open() would (as io's outputs do)
  ::umask(mask);
  const bool ok = done == bytes.size() && ::fchmod(tmp->fd(), 0666 & ~mask) == 0 && ::fsync(tmp->fd()) == 0;
  const int saved = errno;
  const int closed = tmp->close_writer();
  if (!ok || closed != 0) {
    return Error{fmt::format("{}/{}: cannot write: {}", dir, tmp->name(), error_text(ok ? closed : saved))};
  }
  return tmp;
}

}  // namespace

bool valid_baseline_name(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

Result<std::vector<std::string>> list_baselines(const std::string& store, const std::string& name,
                                                std::vector<std::string>* skipped) {
  auto f = open_and_scan(store, name, false, skipped);
  if (!f) return f.error();
  std::vector<std::string> out;
  for (const Entry& e : f->entries) out.push_back((fs::path(f->dir) / e.file).string());
  return out;
}

Result<std::vector<std::string>> baseline_names(const std::string& store, std::vector<std::string>* skipped) {
  std::vector<std::string> names;
  const size_t first_skipped = skipped != nullptr ? skipped->size() : 0;
  auto s = open_store(store, "", false);
  if (!s) return s.error();
  if (s->get() < 0) return names;
  const int list_fd = ::openat(s->get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR* d = list_fd < 0 ? nullptr : ::fdopendir(list_fd);
  if (d == nullptr) {
    if (list_fd >= 0) ::close(list_fd);
    return Error{fmt::format("{}: {}", store, error_text(errno))};
  }
  while (const dirent* e = ::readdir(d)) {
    const std::string n = e->d_name;
    struct stat st;
    if (n == "." || n == ".." || ::fstatat(s->get(), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    // Only the names pprofx stores under (list_baselines would refuse the others); never a symlink.
    if (S_ISDIR(st.st_mode) && valid_baseline_name(n)) {
      names.push_back(n);
    } else if (skipped != nullptr && (S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode))) {
      skipped->push_back(fmt::format("{}: {}{}, skipped", (fs::path(store) / n).string(), what_it_is(st.st_mode),
                                     S_ISDIR(st.st_mode) ? " pprofx did not create" : ""));
    }
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  if (skipped != nullptr) std::sort(skipped->begin() + static_cast<std::ptrdiff_t>(first_skipped), skipped->end());
  return names;
}

Result<std::vector<StoredBaseline>> read_baselines(const std::string& store, const std::string& name,
                                                   uint64_t max_bytes, std::vector<std::string>* skipped) {
  auto f = open_and_scan(store, name, false, skipped);
  if (!f) return f.error();
  std::vector<StoredBaseline> out;
  for (const Entry& e : f->entries) {
    const std::string path = (fs::path(f->dir) / e.file).string();
    auto bytes = read_entry(f->folder.get(), path, e.file, max_bytes);
    if (!bytes) return bytes.error();
    if (!*bytes) continue;
    StoredBaseline b{path, std::move(**bytes)};
    // Its operation count, if one was saved with it.
    const std::string ops = ops_file(e.number);
    const std::string ops_path = (fs::path(f->dir) / ops).string();
    auto count = read_entry(f->folder.get(), ops_path, ops, 64, "an operation count takes");
    if (!count) return count.error();
    if (*count) {
      std::string text = **count;
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
      int64_t n = 0;
      if (text.empty() || text[0] == '-' || text[0] == '+' || !parse_int64(text, &n) || n <= 0) {
        return Error{fmt::format("{}: not an operation count (a whole number above 0)", ops_path)};
      }
      b.ops = n;
    }
    out.push_back(std::move(b));
  }
  return out;
}

Status prune_baselines(const std::string& store, const std::string& name, size_t keep) {
  auto f = open_and_scan(store, name, false, nullptr);
  if (!f) return f.error();
  if (f->folder.get() < 0) return Ok{};
  io::remove_stale_temporaries(f->folder.get());
  return prune_folder(*f, keep);
}

// The bytes are written to a temporary file first, then published under the
// next free number with link(2), which never replaces a file: two jobs
// saving at once get two numbers, and a reader never sees half a profile.
Result<std::string> save_baseline(const std::string& store, const std::string& name, std::string_view bytes,
                                  size_t keep, int64_t ops) {
  auto f = open_and_scan(store, name, true, nullptr);
  if (!f) return f.error();
  const int dir_fd = f->folder.get();
  io::remove_stale_temporaries(dir_fd);
  uint64_t next = f->entries.empty() ? 1 : f->entries.back().number + 1;
  auto tmp = write_temporary(dir_fd, f->dir, bytes);
  if (!tmp) return tmp.error();
  std::string file;
  for (;; ++next) {
    file = fmt::format("{:06}.pprof", next);
    int err = tmp->publish_link(file);
    if (err == 0) break;
    if (err == EPERM || err == EOPNOTSUPP) {
      // No hard links here (some network file systems): reserve the name, then replace the reservation.
      const int fd = ::openat(dir_fd, file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
      if (fd < 0 && errno == EEXIST) continue;
      if (fd >= 0) {
        ::close(fd);
        err = tmp->publish_rename(file);
        if (err == 0) break;
        ::unlinkat(dir_fd, file.c_str(), 0);
      } else {
        err = errno;
      }
    }
    if (err != EEXIST) return Error{fmt::format("{}/{}: cannot create: {}", f->dir, file, error_text(err))};
  }
  if (ops > 0) {
    // Beside it, published the same way; a stale one of that number (a save that died between the two) is replaced.
    const std::string count_file = ops_file(next);
    auto count = write_temporary(dir_fd, f->dir, fmt::format("{}\n", ops));
    if (!count) return count.error();
    int err = count->publish_link(count_file);
    struct stat st;
    if (err == EEXIST && ::fstatat(dir_fd, count_file.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
      err = count->publish_rename(count_file);
    } else if (err == EPERM || err == EOPNOTSUPP) {
      err = count->publish_rename(count_file);
    }
    if (err != 0) return Error{fmt::format("{}/{}: cannot create: {}", f->dir, count_file, error_text(err))};
  }
  // Pruned from a fresh scan: saves published meanwhile count too.
  auto after = open_and_scan(store, name, false, nullptr);
  if (!after) return after.error();
  if (Status s = prune_folder(*after, std::max<size_t>(1, keep)); !s) return s.error();
  return (fs::path(f->dir) / file).string();
}

}  // namespace pprofx::report
