#include "pprofx/io/input.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inflater.h"
#include "pprofx/base/memory.h"

namespace pprofx::io {
namespace {

std::string display_name(const std::string& path) { return path == "-" ? "<stdin>" : path; }

std::string limit_error(const char* what, uint64_t max_bytes) {
  return fmt::format("{} exceeds the limit of {} bytes (raise it with --max-size)", what, max_bytes);
}

// Reads path ("-": stdin) through a BoundedReader: never more than the cap
// plus one read's worth, whatever the file is (a pipe, /dev/zero, a growing file).
Result<std::string> read_bounded(const std::string& path, uint64_t max_bytes, bool count_inflated,
                                 const PrefixCheck& check = {}) {
  const int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{fmt::format("{}: cannot open: {}", path, std::strerror(errno))};
  struct stat st{};
  const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
  auto close_fd = [&] {
    if (fd != STDIN_FILENO) ::close(fd);
  };
  if (regular && static_cast<uint64_t>(st.st_size) > max_bytes) {
    close_fd();
    return Error{fmt::format("{}: size {} exceeds the limit of {} bytes (raise it with --max-size)",
                             display_name(path), st.st_size, max_bytes)};
  }
  // A regular file's size is known (and within the cap): gunzip bounds its output.
  BoundedReader reader(max_bytes, count_inflated && !regular);
  if (regular) reader.reserve(static_cast<size_t>(st.st_size));  // allowed by reserve
  if (!regular) reader.set_check(check);  // a file's start is judged after it is read (load)
  std::string buf(1 << 16, '\0');
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int saved_errno = errno;
      close_fd();
      return Error{fmt::format("{}: read error: {}", display_name(path), std::strerror(saved_errno))};
    }
    if (Status s = reader.add(std::string_view(buf.data(), static_cast<size_t>(n))); !s) {
      close_fd();
      return Error{fmt::format("{}: {}", display_name(path), s.error().message)};
    }
  }
  close_fd();
  return reader.take();
}

}  // namespace

Result<std::string> read_file(const std::string& path, uint64_t max_bytes) {
  return read_bounded(path, max_bytes, false);
}

Result<std::string> read_input(const std::string& path, uint64_t max_bytes, const PrefixCheck& check) {
  return read_bounded(path, max_bytes, true, check);
}

bool is_gzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

namespace {

// One pass of inflate over all members. With `out`, stores the output
// (growing it geometrically); without, only counts it. Stops with an error
// past max_bytes. If `store_limit` is passed while storing, gives up storing:
// *switched is set and the caller re-runs in counting mode.
struct Inflated {
  uint64_t size = 0;
  bool switched = false;
};
Result<Inflated> inflate_all(std::string_view bytes, uint64_t max_bytes, std::string* out, uint64_t store_limit,
                             memory::InputAllowance* allowance) {
  detail::GzipInflater inflater;
  std::string scratch;
  if (out == nullptr) scratch.resize(1 << 20);
  uint64_t produced = 0;
  size_t taken = 0;
  Inflated result;
  for (;;) {
    char* dest;
    size_t room;
    if (out != nullptr) {
      if (produced == out->size()) {
        if (out->size() >= max_bytes) return Error{limit_error("decompressed size", max_bytes)};
        if (out->size() >= store_limit) {
          result.switched = true;
          return result;
        }
        const uint64_t grown = std::min<uint64_t>({max_bytes, std::max<uint64_t>(out->size() * 2, 1 << 16)});
        allowance->grow_to(grown);
        out->resize(grown);
      }
      dest = out->data() + produced;
      room = out->size() - produced;
    } else {
      dest = scratch.data();
      room = scratch.size();
    }
    const auto step = inflater.inflate(bytes.data() + taken, bytes.size() - taken, dest, room);
    produced += step.produced;
    taken += step.consumed;
    if (out == nullptr && produced > max_bytes) return Error{limit_error("decompressed size", max_bytes)};
    using State = detail::GzipInflater::State;
    if (step.state == State::kError) return Error{"decompressing: " + inflater.error()};
    if (step.state == State::kMemberEnd) {
      if (taken == bytes.size()) break;
      // Another gzip member follows (Go's reader joins them); anything else is corrupt.
      if (!is_gzip(bytes.substr(taken))) return Error{"decompressing: invalid gzip header after the first member"};
      inflater.next_member();
      continue;
    }
    if (taken == bytes.size() && step.produced < room) {
      return Error{"decompressing: unexpected end of gzip data (truncated file?)"};
    }
    if (step.consumed == 0 && step.produced == 0) return Error{"decompressing: corrupt gzip data (no progress)"};
  }
  result.size = produced;
  return result;
}

}  // namespace

