// The pclntab reader on synthetic tables written by this test to the layouts
// of Go 1.16 (magic 0xfffffffa) and Go 1.20+ (0xfffffff1) as runtime/symtab.go
// and runtime2.go (_func, inlinedCall) document them; Go 1.18/1.19
// (0xfffffff0) is tested with real binaries (tests/symbolize/symbolize_go_test.py)
// and here too. Then hostile tables: truncated, flipped bytes, an inline cycle.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "../../src/symbolize/go_pclntab.h"

namespace pprofx::symbolize {
namespace {

constexpr uint64_t kTable = 0x100000, kTree = 0x900000, kText = 0x1000;

void put32(std::string& b, uint32_t v) { b.append(reinterpret_cast<const char*>(&v), 4); }
void put64(std::string& b, uint64_t v) { b.append(reinterpret_cast<const char*>(&v), 8); }
void put_varint(std::string& b, uint32_t v) {
  while (v >= 0x80) {
    b.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  b.push_back(static_cast<char>(v));
}
// A pc-value table: (value, pc bytes) runs from the entry, then the end byte.
uint32_t pctable(std::string& pctab, const std::vector<std::pair<int32_t, uint32_t>>& runs) {
  const auto off = static_cast<uint32_t>(pctab.size());
  int32_t prev = -1;
  for (auto [value, len] : runs) {
    const int32_t delta = value - prev;
    put_varint(pctab, static_cast<uint32_t>((delta << 1) ^ (delta >> 31)));
    put_varint(pctab, len);
    prev = value;
  }
  pctab.push_back('\0');
  return off;
}

struct Built {
  std::string table, tree;
  std::vector<GoSegment> memory() const { return {{kTable, table}, {kTree, tree}}; }
};

// Two functions: main.outer [0x1000, 0x1040) with main.inner inlined at
// [0x1010, 0x1020) (called from line 12, the line at entry+0x20), and the
// wrapper main.(*T).M [0x1040, 0x1060).
Built build(uint32_t magic, uint8_t wrapper_id) {
  const bool v116 = magic == 0xfffffffa, v120 = magic == 0xfffffff1;
  std::string names("\0main.outer\0main.inner\0main.(*T).M\0", 35);
  const int32_t n_outer = 1, n_inner = 12, n_wrapper = 23;
  std::string cutab;
  put32(cutab, 0);
  std::string filetab("main.go\0", 8);
  std::string pctab(1, '\0');
  const uint32_t outer_file = pctable(pctab, {{0, 0x40}});
  const uint32_t outer_line = pctable(pctab, {{10, 0x10}, {20, 0x10}, {12, 0x20}});
  const uint32_t outer_inl = pctable(pctab, {{-1, 0x10}, {0, 0x10}, {-1, 0x20}});
  const uint32_t wrap_file = pctable(pctab, {{0, 0x20}});
  const uint32_t wrap_line = pctable(pctab, {{30, 0x20}});

  // _func records, after the function table.
  const size_t header = v116 ? 64 : 72;
  const size_t entry_size = v116 ? 16 : 8;
  const uint64_t o_names = header, o_cu = o_names + names.size(), o_files = o_cu + cutab.size(),
                 o_pc = o_files + filetab.size(), o_pcln = (o_pc + pctab.size() + 7) / 8 * 8;
  std::string funcs;
  std::vector<uint32_t> funcoffs;
  auto func = [&](uint64_t entry, int32_t nameoff, uint32_t pcfile, uint32_t pcln, uint32_t inl, int32_t start,
                  uint8_t id, bool tree) {
    while (funcs.size() % 8 != 0) funcs.push_back('\0');
    funcoffs.push_back(static_cast<uint32_t>(3 * entry_size + funcs.size()));
    if (v116) put64(funcs, entry);
    else put32(funcs, static_cast<uint32_t>(entry - kText));
    for (uint32_t v : {static_cast<uint32_t>(nameoff), 0u, 0u, 0u, pcfile, pcln, 3u, 0u}) put32(funcs, v);
    if (v120) put32(funcs, static_cast<uint32_t>(start));
    funcs += std::string{static_cast<char>(id), 0, 0, 4};
    for (uint32_t v : {0u, 0u, inl}) put32(funcs, v);
    if (v116) {
      if ((kTable + o_pcln + 3 * entry_size + funcs.size()) % 8 != 0) put32(funcs, 0);
      for (uint64_t v : {uint64_t{0}, uint64_t{0}, uint64_t{0}, tree ? kTree : 0}) put64(funcs, v);
    } else {
      for (uint32_t v : {~0u, ~0u, ~0u, tree ? 0u : ~0u}) put32(funcs, v);
    }
  };
  func(0x1000, n_outer, outer_file, outer_line, outer_inl, 9, 0, true);
  func(0x1040, n_wrapper, wrap_file, wrap_line, 0, 29, wrapper_id, false);
  std::string ftab;
  for (size_t i = 0; i < 3; ++i) {
    const uint64_t entry = i == 0 ? 0x1000 : i == 1 ? 0x1040 : 0x1060;
    const uint32_t off = i < 2 ? funcoffs[i] : 0;
    if (v116) {
      put64(ftab, entry);
      put64(ftab, off);
    } else {
      put32(ftab, static_cast<uint32_t>(entry - kText));
      put32(ftab, off);
    }
  }
  const std::string pcln = ftab + funcs;
  Built b;
  put32(b.table, magic);
  b.table += std::string{0, 0, 1, 8};
  put64(b.table, 2);
  put64(b.table, 1);
  if (!v116) put64(b.table, kText);
  for (uint64_t v : {o_names, o_cu, o_files, o_pc, o_pcln}) put64(b.table, v);
  b.table += names + cutab + filetab + pctab;
  b.table.resize(o_pcln, '\0');
  b.table += pcln;
  // The inline tree: main.inner called at entry+0x20.
  if (v120) {
    b.tree += std::string{0, 0, 0, 0};
    for (int32_t v : {n_inner, 0x20, 19}) put32(b.tree, static_cast<uint32_t>(v));
  } else {
    b.tree += std::string{'\xff', '\xff', 0, 0};  // parent -1, funcID normal
    for (int32_t v : {0, 12, n_inner, 0x20}) put32(b.tree, static_cast<uint32_t>(v));
  }
  return b;
}

std::string show(const std::vector<Frame>& frames) {
  std::string out;
  for (const Frame& f : frames) out += f.function + " " + f.file + ":" + std::to_string(f.line) + " s=" + std::to_string(f.start_line) + ";";
  return out;
}

TEST_CASE("go pclntab: the 1.16, 1.18 and 1.20 layouts give names, lines, inline frames and start lines") {
  struct Case {
    uint32_t magic;
    uint8_t wrapper;
    const char* version;
    const char* at_entry;
    const char* inlined;
  };
  const Case cases[] = {
      {0xfffffffa, 22, "", "main.outer main.go:10 s=10;", "main.inner main.go:20 s=0;main.outer main.go:12 s=10;"},
      {0xfffffff0, 21, "go1.19.8", "main.outer main.go:10 s=10;", "main.inner main.go:20 s=0;main.outer main.go:12 s=10;"},
      {0xfffffff1, 21, "go1.21.0", "main.outer main.go:10 s=9;", "main.inner main.go:20 s=19;main.outer main.go:12 s=9;"},
      {0xfffffff1, 22, "go1.23.4", "main.outer main.go:10 s=9;", "main.inner main.go:20 s=19;main.outer main.go:12 s=9;"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.magic);
    CAPTURE(c.version);
    const Built b = build(c.magic, c.wrapper);
    auto t = GoPclntab::parse(b.memory(), kTable, c.magic == 0xfffffffa ? 0 : kTree, c.version);
    REQUIRE(t);
    CHECK(t->function_count() == 2);
    CHECK(show(t->frames(0x1000)) == c.at_entry);
    CHECK(show(t->frames(0x100f)) == c.at_entry);
    CHECK(show(t->frames(0x1010)) == c.inlined);
    CHECK(show(t->frames(0x101f)) == c.inlined);
    CHECK(show(t->frames(0x1020)) == std::string(c.at_entry).replace(19, 2, "12"));
    CHECK(t->frames(0x0fff).empty());
    CHECK(t->frames(0x1060).empty());
    // The wrapper: its name is known as one; alone it is kept (there is
    // nothing else to say), with its line.
    CHECK(t->is_wrapper("main.(*T).M"));
    CHECK_FALSE(t->is_wrapper("main.outer"));
    CHECK(show(t->frames(0x1050)).rfind("main.(*T).M main.go:30", 0) == 0);
  }
  // A wrapper numbered for another Go version is an ordinary function.
  const Built b = build(0xfffffff1, 22);
  auto t = GoPclntab::parse(b.memory(), kTable, kTree, "go1.21.0");
  REQUIRE(t);
  CHECK_FALSE(t->is_wrapper("main.(*T).M"));
}

TEST_CASE("go pclntab: hostile tables give an error or no frames, never a crash or a loop") {
  const Built good = build(0xfffffff1, 21);
  CHECK_FALSE(GoPclntab::parse({{kTable, std::string_view(good.table).substr(0, 4)}}, kTable, 0, ""));
  std::string bad_magic = good.table;
  bad_magic[0] = 0x12;
  auto e = GoPclntab::parse({{kTable, bad_magic}}, kTable, 0, "");
  REQUIRE_FALSE(e);
  CHECK(e.error().message.find("pclntab magic 0xffffff12") != std::string::npos);
  CHECK_FALSE(GoPclntab::parse({{kTable, good.table}}, kTable + 1, 0, ""));
  // Every truncation and every byte set to 0xff: parse may fail; frames are
  // few and bounded.
  for (size_t n = 0; n <= good.table.size(); ++n) {
    const std::string_view cut = std::string_view(good.table).substr(0, n);  // views into `good`
    auto t = GoPclntab::parse({{kTable, cut}, {kTree, good.tree}}, kTable, kTree, "");
    if (!t) continue;
    for (uint64_t pc = 0xff0; pc < 0x1070; pc += 3) CHECK(t->frames(pc).size() <= 2);
    (void)t->start_line("main.outer");
  }
  for (size_t i = 0; i < good.table.size() + good.tree.size(); ++i) {
    Built b = good;
    (i < b.table.size() ? b.table[i] : b.tree[i - b.table.size()]) = '\xff';
    auto t = GoPclntab::parse(b.memory(), kTable, kTree, "");
    if (!t) continue;
    for (uint64_t pc = 0xff0; pc < 0x1070; pc += 5) CHECK(t->frames(pc).size() <= 1000);
    (void)t->is_wrapper("main.outer");
  }
  // An inline entry whose call site is inside itself: a cycle, no frames.
  Built cyc = good;
  const uint32_t self = 0x10;
  std::memcpy(&cyc.tree[8], &self, 4);
  auto t = GoPclntab::parse(cyc.memory(), kTable, kTree, "");
  REQUIRE(t);
  CHECK(t->frames(0x1015).empty());
  CHECK(show(t->frames(0x1005)) == "main.outer main.go:10 s=9;");
}

}  // namespace
}  // namespace pprofx::symbolize
