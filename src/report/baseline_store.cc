#include "pprofx/report/baseline_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

// Writes bytes to a new temporary file in dir (O_EXCL); returns its path.
Result<std::string> write_temporary(const fs::path& dir, std::string_view bytes) {
  std::string tmp = (dir / ".save-XXXXXX").string();
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return Error{fmt::format("{}: cannot create a file: {}", dir.string(), std::strerror(errno))};
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const mode_t mask = ::umask(0);  // mkstemp makes 0600; use what open() would (as io's outputs do)
  ::umask(mask);
  const bool ok = done == bytes.size() && ::fchmod(fd, 0666 & ~mask) == 0 && ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!ok) {
    ::unlink(tmp.c_str());
    return Error{fmt::format("{}: cannot write: {}", tmp, std::strerror(saved))};
  }
  return tmp;
}

}  // namespace

bool valid_baseline_name(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

Result<std::vector<std::string>> list_baselines(const std::string& store, const std::string& name) {
  if (!valid_baseline_name(name)) {
    return Error{fmt::format("baseline name \"{}\": use letters, digits, '-', '_' and '.'", name)};
  }
  std::vector<std::string> out;
  const fs::path dir = fs::path(store) / name;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string f = e.path().filename().string();
    // Only our own names (NNNNNN.pprof, 6 digits or more): anything else in
    // the directory is left alone.
    if (e.is_regular_file() && sequence_number(f) > 0) out.push_back(e.path().string());
  }
  if (ec) return Error{fmt::format("{}: {}", dir.string(), ec.message())};
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    return sequence_number(fs::path(a).filename().string()) < sequence_number(fs::path(b).filename().string());
  });
  return out;
}

Result<std::vector<std::string>> baseline_names(const std::string& store) {
  std::vector<std::string> names;
  std::error_code ec;
  if (!fs::is_directory(store, ec)) return names;
  for (const auto& e : fs::directory_iterator(store, ec)) {
    // Only the names pprofx stores under (list_baselines would refuse the others).
    if (e.is_directory() && valid_baseline_name(e.path().filename().string())) {
      names.push_back(e.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

Status prune_baselines(const std::string& store, const std::string& name, size_t keep) {
  auto files = list_baselines(store, name);
  if (!files) return files.error();
  for (size_t i = 0; i + keep < files->size(); ++i) {
    std::error_code ec;
    fs::remove((*files)[i], ec);
    if (ec) return Error{fmt::format("{}: cannot remove: {}", (*files)[i], ec.message())};
  }
  return Ok{};
}

namespace {

Result<std::string> prune_after(const std::string& store, const std::string& name, size_t keep, std::string path) {
  if (Status s = prune_baselines(store, name, std::max<size_t>(1, keep)); !s) return s.error();
  return path;
}

}  // namespace

// The bytes are written to a temporary file first, then published under the
// next free number with link(2), which never replaces a file: two jobs
// saving at once get two numbers, and a reader never sees half a profile.
Result<std::string> save_baseline(const std::string& store, const std::string& name, std::string_view bytes,
                                  size_t keep) {
  auto existing = list_baselines(store, name);
  if (!existing) return existing.error();
  uint64_t next = 1;
  if (!existing->empty()) next = sequence_number(fs::path(existing->back()).filename().string()) + 1;
  const fs::path dir = fs::path(store) / name;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error{fmt::format("{}: cannot create: {}", dir.string(), ec.message())};
  auto tmp = write_temporary(dir, bytes);
  if (!tmp) return tmp.error();
  std::string path;
  for (;; ++next) {
    path = (dir / fmt::format("{:06}.pprof", next)).string();
    if (::link(tmp->c_str(), path.c_str()) == 0) break;
    if (errno == EPERM || errno == EOPNOTSUPP) {
      // No hard links here (some network file systems): reserve the name, then replace the reservation.
      const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (fd < 0 && errno == EEXIST) continue;
      if (fd >= 0) {
        ::close(fd);
        if (::rename(tmp->c_str(), path.c_str()) == 0) return prune_after(store, name, keep, path);
        const int saved = errno;
        ::unlink(path.c_str());
        ::unlink(tmp->c_str());
        return Error{fmt::format("{}: cannot create: {}", path, std::strerror(saved))};
      }
    }
    if (errno != EEXIST) {
      const int saved = errno;
      ::unlink(tmp->c_str());
      return Error{fmt::format("{}: cannot create: {}", path, std::strerror(saved))};
    }
  }
  ::unlink(tmp->c_str());
  return prune_after(store, name, keep, path);
}

}  // namespace pprofx::report
