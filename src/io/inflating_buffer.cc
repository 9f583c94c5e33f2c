#include "pprofx/io/inflating_buffer.h"

#include <algorithm>

#include "inflater.h"
#include "pprofx/io/input.h"

namespace pprofx::io {
namespace {

enum : int { kRunning = 0, kComplete = 1, kShort = 2 };

// Published in pieces this large: small enough that decode starts early,
// large enough that the handoff costs nothing next to the inflate.
constexpr size_t kPiece = size_t{1} << 20;

}  // namespace

std::unique_ptr<InflatingBuffer> InflatingBuffer::start(std::string& gz, uint64_t max_bytes) {
  if (!is_gzip(gz)) return nullptr;
  const uint64_t size = detail::trailer_size(gz);  // 0 unless at least half the compressed size
  if (size < kMinSize || size > max_bytes || size > detail::store_limit(gz.size())) return nullptr;
  return std::unique_ptr<InflatingBuffer>(new InflatingBuffer(std::move(gz), size));
}

InflatingBuffer::InflatingBuffer(std::string gz, uint64_t size)
    : gz_(std::move(gz)), compressed_size_(gz_.size()), allowance_(gz_.size()) {
  allowance_.grow_to(size);  // as gunzip's buffer (memory.h)
  out_.resize(size);
  thread_ = std::thread([this] { run(); });
}

InflatingBuffer::~InflatingBuffer() { stop(); }

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
      if (produced == out_.size() && taken == gz_.size()) {
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

std::string InflatingBuffer::take_compressed() {
  stop();
  std::string().swap(out_);
  allowance_.shrink_to(gz_.size());
  return std::move(gz_);
}

std::string InflatingBuffer::take_inflated() {
  stop();
  std::string().swap(gz_);
  return std::move(out_);
}

}  // namespace pprofx::io
