// ElfBinary on elfutils: libelf for headers and the build id, libdwfl/libdw
// for symbols, line tables and inline scopes.
#include "elf_binary.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <charconv>
#include <cstring>
#include <optional>
#include <unordered_map>

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>
#include <elfutils/libdwfl.h>
#include <fmt/format.h>
#include <gelf.h>

#include "go_pclntab.h"

namespace pprofx::symbolize {
namespace {

struct Phdr {
  uint32_t type = 0, flags = 0;
  uint64_t offset = 0, vaddr = 0, filesz = 0, memsz = 0;
};

char* debuginfo_path = nullptr;  // libdwfl's default search (/usr/lib/debug, .debug/)
const Dwfl_Callbacks kCallbacks = {
    .find_elf = nullptr,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = dwfl_offline_section_address,
    .debuginfo_path = &debuginfo_path,
};

constexpr uint64_t kPageSize = 4096;

// elfexec.ProgramHeadersForMapping.
std::vector<const Phdr*> headers_for_mapping(const std::vector<Phdr>& phdrs, uint64_t map_off, uint64_t map_size) {
  const uint64_t map_limit = map_off + map_size;
  std::vector<const Phdr*> out;
  for (const Phdr& p : phdrs) {
    if (p.filesz == 0 || p.type != PT_LOAD) continue;
    const uint64_t seg_limit = p.offset + p.memsz;
    if (!(map_off < seg_limit && p.offset < map_limit)) continue;
    const uint64_t aligned = p.offset > (p.vaddr & (kPageSize - 1)) ? p.offset - (p.vaddr & (kPageSize - 1)) : 0;
    if (map_off < aligned) continue;
    if (map_off > p.offset && seg_limit < map_off + kPageSize && map_limit >= seg_limit + kPageSize) continue;
    out.push_back(&p);
  }
  return out;
}

std::string attr_string(Dwarf_Die* die, int name) {
  Dwarf_Attribute attr;
  if (dwarf_attr_integrate(die, name, &attr) == nullptr) return {};
  const char* s = dwarf_formstring(&attr);
  return s ? s : "";
}

// addr2line -f prints the linkage (mangled) name when there is one.
std::string function_name(Dwarf_Die* die) {
  std::string n = attr_string(die, DW_AT_linkage_name);
  if (n.empty()) n = attr_string(die, DW_AT_MIPS_linkage_name);
  if (n.empty()) n = attr_string(die, DW_AT_name);
  return n;
}

}  // namespace

struct ElfBinary::Impl {
  int fd = -1;
  Elf* elf = nullptr;
  Dwfl* dwfl = nullptr;
  Dwfl_Module* module = nullptr;
  GElf_Addr bias = 0;  // dwfl address = file address + bias
  uint16_t type = 0;   // ET_EXEC, ET_DYN, ...
  std::vector<Phdr> phdrs;
  const Phdr* text = nullptr;  // the executable PT_LOAD holding .text

