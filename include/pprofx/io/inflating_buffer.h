// Inflating on one core while decoding on the other: one gzip member is
// inflated on a thread of its own into a buffer of the size its trailer
// announces, and each piece is published as soon as it is there, so that
// decode reads the first bytes while the last are still being inflated.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "pprofx/base/memory.h"
#include "pprofx/io/arriving.h"

namespace pprofx::io {

class InflatingBuffer final : public ArrivingBytes {
 public:
  // Inputs that inflate to less are inflated at once (nothing to overlap).
  static constexpr uint64_t kMinSize = uint64_t{4} << 20;

  // Starts inflating gz when its trailer announces a size of at least
  // kMinSize, within max_bytes, at least half the compressed size and within
  // gunzip's store limit (10x the compressed size, 64 MiB at least): what one
  // member says of itself. Else returns nullptr and leaves gz as it was.
  static std::unique_ptr<InflatingBuffer> start(std::string& gz, uint64_t max_bytes);
  // The same for a regular file of file_size bytes open as fd, read a window
  // at a time as it is inflated, so that its compressed bytes are never held
  // whole (an input read ahead of its use, beside another profile). Takes fd
  // (closes it) only when it starts; take_compressed then has no bytes to give
  // (the caller reads the file again).
  static std::unique_ptr<InflatingBuffer> start_file(int fd, uint64_t file_size, uint64_t max_bytes);
  ~InflatingBuffer() override;  // stops the inflate and waits for its thread
  InflatingBuffer(const InflatingBuffer&) = delete;
  InflatingBuffer& operator=(const InflatingBuffer&) = delete;

  std::string_view bytes() const override { return std::string_view(out_.data(), out_.size()); }
  size_t wait_for(size_t end) override;

  // Whether all bytes arrived, as announced, and checked (waits for the end).
  bool complete();
  // When not complete: the compressed bytes back, for gunzip to say what is
  // wrong with them (it reads them as before: joined members, errors); nullopt
  // when they were read from a file (start_file).
  std::optional<std::string> take_compressed();
  // When complete: the inflated bytes (the buffer is empty after).
  std::string take_inflated();
  uint64_t compressed_size() const { return compressed_size_; }

 private:
  InflatingBuffer(std::string gz, uint64_t compressed_size, uint64_t size, int fd);
  bool refill(size_t& taken);
  void run();
  void publish(size_t available, int state);
  void stop();

  std::string gz_;  // the compressed bytes, or (fd_) the window of them read last
  std::string out_;
  uint64_t compressed_size_ = 0;
  int fd_ = -1;              // start_file's file, read by the inflate thread
  uint64_t file_read_ = 0;   // bytes of it read into windows so far
  memory::InputAllowance allowance_;
  std::mutex mu_;
  std::condition_variable cv_;
  size_t available_ = 0;  // under mu_
  int state_ = 0;         // under mu_: 0 running, 1 complete, 2 stopped short
  bool cancel_ = false;   // under mu_
  std::thread thread_;
};

}  // namespace pprofx::io
