#include "inflater.h"

#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cstdint>

namespace pprofx::io::detail {
namespace {

const char* describe(int rc) {
  switch (rc) {
    case ISAL_INVALID_BLOCK: return "invalid deflate block";
    case ISAL_INVALID_SYMBOL: return "invalid deflate symbol";
    case ISAL_INVALID_LOOKBACK: return "invalid distance too far back";
    case ISAL_INVALID_WRAPPER: return "invalid gzip header";
    case ISAL_UNSUPPORTED_METHOD: return "unknown compression method";
    case ISAL_INCORRECT_CHECKSUM: return "incorrect data check";
    case ISAL_NEED_DICT: return "needs a preset dictionary";
    default: return "igzip error";
  }
}

// ISA-L counts in 32 bits: larger pieces are taken a GiB at a time.
constexpr size_t kChunk = size_t{1} << 30;

}  // namespace

struct GzipInflater::State_ {
  inflate_state st;
};

GzipInflater::GzipInflater() : s_(std::make_unique<State_>()) { next_member(); }

GzipInflater::~GzipInflater() = default;

void GzipInflater::next_member() {
  isal_inflate_init(&s_->st);
  s_->st.crc_flag = ISAL_GZIP;  // igzip reads the gzip header and checks the trailer
}

GzipInflater::Step GzipInflater::inflate(const char* in, size_t in_len, char* out, size_t out_len) {
  inflate_state& st = s_->st;
  Step step;
  for (;;) {
    const uint32_t in_chunk = static_cast<uint32_t>(std::min(in_len - step.consumed, kChunk));
    const uint32_t out_chunk = static_cast<uint32_t>(std::min(out_len - step.produced, kChunk));
    st.next_in = reinterpret_cast<uint8_t*>(const_cast<char*>(in + step.consumed));
    st.avail_in = in_chunk;
    st.next_out = reinterpret_cast<uint8_t*>(out + step.produced);
    st.avail_out = out_chunk;
    const int rc = isal_inflate(&st);
    step.consumed += in_chunk - st.avail_in;
    step.produced += out_chunk - st.avail_out;
    if (rc < 0 || rc == ISAL_NEED_DICT) {
      error_ = std::string("corrupt gzip data (") + describe(rc) + ")";
      step.state = State::kError;
      return step;
    }
    if (st.block_state == ISAL_BLOCK_FINISH) {
      step.state = State::kMemberEnd;
      return step;
    }
    // Go on only when a GiB chunk was used up and the piece holds more.
    const bool more_in = st.avail_in == 0 && step.consumed < in_len;
    const bool more_out = st.avail_out == 0 && step.produced < out_len;
    if (!(more_in && st.avail_out != 0) && !(more_out && st.avail_in != 0)) return step;
  }
}

}  // namespace pprofx::io::detail