  // Symbols for the two lookups pprof's binutils make.
  struct Symbol {
    uint64_t address = 0, size = 0;
    std::string name;
    char type = '?';  // nm's letter
  };
  // The function-like scopes of one compilation unit, found by one walk of
  // its DIEs (dwarf_getscopes walks the whole unit on every call: minutes
  // for 20k addresses in a large C++ binary).
  struct Scope {
    uint64_t low = 0, high = 0;  // [low, high) in DWARF addresses
    uint32_t depth = 0;
    bool inlined = false;
    Dwarf_Off offset = 0;
  };
  struct CuIndex {
    std::vector<Scope> scopes;     // by low
    std::vector<uint64_t> max_high;  // max high of scopes[0..i]
    // Scopes containing addr, innermost (deepest) first.
    void containing(uint64_t addr, std::vector<const Scope*>* out) const {
      auto it = std::upper_bound(scopes.begin(), scopes.end(), addr, [](uint64_t a, const Scope& s) { return a < s.low; });
      for (size_t i = static_cast<size_t>(it - scopes.begin()); i-- > 0;) {
        if (max_high[i] <= addr) break;
        if (addr < scopes[i].high) out->push_back(&scopes[i]);
      }
      std::stable_sort(out->begin(), out->end(), [](const Scope* a, const Scope* b) { return a->depth > b->depth; });
    }
  };
  std::unordered_map<Dwarf_Off, CuIndex> cus;
  // Units by address from their own DW_AT_ranges / low_pc..high_pc, for
  // files without .debug_aranges (Go's linker writes none: libdw's
  // dwfl_module_addrdie then finds no unit for any address).
  struct UnitRange {
    uint64_t low = 0, high = 0;  // DWARF addresses
    Dwarf_Off die = 0;           // the unit DIE
  };
  bool unit_ranges_loaded = false;
  std::vector<UnitRange> unit_ranges;  // by low
  void load_unit_ranges();
  // The unit holding dwfl address `addr` (DWARF address = addr - *dwbias);
  // `storage` holds the DIE when it comes from unit_ranges.
  Dwarf_Die* unit_die(Dwarf_Addr addr, Dwarf_Die* storage, Dwarf_Addr* dwbias, bool* from_ranges);
  struct ScopeInfo {
    std::string name;
    int64_t decl_line = 0;  // DW_AT_decl_line of the function (through its abstract origin)
  };
  std::unordered_map<Dwarf_Off, ScopeInfo> names;  // of a scope DIE
  std::optional<GoPclntab> go;  // Go's runtime symbol table, when the file has one
  bool is_go = false;           // a Go binary (a pclntab, .go.buildinfo or .note.go.buildid)
  int go_minor = 0;             // N of the go1.N in .go.buildinfo; 0 when unknown
  void open_go_table();
  std::unordered_map<Dwarf_Off, uint64_t> unit_sizes;  // unit DIE offset -> bytes
  const CuIndex& cu_index(Dwarf_Die* cu);

  bool symbols_loaded = false;
  std::vector<Symbol> functions;  // one function symbol per address, addr2line's choice, by address
  std::vector<Symbol> nm;         // sized symbols as `nm -n --print-size` lists them

  void load_symbols();
  const std::string* nearest_function(uint64_t address) const;
  const std::string* nm_lookup(uint64_t address) const;

