#include "pprofx/io/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace pprofx::io {
namespace {

constexpr size_t kGzipBlock = 512 * 1024;
constexpr size_t kGzipWindow = 32 * 1024;
constexpr size_t kGzipBatch = 8;  // blocks compressed together, across threads

// One block as raw deflate, primed with the input before it; all but the last
// end on a byte boundary (Z_SYNC_FLUSH) so blocks join into one stream.
std::string deflate_block(std::string_view dict, std::string_view in, int level, bool last) {
  z_stream zs{};
  deflateInit2(&zs, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  if (!dict.empty()) {
    deflateSetDictionary(&zs, reinterpret_cast<const Bytef*>(dict.data()), static_cast<uInt>(dict.size()));
  }
  std::string out(deflateBound(&zs, in.size()) + 16, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, last ? Z_FINISH : Z_SYNC_FLUSH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace

GzipWriter::GzipWriter(int level, ByteSink sink, unsigned threads)
    : level_(level), threads_(std::max(1u, threads)), sink_(std::move(sink)) {}

GzipWriter::~GzipWriter() = default;

void GzipWriter::write(std::string_view data) {
  while (!data.empty()) {
    const size_t room = kGzipBlock * kGzipBatch - pending_.size();
    pending_.append(data.substr(0, room));
    data.remove_prefix(std::min(room, data.size()));
    if (pending_.size() == kGzipBlock * kGzipBatch) compress_pending(false);
  }
}

void GzipWriter::finish() {
  if (finished_) return;
  finished_ = true;
  compress_pending(true);
  unsigned char trailer[8];
  for (int i = 0; i < 4; ++i) {
    trailer[i] = static_cast<unsigned char>(crc_ >> (8 * i));
    trailer[4 + i] = static_cast<unsigned char>(size_ >> (8 * i));
  }
  sink_(std::string_view(reinterpret_cast<const char*>(trailer), 8));
}

// Compresses the whole blocks of pending_ (all of it when `last`), in order.
void GzipWriter::compress_pending(bool last) {
  if (!started_) {
    started_ = true;
    // zlib's header: no name, mtime 0, XFL by level, OS unix.
    const char xfl = level_ == 9 ? 2 : level_ == 1 ? 4 : 0;
    const char header[10] = {'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, xfl, 3};
    sink_(std::string_view(header, 10));
  }
  crc_ = static_cast<uint32_t>(crc32(crc_, reinterpret_cast<const Bytef*>(pending_.data()), static_cast<uInt>(pending_.size())));
  size_ += pending_.size();
  const size_t blocks = last ? std::max<size_t>(1, (pending_.size() + kGzipBlock - 1) / kGzipBlock) : pending_.size() / kGzipBlock;
  std::vector<std::string> out(blocks);
  auto dict = [&](size_t b) {  // the 32 kB before block b
    if (b == 0) return std::string_view(window_);
    const size_t start = b * kGzipBlock;
    return std::string_view(pending_).substr(start - std::min(start, kGzipWindow), std::min(start, kGzipWindow));
  };
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t b = next++; b < blocks; b = next++) {
      const std::string_view in = std::string_view(pending_).substr(b * kGzipBlock, kGzipBlock);
      out[b] = deflate_block(dict(b), in, level_, last && b + 1 == blocks);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < std::min<size_t>(threads_, blocks); ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  for (const std::string& o : out) sink_(o);
  // The window is the 32 kB of input before the next block, which may span earlier batches.
  window_ = (window_ + pending_).substr(window_.size() + pending_.size() - std::min(window_.size() + pending_.size(), kGzipWindow));
  pending_.clear();
}

std::string gzip(std::string_view data, int level) {
  std::string out;
  GzipWriter w(level, [&out](std::string_view s) { out.append(s); });
  w.write(data);
  w.finish();
  return out;
}

}  // namespace pprofx::io
