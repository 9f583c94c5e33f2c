// The shared library of the symbolization tests' program: CPU time spent in
// a .so mapped at a random address, resolved through its own ELF file.
#include <cstdint>

extern "C" __attribute__((noinline)) uint64_t shared_hot(uint64_t seed, int rounds) {
  uint64_t h = seed | 1;
  for (int i = 0; i < rounds; ++i) h = h * 6364136223846793005ULL + 1442695040888963407ULL;
  return h;
}