  ~Impl() {
    if (dwfl) dwfl_end(dwfl);
    if (elf) elf_end(elf);
    if (fd >= 0) close(fd);
  }
};

// nm's type letter for a defined symbol.
char nm_type(Elf* elf, const GElf_Sym& sym) {
  const int bind = GELF_ST_BIND(sym.st_info), type = GELF_ST_TYPE(sym.st_info);
  char c = '?';
  if (type == STT_GNU_IFUNC) return 'i';
  if (sym.st_shndx == SHN_ABS) {
    c = 'a';
  } else if (sym.st_shndx == SHN_COMMON) {
    c = 'c';
  } else if (Elf_Scn* scn = elf_getscn(elf, sym.st_shndx)) {
    GElf_Shdr sh;
    if (gelf_getshdr(scn, &sh) != nullptr) {
      if (sh.sh_flags & SHF_EXECINSTR) c = 't';
      else if (sh.sh_type == SHT_NOBITS) c = 'b';
      else if (sh.sh_flags & SHF_WRITE) c = 'd';
      else if (sh.sh_flags & SHF_ALLOC) c = 'r';
      else c = 'n';
    }
  }
  if (bind == STB_WEAK) return type == STT_OBJECT ? 'V' : 'W';
  if (bind == STB_GNU_UNIQUE) return 'u';
  return bind == STB_GLOBAL ? static_cast<char>(c - 'a' + 'A') : c;
}

void ElfBinary::Impl::load_symbols() {
  if (symbols_loaded) return;
  symbols_loaded = true;
  // The file's own .symtab, as nm and addr2line read it, not a separate debug
  // file's (libdwfl would pick that; nm does not). Without one, addr2line
  // falls back to .dynsym and nm lists nothing.
  bool have_symtab = false;
  for (Elf_Scn* scn = nullptr; (scn = elf_nextscn(elf, scn)) != nullptr;) {
    GElf_Shdr sh;
    have_symtab = have_symtab || (gelf_getshdr(scn, &sh) != nullptr && sh.sh_type == SHT_SYMTAB);
  }
  for (Elf_Scn* scn = nullptr; (scn = elf_nextscn(elf, scn)) != nullptr;) {
    GElf_Shdr sh;
    if (gelf_getshdr(scn, &sh) == nullptr || sh.sh_entsize == 0) continue;
    if (sh.sh_type != (have_symtab ? SHT_SYMTAB : SHT_DYNSYM)) continue;
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (data == nullptr) continue;
    const size_t count = sh.sh_size / sh.sh_entsize;
    for (size_t i = 1; i < count; ++i) {
      GElf_Sym sym;
      if (gelf_getsym(data, static_cast<int>(i), &sym) == nullptr) continue;
      const char* name = elf_strptr(elf, sh.sh_link, sym.st_name);
      if (name == nullptr || *name == '\0' || sym.st_shndx == SHN_UNDEF) continue;
      const int sym_type = GELF_ST_TYPE(sym.st_info);
      if (sym_type == STT_SECTION || sym_type == STT_FILE) continue;
      Symbol s{sym.st_value, sym.st_size, name, nm_type(elf, sym)};
      if (sym_type == STT_FUNC || sym_type == STT_GNU_IFUNC) functions.push_back(s);
      if (have_symtab && s.size > 0 && std::strchr(name, ' ') == nullptr) nm.push_back(std::move(s));
    }
    break;
  }
  std::stable_sort(nm.begin(), nm.end(), [](const Symbol& a, const Symbol& b) {
    return a.address != b.address ? a.address < b.address : a.name < b.name;
  });
  // addr2line's pick per address: the largest, then the first in the table.
  std::stable_sort(functions.begin(), functions.end(), [](const Symbol& a, const Symbol& b) {
    return a.address != b.address ? a.address < b.address : a.size > b.size;
  });
  functions.erase(std::unique(functions.begin(), functions.end(),
                              [](const Symbol& a, const Symbol& b) { return a.address == b.address; }),
                  functions.end());
}

void ElfBinary::Impl::load_unit_ranges() {
  if (unit_ranges_loaded) return;
  unit_ranges_loaded = true;
  Dwarf_Addr dwbias = 0;
  Dwarf* dbg = dwfl_module_getdwarf(module, &dwbias);
  if (dbg == nullptr) return;
  Dwarf_Off off = 0, next = 0;
  size_t header = 0;
  while (dwarf_nextcu(dbg, off, &next, &header, nullptr, nullptr, nullptr) == 0) {
    Dwarf_Die die;
    if (dwarf_offdie(dbg, off + header, &die) != nullptr) {
      Dwarf_Addr base = 0, start = 0, end = 0;
      for (ptrdiff_t r = 0; (r = dwarf_ranges(&die, r, &base, &start, &end)) > 0;) {
        if (end > start) unit_ranges.push_back({start, end, off + header});
      }
    }
    if (next <= off) break;
    off = next;
  }
  std::sort(unit_ranges.begin(), unit_ranges.end(), [](const UnitRange& a, const UnitRange& b) {
    return a.low != b.low ? a.low < b.low : a.die < b.die;
  });
}

Dwarf_Die* ElfBinary::Impl::unit_die(Dwarf_Addr addr, Dwarf_Die* storage, Dwarf_Addr* dwbias, bool* from_ranges) {
  *from_ranges = false;
  if (Dwarf_Die* cu = dwfl_module_addrdie(module, addr, dwbias)) return cu;
  load_unit_ranges();
  if (unit_ranges.empty()) return nullptr;
  Dwarf* dbg = dwfl_module_getdwarf(module, dwbias);
  if (dbg == nullptr || addr < *dwbias) return nullptr;
  const uint64_t a = addr - *dwbias;
  auto it = std::upper_bound(unit_ranges.begin(), unit_ranges.end(), a,
                             [](uint64_t x, const UnitRange& r) { return x < r.low; });
  // Ranges of different units do not overlap in the files this serves; the
  // nearest one below that contains the address wins.
  if (it == unit_ranges.begin() || a >= std::prev(it)->high) return nullptr;
  if (dwarf_offdie(dbg, std::prev(it)->die, storage) == nullptr) return nullptr;
  *from_ranges = true;
  return storage;
}

const ElfBinary::Impl::CuIndex& ElfBinary::Impl::cu_index(Dwarf_Die* cu) {
  auto [it, added] = cus.try_emplace(dwarf_dieoffset(cu));
  CuIndex& index = it->second;
  if (!added) return index;
  // Iterative pre-order walk: (die, depth) pairs.
  std::vector<std::pair<Dwarf_Die, uint32_t>> todo;
  Dwarf_Die child;
  if (dwarf_child(cu, &child) == 0) todo.emplace_back(child, 1);
  while (!todo.empty()) {
    auto [die, depth] = todo.back();
    todo.pop_back();
    Dwarf_Die sibling;
    if (dwarf_siblingof(&die, &sibling) == 0) todo.emplace_back(sibling, depth);
    const int tag = dwarf_tag(&die);
    bool has_code = false;
    if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine || tag == DW_TAG_entry_point) {
      Dwarf_Addr base = 0, start = 0, end = 0;
      for (ptrdiff_t off = 0; (off = dwarf_ranges(&die, off, &base, &start, &end)) > 0;) {
        if (end <= start) continue;
        has_code = true;
        index.scopes.push_back({start, end, depth, tag == DW_TAG_inlined_subroutine, dwarf_dieoffset(&die)});
      }
    }
    // Code scopes nest only in namespaces, functions with code and blocks:
    // types, variables and abstract (out-of-line-less) functions are skipped
    // whole (GCC's DW_AT_sibling makes that a jump).
    const bool descend = tag == DW_TAG_namespace || tag == DW_TAG_module || tag == DW_TAG_lexical_block ||
                         tag == DW_TAG_try_block || tag == DW_TAG_catch_block ||
                         ((tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine) && has_code);
    if (descend && dwarf_haschildren(&die) && dwarf_child(&die, &child) == 0) todo.emplace_back(child, depth + 1);
  }
  std::sort(index.scopes.begin(), index.scopes.end(), [](const Scope& a, const Scope& b) {
    return a.low != b.low ? a.low < b.low : a.depth < b.depth;
  });
  index.max_high.resize(index.scopes.size());
  uint64_t high = 0;
  for (size_t i = 0; i < index.scopes.size(); ++i) index.max_high[i] = high = std::max(high, index.scopes[i].high);
  return index;
}