Result<std::string> gunzip(std::string_view bytes, uint64_t max_bytes) {
  // Real profiles inflate 2-5x. Past 10x (and 64 MiB) the input looks like a
  // gzip bomb: stop storing, count to the end or the limit, and only if it
  // fits inflate again into a buffer of the right size. Memory stays small.
  const uint64_t store_limit = detail::store_limit(bytes.size());
  // First guess: what the trailer says, else 4x the input. Never trusted
  // past the store limit, and the buffer still grows if the guess is short.
  uint64_t guess = detail::trailer_size(bytes);
  if (guess == 0) guess = static_cast<uint64_t>(bytes.size()) * 4;
  // The compressed bytes were allowed by whoever read them; what they inflate
  // to is allowed as the buffer grows (memory.h).
  memory::InputAllowance allowance(bytes.size());
  std::string out;
  const uint64_t first_size = std::min<uint64_t>({max_bytes, store_limit, std::max<uint64_t>(guess, 1 << 16)});
  allowance.grow_to(first_size);
  out.resize(first_size);
  auto first = inflate_all(bytes, max_bytes, &out, store_limit, &allowance);
  if (!first) return first.error();
  if (!first->switched) {
    out.resize(first->size);
    // A first guess over the data (the trailer gives the last member's size
    // only; else 4x the input): give the rest back.
    if (out.capacity() > out.size() + out.size() / 8 + (1 << 16)) out.shrink_to_fit();
    allowance.shrink_to(std::max<uint64_t>(out.capacity(), bytes.size()));
    return out;
  }
  std::string().swap(out);
  allowance.shrink_to(bytes.size());
  auto counted = inflate_all(bytes, max_bytes, nullptr, 0, &allowance);
  if (!counted) return counted.error();
  allowance.grow_to(counted->size);
  out.resize(counted->size);
  auto second = inflate_all(bytes, max_bytes, &out, UINT64_MAX, &allowance);
  if (!second) return second.error();
  return out;
}

std::string gunzip_prefix(std::string_view bytes, size_t max_bytes) {
  detail::GzipInflater inflater;
  std::string out(max_bytes, '\0');
  size_t taken = 0, produced = 0;
  while (produced < out.size()) {
    const auto step = inflater.inflate(bytes.data() + taken, bytes.size() - taken, out.data() + produced,
                                       out.size() - produced);
    taken += step.consumed;
    produced += step.produced;
    using State = detail::GzipInflater::State;
    if (step.state == State::kError) break;
    if (step.state == State::kMemberEnd) {
      if (!is_gzip(bytes.substr(taken))) break;
      inflater.next_member();
      continue;
    }
    if (step.consumed == 0 && step.produced == 0) break;
  }
  out.resize(produced);
  return out;
}

// Inflates what has arrived into a fixed scratch buffer, only to count it.
struct BoundedReader::Counter {
  detail::GzipInflater inflater;
  size_t consumed = 0;  // bytes of raw_ given to the inflater
  uint64_t produced = 0;
  bool member_done = false;
  std::string scratch = std::string(256 << 10, '\0');
  std::string prefix;  // the first inflated bytes, while a check waits for them
};

