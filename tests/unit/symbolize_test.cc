// Symbolization on real ELF files: this test binary (a PIE) and libc, with
// the mappings the kernel really made (/proc/self/maps); demangling modes.
#include <doctest/doctest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "pprofx/decode/decode.h"
#include "pprofx/symbolize/demangle.h"
#include "pprofx/symbolize/symbolize.h"
#include "profile_builder.h"
#include "../../src/symbolize/elf_binary.h"

extern "C" __attribute__((noinline, used)) int pprofx_unit_probe_function(int x) {
  asm volatile("" ::: "memory");
  return x * 3 + 1;
}

namespace pprofx {
namespace {

struct MapEntry {
  uint64_t start = 0, limit = 0, offset = 0;
  std::string path;
};

// The executable mapping of this process that holds `address`.
MapEntry mapping_of(const void* address) {
  const auto a = reinterpret_cast<uint64_t>(address);
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    std::istringstream in(line);
    std::string range, perms, offset, dev, inode, path;
    in >> range >> perms >> offset >> dev >> inode >> path;
    const size_t dash = range.find('-');
    MapEntry m{std::stoull(range.substr(0, dash), nullptr, 16), std::stoull(range.substr(dash + 1), nullptr, 16),
               std::stoull(offset, nullptr, 16), path};
    if (perms.find('x') != std::string::npos && m.start <= a && a < m.limit) return m;
  }
  return {};
}

std::string outermost_function(uint64_t address, const MapEntry& m) {
  auto bin = symbolize::ElfBinary::open(m.path);
  REQUIRE(bin.ok());
  auto base = (*bin)->base_for(m.start, m.limit, m.offset, address);
  REQUIRE(base.ok());
  const auto frames = (*bin)->frames(address - *base);
  REQUIRE_FALSE(frames.empty());
  return frames.back().function;
}

}  // namespace

TEST_CASE("a runtime address of this PIE and of libc resolves to its function") {
  const void* probe = reinterpret_cast<const void*>(&pprofx_unit_probe_function);
  const MapEntry self = mapping_of(probe);
  REQUIRE_FALSE(self.path.empty());
  CHECK(outermost_function(reinterpret_cast<uint64_t>(probe), self) == "pprofx_unit_probe_function");

  int (*libc_fn)() = &getpid;
  const MapEntry libc = mapping_of(reinterpret_cast<const void*>(libc_fn));
  REQUIRE(libc.path.find("libc") != std::string::npos);
  CHECK(outermost_function(reinterpret_cast<uint64_t>(libc_fn), libc).find("getpid") != std::string::npos);
}

TEST_CASE("symbolize fills an address-only profile and checks build ids") {
  const void* probe = reinterpret_cast<const void*>(&pprofx_unit_probe_function);
  const MapEntry self = mapping_of(probe);
  auto build = [&](const std::string& build_id) {
    testing::ProfileBuilder b;
    b.sample_type("samples", "count");
    const uint64_t m = b.mapping(self.path, self.start, self.limit);
    b.proto().mutable_mapping(0)->set_file_offset(self.offset);
    b.proto().mutable_mapping(0)->set_build_id(b.str(build_id));
    b.sample({b.location({}, m, reinterpret_cast<uint64_t>(probe))}, {1});
    auto p = decode::decode_profile(b.bytes(), "t.pb");
    REQUIRE(p.ok());
    return std::move(*p);
  };
  auto bin = symbolize::ElfBinary::open(self.path);
  REQUIRE(bin.ok());
  REQUIRE_FALSE((*bin)->build_id().empty());

  model::Profile p = build((*bin)->build_id());
  const symbolize::Report r = symbolize::symbolize(p, {});
  CHECK(r.problems.empty());
  CHECK(r.locations_resolved == 1);
  CHECK(p.mappings[0].has_functions);
  const auto lines = p.location_lines(p.locations[0]);
  REQUIRE(lines.size() == 1);
  CHECK(p.str(p.functions[lines[0].function].name) == "pprofx_unit_probe_function");
  CHECK(p.str(p.functions[lines[0].function].filename).find("symbolize_test.cc") != std::string::npos);
  CHECK(lines[0].line > 0);

  model::Profile wrong = build("00112233");
  const symbolize::Report w = symbolize::symbolize(wrong, {});
  REQUIRE(w.problems.size() == 1);
  CHECK(w.problems[0].second.find("build ID mismatch") != std::string::npos);
  CHECK(wrong.location_lines(wrong.locations[0]).empty());
  CHECK(symbolize::summary(w).find("build ID mismatch") != std::string::npos);

  model::Profile untouched = build((*bin)->build_id());
  symbolize::Options none;
  none.mode = symbolize::Mode::kNone;
  CHECK(symbolize::symbolize(untouched, none).locations_resolved == 0);
  CHECK(untouched.location_lines(untouched.locations[0]).empty());
}