// BFD's elf_find_function, as addr2line uses it without debug info: the
// function symbol with the highest address <= `address`; on a tie the larger
// one, then the first in the table.
const std::string* ElfBinary::Impl::nearest_function(uint64_t address) const {
  auto it = std::upper_bound(functions.begin(), functions.end(), address,
                             [](uint64_t a, const Symbol& s) { return a < s.address; });
  if (it == functions.begin()) return nullptr;
  return &std::prev(it)->name;
}

// pprof's addr2LinerNM.addrInfo: its binary search over the nm listing.
const std::string* ElfBinary::Impl::nm_lookup(uint64_t address) const {
  if (nm.empty() || address < nm.front().address || address >= nm.back().address + nm.back().size) return nullptr;
  size_t low = 0, high = nm.size();
  while (low + 1 < high) {
    const size_t mid = (low + high) / 2;
    if (address == nm[mid].address) {
      low = mid;
      break;
    }
    if (address > nm[mid].address) low = mid;
    else high = mid;
  }
  const Symbol& s = nm[low];
  if (std::strchr("bBdDrRvVW", s.type) != nullptr && address >= s.address + s.size) return nullptr;
  return &s.name;
}

ElfBinary::~ElfBinary() = default;

Result<std::unique_ptr<ElfBinary>> ElfBinary::open(const std::string& path) {
  std::unique_ptr<ElfBinary> b(new ElfBinary);
  b->path_ = path;
  b->impl_ = std::make_unique<Impl>();
  Impl& m = *b->impl_;
  // O_NONBLOCK: a FIFO named by a hostile profile must not hang us.
  m.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (m.fd < 0) return Error{fmt::format("open {}: {}", path, std::strerror(errno))};
  struct stat st;
  if (fstat(m.fd, &st) != 0 || !S_ISREG(st.st_mode)) return Error{fmt::format("{}: not a regular file", path)};
  elf_version(EV_CURRENT);
  m.elf = elf_begin(m.fd, ELF_C_READ_MMAP, nullptr);
  GElf_Ehdr ehdr;
  if (m.elf == nullptr || elf_kind(m.elf) != ELF_K_ELF || gelf_getehdr(m.elf, &ehdr) == nullptr) {
    return Error{fmt::format("{}: not an ELF file", path)};
  }
  m.type = ehdr.e_type;
  size_t nphdr = 0;
  if (elf_getphdrnum(m.elf, &nphdr) == 0) {
    for (size_t i = 0; i < nphdr; ++i) {
      GElf_Phdr ph;
      if (gelf_getphdr(m.elf, static_cast<int>(i), &ph) == nullptr) continue;
      m.phdrs.push_back({ph.p_type, ph.p_flags, ph.p_offset, ph.p_vaddr, ph.p_filesz, ph.p_memsz});
    }
  }
  // The executable segment holding .text (elfexec.FindTextProgHeader).
  size_t shstrndx = 0;
  elf_getshdrstrndx(m.elf, &shstrndx);
  for (Elf_Scn* scn = nullptr; (scn = elf_nextscn(m.elf, scn)) != nullptr;) {
    GElf_Shdr sh;
    if (gelf_getshdr(scn, &sh) == nullptr) continue;
    const char* name = elf_strptr(m.elf, shstrndx, sh.sh_name);
    if (name == nullptr || std::strcmp(name, ".text") != 0) continue;
    for (const Phdr& p : m.phdrs) {
      if (p.type == PT_LOAD && (p.flags & PF_X) && sh.sh_addr >= p.vaddr && sh.sh_addr < p.vaddr + p.memsz) {
        m.text = &p;
        break;
      }
    }
  }
  const void* id = nullptr;
  const ssize_t id_len = dwelf_elf_gnu_build_id(m.elf, &id);
  for (ssize_t i = 0; i < id_len; ++i) {
    b->build_id_ += fmt::format("{:02x}", static_cast<const unsigned char*>(id)[i]);
  }
  m.open_go_table();
  m.dwfl = dwfl_begin(&kCallbacks);
  if (m.dwfl == nullptr) return Error{fmt::format("{}: {}", path, dwfl_errmsg(-1))};
  dwfl_report_begin(m.dwfl);
  m.module = dwfl_report_offline(m.dwfl, path.c_str(), path.c_str(), -1);
  dwfl_report_end(m.dwfl, nullptr, nullptr);
  if (m.module == nullptr) return Error{fmt::format("{}: {}", path, dwfl_errmsg(-1))};
  if (dwfl_module_getelf(m.module, &m.bias) == nullptr) return Error{fmt::format("{}: {}", path, dwfl_errmsg(-1))};
  return b;
}