BoundedReader::BoundedReader(uint64_t max_bytes, bool count_inflated)
    : max_bytes_(max_bytes), count_inflated_(count_inflated) {}

BoundedReader::~BoundedReader() = default;

Status BoundedReader::add(std::string_view piece) {
  if (piece.size() > max_bytes_ - std::min<uint64_t>(raw_.size(), max_bytes_)) {
    return Error{limit_error("size", max_bytes_)};
  }
  allowance_.grow_to(raw_.size() + piece.size());
  raw_.append(piece);
  const bool gzip = raw_.size() >= 2 && is_gzip(raw_);
  if (check_.judge && !gzip && raw_.size() >= std::max<size_t>(check_.size, 2)) {
    if (Status s = judge(std::string_view(raw_).substr(0, check_.size)); !s) return s;
  }
  if (!count_inflated_) return Ok{};
  if (counter_ == nullptr) {
    if (raw_.size() < 2) return Ok{};
    if (!gzip) {
      count_inflated_ = false;
      return Ok{};
    }
    counter_ = std::make_unique<Counter>();
  }
  return count_inflated();
}

Status BoundedReader::judge(std::string_view prefix) {
  auto refused = check_.judge(prefix);
  check_ = {};
  if (refused) return Error{std::move(*refused)};
  return Ok{};
}

// The same inflate as inflate_all, over the bytes not yet counted; errors
// are final (gunzip would report the same), a missing end is not (more may come).
Status BoundedReader::count_inflated() {
  Counter& c = *counter_;
  while (c.consumed < raw_.size()) {
    const size_t remaining = raw_.size() - c.consumed;
    if (c.member_done) {
      if (remaining < 2) return Ok{};
      if (!is_gzip(std::string_view(raw_).substr(c.consumed))) {
        return Error{"decompressing: invalid gzip header after the first member"};
      }
      c.inflater.next_member();
      c.member_done = false;
    }
    const auto step = c.inflater.inflate(raw_.data() + c.consumed, remaining, c.scratch.data(), c.scratch.size());
    c.consumed += step.consumed;
    c.produced += step.produced;
    if (check_.judge) {
      c.prefix.append(c.scratch.data(), std::min(step.produced, check_.size - c.prefix.size()));
      if (c.prefix.size() == check_.size) {
        Status s = judge(c.prefix);
        std::string().swap(c.prefix);
        if (!s) return s;
      }
    }
    if (c.produced > max_bytes_) return Error{limit_error("decompressed size", max_bytes_)};
    using State = detail::GzipInflater::State;
    if (step.state == State::kError) return Error{"decompressing: " + c.inflater.error()};
    if (step.state == State::kMemberEnd) {
      c.member_done = true;
      continue;
    }
    if (step.produced < c.scratch.size()) return Ok{};  // all input taken: needs more
  }
  return Ok{};
}

Result<ProfileBytes> read_profile_bytes(const std::string& path, uint64_t max_bytes) {
  auto raw = read_input(path, max_bytes);
  if (!raw) return raw.error();
  return profile_bytes(std::move(*raw), display_name(path), max_bytes);
}

Result<ProfileBytes> profile_bytes(std::string raw, const std::string& name, uint64_t max_bytes) {
  ProfileBytes out;
  out.file_bytes = raw.size();
  out.gzipped = is_gzip(raw);
  if (!out.gzipped) {
    if (raw.size() > max_bytes) {
      return Error{fmt::format("{}: size {} exceeds the limit of {} bytes (raise it with --max-size)", name,
                               raw.size(), max_bytes)};
    }
    out.data = std::move(raw);
    return out;
  }
  auto inflated = gunzip(raw, max_bytes);
  if (!inflated) return Error{fmt::format("{}: {}", name, inflated.error().message)};
  std::string().swap(raw);
  out.data = std::move(*inflated);
  return out;
}

}  // namespace pprofx::io
