// ElfBinary on elfutils: libelf for headers and the build id, libdwfl/libdw
// for symbols, line tables and inline scopes.
#include "elf_binary.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>
#include <elfutils/libdwfl.h>
#include <fmt/format.h>
#include <gelf.h>

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
  bool symbols_loaded = false;
  std::vector<Symbol> functions;  // function symbols in table order, for addr2line's choice
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
  // libdwfl numbers .symtab (else .dynsym) symbols in table order.
  const int count = dwfl_module_getsymtab(module);
  for (int i = 1; i < count; ++i) {
    GElf_Sym sym;
    GElf_Addr adjusted = 0;
    GElf_Word shndx = 0;
    Elf* where = nullptr;
    Dwarf_Addr symbias = 0;
    const char* name = dwfl_module_getsym_info(module, i, &sym, &adjusted, &shndx, &where, &symbias);
    if (name == nullptr || *name == '\0' || sym.st_shndx == SHN_UNDEF) continue;
    const int sym_type = GELF_ST_TYPE(sym.st_info);
    if (sym_type == STT_SECTION || sym_type == STT_FILE) continue;
    // st_value is a file address here (getsym_info does not add the bias).
    Symbol s{sym.st_value, sym.st_size, name, nm_type(where ? where : elf, sym)};
    if (sym_type == STT_FUNC || sym_type == STT_GNU_IFUNC) functions.push_back(s);
    if (s.size > 0 && std::strchr(name, ' ') == nullptr) nm.push_back(std::move(s));
  }
  std::stable_sort(nm.begin(), nm.end(), [](const Symbol& a, const Symbol& b) {
    return a.address != b.address ? a.address < b.address : a.name < b.name;
  });
}

// BFD's elf_find_function, as addr2line uses it without debug info: the
// function symbol with the highest address <= `address`; on a tie the larger
// one, then the first in the table.
const std::string* ElfBinary::Impl::nearest_function(uint64_t address) const {
  const Symbol* best = nullptr;
  for (const Symbol& s : functions) {
    if (s.address > address) continue;
    if (best == nullptr || s.address > best->address || (s.address == best->address && s.size > best->size)) best = &s;
  }
  return best ? &best->name : nullptr;
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
  m.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (m.fd < 0) return Error{fmt::format("open {}: {}", path, std::strerror(errno))};
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
  m.dwfl = dwfl_begin(&kCallbacks);
  if (m.dwfl == nullptr) return Error{fmt::format("{}: {}", path, dwfl_errmsg(-1))};
  dwfl_report_begin(m.dwfl);
  m.module = dwfl_report_offline(m.dwfl, path.c_str(), path.c_str(), -1);
  dwfl_report_end(m.dwfl, nullptr, nullptr);
  if (m.module == nullptr) return Error{fmt::format("{}: {}", path, dwfl_errmsg(-1))};
  if (dwfl_module_getelf(m.module, &m.bias) == nullptr) return Error{fmt::format("{}: {}", path, dwfl_errmsg(-1))};
  return b;
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

std::vector<Frame> ElfBinary::frames(uint64_t object_address) {
  Impl& m = *impl_;
  const Dwarf_Addr addr = object_address + m.bias;
  std::vector<Frame> out;

  // DWARF: the innermost scope at the address, then its physical parents
  // (eu-addr2line -i): each inlined subroutine is one frame, its caller's
  // line is the call site.
  Dwarf_Addr dwbias = 0;
  if (Dwarf_Die* cu = dwfl_module_addrdie(m.module, addr, &dwbias)) {
    Dwarf_Die* found = nullptr;
    const int n = dwarf_getscopes(cu, addr - dwbias, &found);
    Dwarf_Die* chain = nullptr;
    int nchain = 0;
    if (n > 0) {
      Dwarf_Die innermost = found[0];
      nchain = dwarf_getscopes_die(&innermost, &chain);
    }
    free(found);
    Frame current;
    if (Dwfl_Line* line = dwfl_module_getsrc(m.module, addr)) {
      int lineno = 0;
      if (const char* file = dwfl_lineinfo(line, nullptr, &lineno, nullptr, nullptr, nullptr)) current.file = file;
      current.line = lineno;
    }
    Dwarf_Files* files = nullptr;
    size_t nfiles = 0;
    if (dwarf_getsrcfiles(cu, &files, &nfiles) != 0) files = nullptr;
    for (int i = 0; i < nchain; ++i) {
      Dwarf_Die* die = &chain[i];
      const int tag = dwarf_tag(die);
      if (tag != DW_TAG_subprogram && tag != DW_TAG_inlined_subroutine && tag != DW_TAG_entry_point) continue;
      current.function = function_name(die);
      out.push_back(current);
      if (tag != DW_TAG_inlined_subroutine) break;
      current = Frame{};
      Dwarf_Attribute attr;
      Dwarf_Word value = 0;
      if (dwarf_formudata(dwarf_attr(die, DW_AT_call_line, &attr), &value) == 0) current.line = static_cast<int64_t>(value);
      if (files && dwarf_formudata(dwarf_attr(die, DW_AT_call_file, &attr), &value) == 0) {
        if (const char* f = dwarf_filesrc(files, value, nullptr, nullptr)) current.file = f;
      }
    }
    free(chain);
  }

  // The symbol table: the name when DWARF has none (addr2line's choice), and
  // pprof's nm fix-up of the outermost name (taken when nm's is longer by 2+).
  m.load_symbols();
  const std::string* a2l = m.nearest_function(object_address);
  if (out.empty()) {
    if (a2l != nullptr) out.push_back(Frame{*a2l, "", 0});
    return out;
  }
  if (const std::string* nm = m.nm_lookup(object_address); nm != nullptr && nm->size() > out.back().function.size() + 1) {
    out.back().function = *nm;
  }
  return out;
}

}  // namespace pprofx::symbolize
