// Inflate speed of the libraries Debian ships, on gzip files given as
// arguments: zlib, libdeflate and ISA-L's igzip, each decompressing the whole
// file (every member) into a buffer of the right size, `--runs` times; prints
// the median milliseconds of each and checks that all three give the same bytes.
// Used by bench/bench_inflate.py (issue 20, point 1).
//   pprofx_bench_inflate [--runs N] FILE.gz...
#include <isa-l/igzip_lib.h>
#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

namespace {

// The whole output of every member, by zlib (the reference; also sizes the buffer).
bool inflate_zlib(const std::string& in, std::string& out) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return false;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  size_t produced = 0;
  bool ok = true;
  for (;;) {
    if (produced == out.size()) out.resize(std::max<size_t>(out.size() * 2, 1 << 20));
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    zs.avail_out = static_cast<uInt>(std::min<size_t>(out.size() - produced, 1u << 30));
    const uInt before = zs.avail_out;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    produced += before - zs.avail_out;
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      inflateReset(&zs);
      continue;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      ok = false;
      break;
    }
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
      ok = false;
      break;
    }
  }
  inflateEnd(&zs);
  out.resize(produced);
  return ok;
}

bool inflate_libdeflate(const std::string& in, std::string& out) {
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  size_t in_pos = 0, out_pos = 0;
  bool ok = true;
  while (in_pos < in.size()) {
    size_t in_used = 0, out_made = 0;
    const libdeflate_result r = libdeflate_gzip_decompress_ex(d, in.data() + in_pos, in.size() - in_pos,
                                                              out.data() + out_pos, out.size() - out_pos, &in_used,
                                                              &out_made);
    if (r != LIBDEFLATE_SUCCESS) {
      ok = false;
      break;
    }
    in_pos += in_used;
    out_pos += out_made;
  }
  libdeflate_free_decompressor(d);
  return ok && out_pos == out.size();
}

bool inflate_isal(const std::string& in, std::string& out) {
  inflate_state st;
  isal_inflate_init(&st);
  st.crc_flag = ISAL_GZIP;
  st.next_in = reinterpret_cast<uint8_t*>(const_cast<char*>(in.data()));
  st.avail_in = static_cast<uint32_t>(in.size());
  st.next_out = reinterpret_cast<uint8_t*>(out.data());
  st.avail_out = static_cast<uint32_t>(out.size());
  for (;;) {
    if (isal_inflate(&st) != ISAL_DECOMP_OK) return false;
    if (st.block_state != ISAL_BLOCK_FINISH) return false;  // the whole input was given: a member must end
    if (st.avail_in == 0) break;
    // Another member follows.
    uint8_t* next_in = st.next_in;
    uint32_t avail_in = st.avail_in;
    uint8_t* next_out = st.next_out;
    uint32_t avail_out = st.avail_out;
    isal_inflate_reset(&st);
    st.crc_flag = ISAL_GZIP;
    st.next_in = next_in;
    st.avail_in = avail_in;
    st.next_out = next_out;
    st.avail_out = avail_out;
  }
  return st.avail_out == 0;
}

double median_ms(int runs, const std::function<bool()>& f, bool* ok) {
  std::vector<double> t;
  for (int i = 0; i < runs; ++i) {
    const auto a = std::chrono::steady_clock::now();
    *ok = f() && *ok;
    t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else {
      files.push_back(argv[i]);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: pprofx_bench_inflate [--runs N] FILE.gz...\n");
    return 2;
  }
  std::printf("file\tcompressed\tinflated\tzlib_ms\tlibdeflate_ms\tisal_ms\n");
  for (const std::string& path : files) {
    std::ifstream f(path, std::ios::binary);
    const std::string in((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    std::string ref;
    if (!inflate_zlib(in, ref)) {
      std::fprintf(stderr, "%s: not a gzip file zlib reads\n", path.c_str());
      return 1;
    }
    std::string out(ref.size(), '\0');
    bool ok = true;
    const double z = median_ms(runs, [&] { return inflate_zlib(in, out) && out.size() == ref.size(); }, &ok);
    const double d = median_ms(runs, [&] { return inflate_libdeflate(in, out); }, &ok);
    const bool same_d = out == ref;
    std::memset(out.data(), 0, out.size());
    const double s = median_ms(runs, [&] { return inflate_isal(in, out); }, &ok);
    const bool same_s = out == ref;
    if (!ok || !same_d || !same_s) {
      std::fprintf(stderr, "%s: the libraries disagree (libdeflate %s, isa-l %s)\n", path.c_str(),
                   same_d ? "same" : "differs", same_s ? "same" : "differs");
      return 1;
    }
    std::printf("%s\t%zu\t%zu\t%.2f\t%.2f\t%.2f\n", path.c_str(), in.size(), ref.size(), z, d, s);
  }
  return 0;
}
