// A small program for the symbolization tests: burns CPU in known functions
// (one always inlined, one never, a template, one in a shared library) and
// allocates from a known site, so profiles taken of it name them.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

namespace workload {

// Inlined into its caller: symbolization must show it as an inline frame.
__attribute__((always_inline)) inline uint64_t mix_inlined(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return x;
}

__attribute__((noinline)) uint64_t hash_loop(uint64_t seed, int rounds) {
  uint64_t h = seed;
  for (int i = 0; i < rounds; ++i) h = mix_inlined(h + static_cast<uint64_t>(i));
  return h;
}

template <typename T>
__attribute__((noinline)) T sum_squares(const std::vector<T>& v) {
  T s = 0;
  for (int r = 0; r < 50; ++r) {
    for (const T& x : v) s += x * x + static_cast<T>(r);
  }
  return s;
}

__attribute__((noinline)) std::vector<char*> allocate_blocks(int n, size_t size) {
  std::vector<char*> blocks;
  for (int i = 0; i < n; ++i) {
    char* b = static_cast<char*>(std::malloc(size));
    std::memset(b, i & 0xff, size);
    blocks.push_back(b);
  }
  return blocks;
}

}  // namespace workload

extern "C" uint64_t shared_hot(uint64_t seed, int rounds);  // shared_work.cc, a shared library

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
  std::vector<double> v(1 << 14);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(i) * 0.5;
  uint64_t sink = 0;
  double dsink = 0;
  auto blocks = workload::allocate_blocks(2000, 64 << 10);  // 125 MiB live at exit
  const clock_t end = clock() + static_cast<clock_t>(seconds * CLOCKS_PER_SEC);
  while (clock() < end) {
    sink += workload::hash_loop(sink, 1 << 20);
    dsink += workload::sum_squares(v);
    sink += shared_hot(sink, 1 << 20);
  }
  std::printf("%llu %g %zu\n", static_cast<unsigned long long>(sink), dsink, blocks.size());
  return 0;
}