// The name a Go 1.18-1.20 runtime writes in profiles (the linker's nameParts
// in cmd/link's pcln.go, which the pclntab holds): a generic function's type
// arguments, from the first '[' to the last ']', become "[...]". DWARF has them
// whole, and so do Go 1.21+ pclntabs and profiles.
static std::string go_runtime_name(std::string name) {
  const size_t open = name.find('[');
  const size_t close = name.rfind(']');
  if (open == std::string::npos || close == std::string::npos || close <= open) return name;
  return name.substr(0, open) + "[...]" + name.substr(close + 1);
}

std::string ElfBinary::go_layout() const {
  return impl_->go ? GoPclntab::layout_name(impl_->go->magic()) : "";
}

namespace {

// runtime/debug.BuildInfo's header in .go.buildinfo (Go 1.18+: the version
// inline, a uvarint length then the bytes); "" when absent or older.
std::string go_version(std::string_view b) {
  if (b.size() < 33 || b.substr(0, 14) != "\xff Go buildinf:" || (static_cast<uint8_t>(b[15]) & 2) == 0) return {};
  uint64_t len = 0;
  size_t i = 32;
  for (int shift = 0; i < b.size() && shift < 28; shift += 7) {
    const uint8_t c = static_cast<uint8_t>(b[i++]);
    len |= uint64_t{c & 0x7fu} << shift;
    if ((c & 0x80) == 0) break;
  }
  if (len > 64 || b.size() - i < len) return {};
  return std::string(b.substr(i, len));
}

}  // namespace

