#include "pprofx/io/inflating_buffer.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "inflater.h"
#include "pprofx/io/input.h"

namespace pprofx::io {
namespace {

enum : int { kRunning = 0, kComplete = 1, kShort = 2 };

// Published in pieces this large: small enough that decode starts early,
// large enough that the handoff costs nothing next to the inflate.
constexpr size_t kPiece = size_t{1} << 20;

// The window a file is read in (start_file): refilled when less than a
// quarter of it is left to inflate.
constexpr size_t kWindow = size_t{4} << 20;

bool announced_fits(uint64_t size, uint64_t compressed, uint64_t max_bytes) {
  return size >= InflatingBuffer::kMinSize && size <= max_bytes && size <= detail::store_limit(compressed);
}

// Reads [offset, offset + n) of fd into out; false if the file is shorter now.
bool pread_all(int fd, char* out, size_t n, uint64_t offset) {
  while (n > 0) {
    const ssize_t got = ::pread(fd, out, n, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    out += got;
    n -= static_cast<size_t>(got);
    offset += static_cast<uint64_t>(got);
  }
  return true;
}

}  // namespace

std::unique_ptr<InflatingBuffer> InflatingBuffer::start(std::string& gz, uint64_t max_bytes) {
  if (!is_gzip(gz)) return nullptr;
  const uint64_t size = detail::trailer_size(gz);  // 0 unless at least half the compressed size
  if (!announced_fits(size, gz.size(), max_bytes)) return nullptr;
  const uint64_t compressed = gz.size();
  return std::unique_ptr<InflatingBuffer>(new InflatingBuffer(std::move(gz), compressed, size, -1));
}

std::unique_ptr<InflatingBuffer> InflatingBuffer::start_file(int fd, uint64_t file_size, uint64_t max_bytes) {
  unsigned char magic[2], last4[4];
  if (file_size < 18 || !pread_all(fd, reinterpret_cast<char*>(magic), 2, 0) ||
      !pread_all(fd, reinterpret_cast<char*>(last4), 4, file_size - 4) || magic[0] != 0x1f || magic[1] != 0x8b) {
    return nullptr;
  }
  const uint64_t size = detail::trailer_size(last4, file_size);
  if (!announced_fits(size, file_size, max_bytes)) return nullptr;
  return std::unique_ptr<InflatingBuffer>(new InflatingBuffer(std::string(), file_size, size, fd));
}

InflatingBuffer::InflatingBuffer(std::string gz, uint64_t compressed_size, uint64_t size, int fd)
    : gz_(std::move(gz)), compressed_size_(compressed_size), fd_(fd), allowance_(compressed_size) {
  allowance_.grow_to(size);  // as gunzip's buffer (memory.h)
  out_.resize(size);
  thread_ = std::thread([this] { run(); });
}

InflatingBuffer::~InflatingBuffer() {
  stop();
  if (fd_ >= 0) ::close(fd_);
}

// With a file: the bytes not yet inflated moved to the window's start and the
// window filled from the file, when less than a quarter of it is left. False
// when the file is shorter than it was.
bool InflatingBuffer::refill(size_t& taken) {
  if (fd_ < 0 || file_read_ == compressed_size_ || gz_.size() - taken >= kWindow / 4) return true;
  gz_.erase(0, taken);
  taken = 0;
  const size_t have = gz_.size();
  const auto more = static_cast<size_t>(std::min<uint64_t>(kWindow - have, compressed_size_ - file_read_));
  gz_.resize(have + more);
  if (!pread_all(fd_, gz_.data() + have, more, file_read_)) return false;
  file_read_ += more;
  return true;
}

void InflatingBuffer::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    cancel_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void InflatingBuffer::publish(size_t available, int state) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    available_ = available;
    state_ = state;
  }
  cv_.notify_all();
}

// One member, exactly out_.size() bytes, nothing after it: anything else
// (an error, a shorter or longer member, a second member) stops short, and
// the caller gunzips the bytes as usual. The last byte is published only
// once the trailer's CRC and size have been checked.
void InflatingBuffer::run() {
  detail::GzipInflater inflater;
  using State = detail::GzipInflater::State;
  size_t taken = 0, produced = 0;
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (cancel_) break;
    }
    if (!refill(taken)) break;  // the file got shorter: read again as usual
    char spare;
    const bool full = produced == out_.size();
    char* dest = full ? &spare : out_.data() + produced;
    const size_t room = full ? 1 : std::min(kPiece, out_.size() - produced);
    const auto step = inflater.inflate(gz_.data() + taken, gz_.size() - taken, dest, room);
    taken += step.consumed;
    if (full && step.produced > 0) break;  // longer than announced
    produced += full ? 0 : step.produced;
    if (step.state == State::kError) break;
    if (step.state == State::kMemberEnd) {
      if (produced == out_.size() && taken == gz_.size() && (fd_ < 0 || file_read_ == compressed_size_)) {
        std::string().swap(gz_);  // not needed again: only a stream stopped short is inflated anew
        publish(produced, kComplete);
        return;
      }
      break;  // shorter than announced, or another member follows
    }
    if (step.consumed == 0 && step.produced == 0) break;  // truncated
    publish(std::min(produced, out_.size() - 1), kRunning);
  }
  std::lock_guard<std::mutex> lock(mu_);
  state_ = kShort;
  cv_.notify_all();
}

size_t InflatingBuffer::wait_for(size_t end) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return available_ >= end || state_ != kRunning; });
  return available_;
}

bool InflatingBuffer::complete() { return wait_for(out_.size()) == out_.size(); }

std::optional<std::string> InflatingBuffer::take_compressed() {
  stop();
  std::string().swap(out_);
  if (fd_ >= 0) {
    std::string().swap(gz_);
    allowance_.shrink_to(0);
    return std::nullopt;
  }
  allowance_.shrink_to(gz_.size());
  return std::move(gz_);
}

std::string InflatingBuffer::take_inflated() {
  stop();
  std::string().swap(gz_);
  return std::move(out_);
}

}  // namespace pprofx::io
