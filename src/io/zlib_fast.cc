// zlib-format deflate with ISA-L's igzip (include/pprofx/io/gzip.h).
#include <isa-l/igzip_lib.h>

#include <stdexcept>
#include <vector>

#include "pprofx/io/gzip.h"

namespace pprofx::io {

std::string zlib_fast(std::string_view data) {
  std::vector<uint8_t> level_buf(ISAL_DEF_LVL2_DEFAULT);
  isal_zstream st;
  isal_deflate_init(&st);
  st.level = 2;
  st.level_buf = level_buf.data();
  st.level_buf_size = static_cast<uint32_t>(level_buf.size());
  st.gzip_flag = IGZIP_ZLIB;
  st.end_of_stream = data.empty() ? 1 : 0;
  st.flush = NO_FLUSH;
  std::string out;
  size_t done = 0;  // input handed to igzip (its avail_in is 32 bits: fed in pieces)
  constexpr size_t kPiece = size_t{1} << 30;
  out.resize(data.size() / 2 + 4096);
  size_t used = 0;
  for (;;) {
    if (st.avail_in == 0 && done < data.size()) {
      const size_t n = std::min(kPiece, data.size() - done);
      st.next_in = reinterpret_cast<uint8_t*>(const_cast<char*>(data.data() + done));
      st.avail_in = static_cast<uint32_t>(n);
      done += n;
      st.end_of_stream = done == data.size() ? 1 : 0;
    }
    if (used == out.size()) out.resize(out.size() * 2);
    const size_t room = std::min(out.size() - used, size_t{1} << 30);
    st.next_out = reinterpret_cast<uint8_t*>(out.data() + used);
    st.avail_out = static_cast<uint32_t>(room);
    if (isal_deflate(&st) != COMP_OK) throw std::runtime_error("igzip deflate failed");
    used += room - st.avail_out;
    if (st.internal_state.state == ZSTATE_END) break;
  }
  out.resize(used);
  return out;
}

}  // namespace pprofx::io