// Finds .gopclntab (.data.rel.ro.gopclntab in PIE builds; kept by -s -w) and
// moduledata.gofunc (the base of the inline trees): the go.func.* symbol, or
// runtime.firstmoduledata found as the word in .noptrdata that points at the
// table (its field gofunc is word 38 in 1.18-1.19, 40 from 1.20 on).
void ElfBinary::Impl::open_go_table() {
  size_t file_size = 0;
  const char* raw = elf_rawfile(elf, &file_size);
  if (raw == nullptr) return;
  const std::string_view file(raw, file_size);
  std::vector<GoSegment> segments;
  for (const Phdr& p : phdrs) {
    if (p.type != PT_LOAD || p.filesz == 0 || p.offset > file.size() || file.size() - p.offset < p.filesz) continue;
    segments.push_back({p.vaddr, file.substr(p.offset, p.filesz)});
  }
  size_t shstrndx = 0;
  elf_getshdrstrndx(elf, &shstrndx);
  uint64_t table = 0;
  std::string version;
  std::vector<std::string_view> data;  // .noptrdata, .data
  for (Elf_Scn* scn = nullptr; (scn = elf_nextscn(elf, scn)) != nullptr;) {
    GElf_Shdr sh;
    if (gelf_getshdr(scn, &sh) == nullptr) continue;
    const char* name = elf_strptr(elf, shstrndx, sh.sh_name);
    if (name == nullptr) continue;
    const std::string_view n(name);
    const bool in_file = sh.sh_type != SHT_NOBITS && sh.sh_offset <= file.size() && file.size() - sh.sh_offset >= sh.sh_size;
    if (n == ".gopclntab" || n == ".data.rel.ro.gopclntab") table = sh.sh_addr;
    is_go = is_go || n == ".go.buildinfo" || n == ".note.go.buildid";
    if (in_file && n == ".go.buildinfo") version = go_version(file.substr(sh.sh_offset, sh.sh_size));
    if (version.rfind("go1.", 0) == 0) {  // the file's bytes: parsed with bounds, never atoi
      std::from_chars(version.data() + 4, version.data() + version.size(), go_minor);
    }
    if (in_file && (n == ".noptrdata" || n == ".data")) data.push_back(file.substr(sh.sh_offset, sh.sh_size));
  }
  if (table == 0) return;
  auto parsed = GoPclntab::parse(segments, table, 0, version);
  if (!parsed) return;
  uint64_t gofunc = 0;
  if (parsed->magic() != 0xfffffffa) {
    load_symbols();
    for (const Symbol& s : nm) {
      if (s.name == "go.func.*" || s.name == "go:func.*") gofunc = s.address;
    }
    const size_t index = parsed->magic() == 0xfffffff0 ? 38 : 40;
    for (std::string_view d : data) {
      for (size_t off = 0; gofunc == 0 && off + (index + 1) * 8 <= d.size(); off += 8) {
        uint64_t w = 0;
        std::memcpy(&w, d.data() + off, 8);
        if (w != table) continue;
        uint64_t name_table = 0;  // funcnametab's data: inside the table, after its header
        std::memcpy(&name_table, d.data() + off + 8, 8);
        if (name_table <= table || name_table - table > (uint64_t{1} << 32)) continue;
        std::memcpy(&gofunc, d.data() + off + index * 8, 8);
      }
    }
    auto again = GoPclntab::parse(segments, table, gofunc, version);
    if (!again) return;
    parsed = std::move(again);
  }
  go = std::move(*parsed);
  is_go = true;
}

