// One gzip member as zlib writes it in one call: the reference the gzip
// writer and the inflate tests compare with.
#pragma once

#include <zlib.h>

#include <string>

namespace pprofx::testing {

// level 0-9 (0: stored blocks); strategy as deflateInit2's.
inline std::string zlib_member(const std::string& in, int level = 6, int strategy = Z_DEFAULT_STRATEGY) {
  z_stream zs{};
  deflateInit2(&zs, level, Z_DEFLATED, 16 + MAX_WBITS, 8, strategy);
  std::string out(deflateBound(&zs, in.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace pprofx::testing
