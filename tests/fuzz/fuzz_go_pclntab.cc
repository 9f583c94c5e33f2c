// Fuzz target: Go's runtime symbol table (symbolize/go_pclntab.h) from a
// hostile binary. Input: a little-endian u16 length, that many bytes of
// inline-tree memory (mapped at 0x900000, also moduledata.gofunc), then the
// table itself (mapped at 0x100000). Every pc of [0xf00, 0x1100) is looked
// up, with the name queries the DWARF path makes. The corpus holds tables
// written to the 1.16/1.18/1.20 layouts (tests/unit/go_pclntab_test.cc).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "../../src/symbolize/go_pclntab.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pprofx::symbolize;
  if (size < 2) return 0;
  const size_t tree_size = std::min<size_t>(size - 2, data[0] | (size_t{data[1]} << 8));
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  const std::string_view tree = all.substr(2, tree_size), table = all.substr(2 + tree_size);
  for (const char* version : {"", "go1.23.0"}) {
    auto t = GoPclntab::parse({{0x100000, table}, {0x900000, tree}}, 0x100000, 0x900000, version);
    if (!t) continue;
    for (uint64_t pc = 0xf00; pc < 0x1100; ++pc) {
      for (const Frame& f : t->frames(pc)) {
        (void)t->is_wrapper(f.function);
        (void)t->start_line(f.function);
      }
    }
  }
  return 0;
}