Result<uint64_t> ElfBinary::base_for(uint64_t start, uint64_t limit, uint64_t offset, uint64_t addr) const {
  const Impl& m = *impl_;
  if (start == 0 && offset == 0 && (limit == ~uint64_t{0} || limit == 0)) return uint64_t{0};  // fake mapping
  // binutils.findProgramHeader: the segment that maps `addr`.
  const Phdr* ph = nullptr;
  if (start >= limit || limit >= (uint64_t{1} << 63)) {
    ph = m.text;
  } else {
    bool any_load = false;
    for (const Phdr& p : m.phdrs) any_load = any_load || p.type == PT_LOAD;
    if (any_load) {
      const auto headers = headers_for_mapping(m.phdrs, offset, limit - start);
      if (headers.empty()) return Error{"no program header matches mapping info"};
      if (headers.size() == 1) {
        ph = headers[0];
      } else {
        const uint64_t file_offset = addr - start + offset;
        for (const Phdr* h : headers) {
          if (file_offset >= h->offset && file_offset < h->offset + h->memsz) {
            if (ph != nullptr) return Error{fmt::format("two program headers match file offset {:#x}", file_offset)};
            ph = h;
          }
        }
        if (ph == nullptr) return Error{fmt::format("no program header matches file offset {:#x}", file_offset)};
      }
    }
  }
  // elfexec.GetBase, without the kernel's _stext cases.
  switch (m.type) {
    case ET_EXEC:
      if (ph == nullptr) return uint64_t{0};
      if (start > 0 && start < (uint64_t{1} << 63)) return start - offset + ph->offset - ph->vaddr;
      if (ph->vaddr == start - offset) return offset;
      if (start >= ph->vaddr && limit > start && (offset == 0 || offset == 0xc000000000000000 || offset == start)) {
        return start - ph->vaddr;
      }
      if (start == 0 && limit != 0) return start - ph->vaddr;
      return Error{fmt::format("don't know how to handle EXEC segment at start={:#x} limit={:#x} offset={:#x}", start,
                               limit, offset)};
    case ET_REL:
      if (offset != 0) return Error{"don't know how to handle mapping.Offset"};
      return start;
    case ET_DYN:
      if (ph == nullptr) return start - offset;
      // kernelBase's cases without _stext, then the ordinary shared object.
      if (ph->vaddr == start - offset) return offset;
      if (start >= ph->vaddr && limit > start && (offset == 0 || offset == 0xc000000000000000 || offset == start)) {
        return start - ph->vaddr;
      }
      return start - offset + ph->offset - ph->vaddr;
    default:
      return Error{fmt::format("don't know how to handle ELF type {}", m.type)};
  }
}

std::pair<uint64_t, uint64_t> ElfBinary::unit_of(uint64_t object_address) {
  Impl& m = *impl_;
  Dwarf_Addr dwbias = 0;
  Dwarf_Die storage;
  bool from_ranges = false;
  Dwarf_Die* cu = m.unit_die(object_address + m.bias, &storage, &dwbias, &from_ranges);
  if (cu == nullptr) return {0, 0};
  const Dwarf_Off offset = dwarf_dieoffset(cu);
  // The unit's extent: from its DIE to the next unit's header.
  if (m.unit_sizes.empty()) {
    Dwarf* dbg = dwarf_cu_getdwarf(cu->cu);
    Dwarf_Off off = 0, next = 0;
    size_t header = 0;
    std::vector<std::pair<Dwarf_Off, Dwarf_Off>> units;
    while (dbg != nullptr && dwarf_nextcu(dbg, off, &next, &header, nullptr, nullptr, nullptr) == 0) {
      units.emplace_back(off + header, next - off);
      off = next;
    }
    m.unit_sizes.insert(units.begin(), units.end());
    if (m.unit_sizes.empty()) m.unit_sizes.emplace(~Dwarf_Off{0}, 0);
  }
  auto it = m.unit_sizes.find(offset);
  return {offset, it != m.unit_sizes.end() ? it->second : 1};
}