TEST_CASE("demangling follows pprof's modes") {
  using symbolize::DemangleMode;
  using symbolize::demangle;
  const std::string tmpl = "_ZN3foo3barIiEEvT_";
  CHECK(demangle(tmpl, DemangleMode::kDefault) == "foo::bar");
  CHECK(demangle(tmpl, DemangleMode::kTemplates) == "foo::bar<int>");
  CHECK(demangle(tmpl, DemangleMode::kFull) == "void foo::bar<int>(int)");
  CHECK(demangle(tmpl, DemangleMode::kNone) == tmpl);
  CHECK(demangle("_ZN12_GLOBAL__N_13fooEv", DemangleMode::kDefault) == "(anonymous namespace)::foo");
  CHECK(demangle("_ZStlsISt11char_traitsIcEERSt13basic_ostreamIcT_ES5_PKc", DemangleMode::kDefault) ==
        "std::operator<<");
  CHECK(demangle("_ZN3FooltEi", DemangleMode::kDefault) == "Foo::operator<");
  CHECK(demangle("_ZN3foo3barEv.cold", DemangleMode::kDefault) == "foo::bar");
  CHECK(demangle("_ZN3foo3barEv.constprop.0", DemangleMode::kFull) == "foo::bar()");
  // Rust, legacy (hash dropped) and v0.
  CHECK(demangle("_ZN4core3fmt5write17h0123456789abcdefE", DemangleMode::kDefault) == "core::fmt::write");
  CHECK(demangle("_RNvCs15kBYyAo9fc_7mycrate7example", DemangleMode::kDefault) == "mycrate::example");
  // Already demangled C++ is simplified; Go and Java names are left alone.
  CHECK(demangle("std::vector<int>::push_back(int const&)", DemangleMode::kDefault) == "std::vector::push_back");
  CHECK(demangle("std::vector<int>::push_back(int const&)", DemangleMode::kTemplates) == "std::vector<int>::push_back");
  CHECK(demangle("main.(*Server[...]).Serve", DemangleMode::kDefault) == "main.(*Server[...]).Serve");
  CHECK(demangle("com.example.Foo.<init>", DemangleMode::kDefault) == "com.example.Foo.<init>");
  CHECK(demangle("runtime.mallocgc", DemangleMode::kDefault) == "runtime.mallocgc");
  CHECK(symbolize::remove_matching("a(b(c))d(e", '(', ')') == "ad(e");   // an open group stays
  CHECK(symbolize::remove_matching("a)b(c)", '(', ')') == "a)b(c)");     // a stray close: unchanged
  CHECK(symbolize::remove_matching("f(x)::g(y)", '(', ')') == "f::g");
}

}  // namespace pprofx

namespace pprofx {

TEST_CASE("many addresses resolve the same on one thread and on several") {
  const void* probe = reinterpret_cast<const void*>(&pprofx_unit_probe_function);
  const MapEntry self = mapping_of(probe);
  REQUIRE_FALSE(self.path.empty());
  testing::ProfileBuilder b;
  b.sample_type("samples", "count");
  const uint64_t m = b.mapping(self.path, self.start, self.limit);
  b.proto().mutable_mapping(0)->set_file_offset(self.offset);
  const uint64_t step = std::max<uint64_t>(1, (self.limit - self.start) / 6000);
  for (uint64_t a = self.start; a < self.limit; a += step) b.sample({b.location({}, m, a)}, {1});
  auto build = [&] {
    auto p = decode::decode_profile(b.bytes(), "t.pb");
    REQUIRE(p.ok());
    return std::move(*p);
  };
  model::Profile one = build(), several = build();
  REQUIRE(one.locations.size() >= 5000);
  symbolize::Options o1, o4;
  o1.threads = 1;
  o4.threads = 4;
  const symbolize::Report r1 = symbolize::symbolize(one, o1), r4 = symbolize::symbolize(several, o4);
  CHECK(r1.locations_resolved > 4000);
  CHECK(r1.locations_resolved == r4.locations_resolved);
  size_t same = 0;
  for (size_t i = 0; i < one.locations.size(); ++i) {
    std::string a, c;
    for (const model::Line& l : one.location_lines(one.locations[i])) a += std::string(one.str(one.functions[l.function].name)) + ";";
    for (const model::Line& l : several.location_lines(several.locations[i])) {
      c += std::string(several.str(several.functions[l.function].name)) + ";";
    }
    same += a == c;
  }
  CHECK(same == one.locations.size());
}

}  // namespace pprofx