std::vector<Frame> ElfBinary::frames(uint64_t object_address) {
  Impl& m = *impl_;
  const Dwarf_Addr addr = object_address + m.bias;
  std::vector<Frame> out;

  // DWARF: the function-like scopes (subprogram, inlined subroutine) that
  // contain the address, innermost first; each inlined one is a frame whose
  // caller continues at its call site (as eu-addr2line -i prints them).
  Dwarf_Addr dwbias = 0;
  Dwarf_Die storage;
  bool from_ranges = false;
  if (Dwarf_Die* cu = m.unit_die(addr, &storage, &dwbias, &from_ranges)) {
    const Impl::CuIndex& index = m.cu_index(cu);
    std::vector<const Impl::Scope*> chain;
    index.containing(addr - dwbias, &chain);
    Frame current;
    if (!from_ranges) {
      if (Dwfl_Line* line = dwfl_module_getsrc(m.module, addr)) {
        int lineno = 0;
        if (const char* file = dwfl_lineinfo(line, nullptr, &lineno, nullptr, nullptr, nullptr)) current.file = file;
        current.line = lineno;
      }
    } else if (Dwarf_Line* line = dwarf_getsrc_die(cu, addr - dwbias)) {
      // dwfl_module_getsrc finds units through aranges too: the unit's own table.
      int lineno = 0;
      if (const char* file = dwarf_linesrc(line, nullptr, nullptr)) current.file = file;
      if (dwarf_lineno(line, &lineno) == 0) current.line = lineno;
    }
    Dwarf_Files* files = nullptr;
    size_t nfiles = 0;
    if (dwarf_getsrcfiles(cu, &files, &nfiles) != 0) files = nullptr;
    Dwarf* dbg = dwarf_cu_getdwarf(cu->cu);
    for (const Impl::Scope* scope : chain) {
      Dwarf_Die die;
      if (dbg == nullptr || dwarf_offdie(dbg, scope->offset, &die) == nullptr) break;
      auto [name, added] = m.names.try_emplace(scope->offset);
      if (added) {  // follows origins and specifications: cached
        name->second.name = function_name(&die);
        Dwarf_Attribute decl;
        Dwarf_Word decl_line = 0;
        if (dwarf_formudata(dwarf_attr_integrate(&die, DW_AT_decl_line, &decl), &decl_line) == 0) {
          name->second.decl_line = static_cast<int64_t>(decl_line);
        }
      }
      current.function = name->second.name;
      current.start_line = name->second.decl_line;
      out.push_back(current);
      if (!scope->inlined) break;
      current = Frame{};
      Dwarf_Attribute attr;
      Dwarf_Word value = 0;
      if (dwarf_formudata(dwarf_attr(&die, DW_AT_call_line, &attr), &value) == 0) current.line = static_cast<int64_t>(value);
      if (files && dwarf_formudata(dwarf_attr(&die, DW_AT_call_file, &attr), &value) == 0) {
        if (const char* f = dwarf_filesrc(files, value, nullptr, nullptr)) current.file = f;
      }
    }
  }

  // Go: the runtime's names and frames. DWARF's answer is kept (it is the
  // same table, written by the same linker) minus the wrappers the runtime
  // elides, start lines from the pclntab (Go 1.19 writes no DW_AT_decl_line
  // for functions), and no nm fix-up (it would add ABI suffixes: .abi0).
  if (m.is_go) {
    if (out.empty()) {  // the pclntab, else the symbol table (C code of a cgo binary without DWARF)
      if (m.go) out = m.go->frames(object_address);
      if (out.empty()) {
        m.load_symbols();
        if (const std::string* a2l = m.nearest_function(object_address)) out.push_back(Frame{*a2l, "", 0, 0});
      }
      return out;
    }
    // Go 1.21+ runtimes write generic names whole (the pclntab holds them so, for PGO); older ones "[...]".
    if (m.go_minor < 21)
      for (Frame& f : out) f.function = go_runtime_name(std::move(f.function));
    if (!m.go) return out;  // a damaged or unknown pclntab: DWARF's frames as they are
    std::vector<Frame> kept;
    for (size_t i = 0; i < out.size(); ++i) {
      const std::string& callee = i == 0 ? std::string() : out[i - 1].function;
      const bool panicking = callee == "runtime.gopanic" || callee == "runtime.sigpanic" || callee == "runtime.panicwrap";
      if (m.go->is_wrapper(out[i].function) && !panicking) continue;
      kept.push_back(std::move(out[i]));
      if (kept.back().start_line == 0) kept.back().start_line = m.go->start_line(kept.back().function);
    }
    if (!kept.empty()) out = std::move(kept);
    return out;
  }

  // The symbol table: the name when DWARF has none (addr2line's choice), and
  // pprof's nm fix-up of the outermost name (taken when nm's is longer by 2+).
  m.load_symbols();
  if (out.empty()) {
    if (const std::string* a2l = m.nearest_function(object_address)) out.push_back(Frame{*a2l, "", 0, 0});
    return out;
  }
  if (const std::string* nm = m.nm_lookup(object_address); nm != nullptr && nm->size() > out.back().function.size() + 1) {
    out.back().function = *nm;
  }
  return out;
}

}  // namespace pprofx::symbolize
