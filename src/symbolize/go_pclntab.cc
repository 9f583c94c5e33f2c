// The pclntab reader: a port of what runtime/symtab.go does with the table
// (findfunc, pcvalue/step, funcline1, funcname, funcdata) and of the
// traceback's walk of the inline tree (parentPc), bounds-checked throughout.
#include "go_pclntab.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace pprofx::symbolize {
namespace {

constexpr uint32_t kMagic116 = 0xfffffffa, kMagic118 = 0xfffffff0, kMagic120 = 0xfffffff1;
constexpr uint32_t kPcdataInlTreeIndex = 2;
constexpr uint32_t kFuncdataInlTree = 3;
constexpr int kMaxInlineDepth = 1000;  // deeper than any compiler inlines: a damaged table

bool read_u32(std::string_view b, uint64_t off, uint32_t* v) {
  if (off > b.size() || b.size() - off < 4) return false;
  std::memcpy(v, b.data() + off, 4);  // little-endian hosts only (as the project)
  return true;
}

bool read_word(std::string_view b, uint64_t off, uint8_t size, uint64_t* v) {
  if (off > b.size() || b.size() - off < size) return false;
  if (size == 8) {
    std::memcpy(v, b.data() + off, 8);
  } else {
    uint32_t w = 0;
    std::memcpy(&w, b.data() + off, 4);
    *v = w;
  }
  return true;
}

// runtime.readvarint, at most 5 bytes for a uint32.
bool read_varint(std::string_view b, uint64_t* off, uint32_t* v) {
  uint32_t out = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    if (*off >= b.size()) return false;
    const uint8_t c = static_cast<uint8_t>(b[(*off)++]);
    out |= static_cast<uint32_t>(c & 0x7f) << shift;
    if ((c & 0x80) == 0) {
      *v = out;
      return true;
    }
  }
  return false;
}

std::string c_string(std::string_view b, uint64_t off) {
  if (off >= b.size()) return {};
  const std::string_view rest = b.substr(off);
  return std::string(rest.substr(0, rest.find('\0')));
}

// "go1.23.4" -> 23; -1 when it is not a go1.N version.
int go_minor(std::string_view v) {
  if (v.substr(0, 4) != "go1.") return -1;
  int minor = 0;
  size_t i = 4;
  for (; i < v.size() && i < 8 && v[i] >= '0' && v[i] <= '9'; ++i) minor = minor * 10 + (v[i] - '0');
  return i == 4 ? -1 : minor;
}

}  // namespace

const char* GoPclntab::layout_name(uint32_t magic) {
  switch (magic) {
    case kMagic116: return "1.16";
    case kMagic118: return "1.18";
    case kMagic120: return "1.20";
    default: return "";
  }
}

std::string_view GoPclntab::at(uint64_t address, uint64_t size) const {
  for (const GoSegment& s : memory_) {
    if (address >= s.address && address - s.address <= s.bytes.size() && s.bytes.size() - (address - s.address) >= size) {
      return s.bytes.substr(address - s.address);
    }
  }
  return {};
}

Result<GoPclntab> GoPclntab::parse(std::vector<GoSegment> memory, uint64_t table_address, uint64_t gofunc,
                                   std::string_view go_version) {
  GoPclntab t;
  t.memory_ = std::move(memory);
  t.table_ = t.at(table_address, 8);
  if (t.table_.empty()) return Error{"the Go symbol table (pclntab) is outside the file"};
  std::memcpy(&t.magic_, t.table_.data(), 4);
  if (t.magic_ != kMagic116 && t.magic_ != kMagic118 && t.magic_ != kMagic120) {
    return Error{fmt::format("unsupported Go symbol table (pclntab magic {:#x}; read: Go 1.16+ layouts)", t.magic_)};
  }
  const auto b = [&](size_t i) { return static_cast<uint8_t>(t.table_[i]); };
  if (b(4) != 0 || b(5) != 0 || (b(6) != 1 && b(6) != 2 && b(6) != 4) || (b(7) != 4 && b(7) != 8)) {
    return Error{"damaged Go symbol table (pclntab header)"};
  }
  t.quantum_ = b(6);
  t.ptr_ = b(7);
  const bool has_text = t.magic_ != kMagic116;
  uint64_t fields[8] = {};
  const int nfields = has_text ? 8 : 7;
  for (int i = 0; i < nfields; ++i) {
    if (!read_word(t.table_, 8 + static_cast<uint64_t>(i) * t.ptr_, t.ptr_, &fields[i])) {
      return Error{"damaged Go symbol table (pclntab header)"};
    }
  }
  int k = 0;
  t.nfunc_ = fields[k++];
  ++k;  // nfiles
  if (has_text) t.text_start_ = fields[k++];
  t.funcname_ = fields[k++];
  t.cu_ = fields[k++];
  t.filetab_ = fields[k++];
  t.pctab_ = fields[k++];
  t.pcln_ = fields[k++];
  const uint64_t entry_size = has_text ? 8 : 2 * uint64_t{t.ptr_};
  if (t.pcln_ > t.table_.size() || t.nfunc_ >= (t.table_.size() - t.pcln_) / entry_size) {
    return Error{"damaged Go symbol table (function table out of bounds)"};
  }
  for (uint64_t off : {t.funcname_, t.cu_, t.filetab_, t.pctab_}) {
    if (off > t.table_.size()) return Error{"damaged Go symbol table (a table offset is out of bounds)"};
  }
  t.gofunc_ = gofunc;
  const int minor = go_minor(go_version);
  if (t.magic_ == kMagic116) {
    t.wrapper_ = 22, t.gopanic_ = 18, t.panicwrap_ = 19, t.sigpanic_ = 9;
  } else if (minor >= 25) {  // FuncID_corostart (1.23), runFinalizers/runCleanups (1.25)
    t.wrapper_ = 23, t.gopanic_ = 10, t.panicwrap_ = 15, t.sigpanic_ = 20;
  } else if (minor >= 23) {
    t.wrapper_ = 22, t.gopanic_ = 10, t.panicwrap_ = 15, t.sigpanic_ = 19;
  }
  return t;
}

// The i-th entry of the function table and its _func.
bool GoPclntab::read_func(size_t i, Func* f) const {
  const std::string_view tab = table_.substr(pcln_);
  uint64_t funcoff = 0;
  if (magic_ == kMagic116) {
    const uint64_t at_entry = i * 2 * uint64_t{ptr_};
    if (!read_word(tab, at_entry + ptr_, ptr_, &funcoff)) return false;
  } else {
    uint32_t off = 0;
    if (!read_u32(tab, i * 8 + 4, &off)) return false;
    funcoff = off;
  }
  // _func, relative to the function table.
  uint64_t p = funcoff;
  uint32_t w = 0;
  if (magic_ == kMagic116) {
    if (!read_word(tab, p, ptr_, &f->entry)) return false;
    p += ptr_;
  } else {
    if (!read_u32(tab, p, &w)) return false;
    f->entry = text_start_ + w;
    p += 4;
  }
  uint32_t v[8];
  for (uint32_t& x : v) {
    if (!read_u32(tab, p, &x)) return false;
    p += 4;
  }
  f->nameoff = static_cast<int32_t>(v[0]);
  f->pcfile = v[4], f->pcln = v[5], f->npcdata = v[6], f->cu = v[7];
  f->start_line = 0;
  if (magic_ == kMagic120) {
    if (!read_u32(tab, p, &w)) return false;
    f->start_line = static_cast<int32_t>(w);
    p += 4;
  }
  if (p > tab.size() || tab.size() - p < 4) return false;
  f->func_id = static_cast<uint8_t>(tab[p]);
  f->nfuncdata = static_cast<uint8_t>(tab[p + 3]);
  f->pcdata = pcln_ + p + 4;
  return true;
}

// findfunc: the function whose [entry, next entry) holds pc.
bool GoPclntab::find_func(uint64_t pc, Func* f) const {
  const std::string_view tab = table_.substr(pcln_);
  auto entry = [&](uint64_t i, uint64_t* e) {
    if (magic_ == kMagic116) return read_word(tab, i * 2 * uint64_t{ptr_}, ptr_, e);
    uint32_t off = 0;
    if (!read_u32(tab, i * 8, &off)) return false;
    *e = text_start_ + off;
    return true;
  };
  uint64_t first = 0, end = 0;
  if (nfunc_ == 0 || !entry(0, &first) || !entry(nfunc_, &end) || pc < first || pc >= end) return false;
  uint64_t lo = 0, hi = nfunc_;  // entry(lo) <= pc < entry(hi)
  while (hi - lo > 1) {
    const uint64_t mid = lo + (hi - lo) / 2;
    uint64_t e = 0;
    if (!entry(mid, &e)) return false;
    if (e <= pc) lo = mid;
    else hi = mid;
  }
  return read_func(static_cast<size_t>(lo), f) && f->entry <= pc;
}

// runtime.pcvalue: the value of table `off` at `target`; -1 for off 0.
bool GoPclntab::pcvalue(const Func& f, uint32_t off, uint64_t target, int32_t* value) const {
  *value = -1;
  if (off == 0) return true;
  const std::string_view tab = table_.substr(pctab_);
  uint64_t p = off;
  uint64_t pc = f.entry;
  int32_t val = -1;
  while (true) {
    const bool first = pc == f.entry;
    uint32_t uvdelta = 0, pcdelta = 0;
    if (p >= tab.size()) return false;
    if (tab[p] == 0 && !first) return false;  // end of table: target not covered
    if (!read_varint(tab, &p, &uvdelta)) return false;
    val += static_cast<int32_t>(-(uvdelta & 1) ^ (uvdelta >> 1));
    if (!read_varint(tab, &p, &pcdelta)) return false;
    pc += uint64_t{pcdelta} * quantum_;
    if (target < pc) {
      *value = val;
      return true;
    }
  }
}

bool GoPclntab::pcdata(const Func& f, uint32_t table, uint64_t target, int32_t* value) const {
  *value = -1;
  if (table >= f.npcdata) return true;
  uint32_t off = 0;
  if (!read_u32(table_, f.pcdata + uint64_t{table} * 4, &off)) return false;
  return pcvalue(f, off, target, value);
}

// funcdata(f, FUNCDATA_InlTree) as an address; false when absent.
bool GoPclntab::inline_tree(const Func& f, uint64_t* address) const {
  if (kFuncdataInlTree >= f.nfuncdata) return false;
  uint64_t p = f.pcdata + uint64_t{f.npcdata} * 4;
  if (magic_ == kMagic116) {
    // Pointers, aligned to the pointer size (the table is aligned).
    if (ptr_ == 8 && (p & 4) != 0) p += 4;
    return read_word(table_, p + uint64_t{kFuncdataInlTree} * ptr_, ptr_, address) && *address != 0;
  }
  uint32_t off = 0;
  if (gofunc_ == 0 || !read_u32(table_, p + uint64_t{kFuncdataInlTree} * 4, &off) || off == ~uint32_t{0}) return false;
  *address = gofunc_ + off;
  return true;
}

bool GoPclntab::inlined_call(uint64_t tree, int32_t index, InlinedCall* call) const {
  if (index < 0) return false;
  const uint64_t size = magic_ == kMagic120 ? 16 : 20;
  const std::string_view b = at(tree + static_cast<uint64_t>(index) * size, size);
  if (b.empty()) return false;
  uint32_t w[4];
  if (magic_ == kMagic120) {
    // funcID uint8, _ [3]byte, nameOff int32, parentPc int32, startLine int32
    call->func_id = static_cast<uint8_t>(b[0]);
    for (int i = 0; i < 3; ++i) read_u32(b, 4 + 4 * static_cast<uint64_t>(i), &w[i]);
    call->nameoff = static_cast<int32_t>(w[0]);
    call->parent_pc = static_cast<int32_t>(w[1]);
    call->start_line = static_cast<int32_t>(w[2]);
  } else {
    // parent int16, funcID uint8, _ byte, file int32, line int32, func_ int32, parentPc int32
    call->func_id = static_cast<uint8_t>(b[2]);
    for (int i = 0; i < 4; ++i) read_u32(b, 4 + 4 * static_cast<uint64_t>(i), &w[i]);
    call->nameoff = static_cast<int32_t>(w[2]);
    call->parent_pc = static_cast<int32_t>(w[3]);
    call->start_line = 0;
  }
  return true;
}

std::string GoPclntab::name_at(int32_t nameoff) const {
  if (nameoff < 0) return {};
  return c_string(table_, funcname_ + static_cast<uint64_t>(nameoff));
}

// funcfile: the compilation unit's file table (cutab) names the file.
std::string GoPclntab::file_of(const Func& f, int32_t fileno) const {
  if (fileno < 0) return "?";
  uint32_t off = 0;
  if (!read_u32(table_, cu_ + (uint64_t{f.cu} + static_cast<uint64_t>(fileno)) * 4, &off) || off == ~uint32_t{0}) {
    return "?";
  }
  return c_string(table_, filetab_ + off);
}

std::vector<Frame> GoPclntab::frames(uint64_t pc) const {
  Func f;
  if (!find_func(pc, &f)) return {};
  uint64_t tree = 0;
  const bool inlined = inline_tree(f, &tree);
  std::vector<Frame> all, kept;
  uint8_t callee = 0;  // funcID_normal: the traceback's lastFuncID for the innermost frame
  auto elide = [&](uint8_t id) {
    return id == wrapper_ && callee != gopanic_ && callee != sigpanic_ && callee != panicwrap_;
  };
  uint64_t at_pc = pc;
  std::vector<int32_t> seen;  // inline indices visited: a repeat is a damaged tree
  for (int depth = 0;; ++depth) {
    if (depth == kMaxInlineDepth) return {};
    int32_t file = -1, line = 0, ix = -1;
    if (!pcvalue(f, f.pcfile, at_pc, &file) || !pcvalue(f, f.pcln, at_pc, &line)) break;
    if (inlined && !pcdata(f, kPcdataInlTreeIndex, at_pc, &ix)) ix = -1;
    Frame fr{"", file_of(f, file), line, 0};
    InlinedCall call;
    if (ix >= 0 && std::find(seen.begin(), seen.end(), ix) != seen.end()) return {};
    if (ix >= 0 && inlined_call(tree, ix, &call)) {
      seen.push_back(ix);
      fr.function = name_at(call.nameoff);
      fr.start_line = call.start_line;
      all.push_back(fr);
      if (!elide(call.func_id)) kept.push_back(fr);
      callee = call.func_id;
      if (call.parent_pc < 0) break;
      at_pc = f.entry + static_cast<uint64_t>(call.parent_pc);
      continue;
    }
    fr.function = name_at(f.nameoff);
    fr.start_line = f.start_line;
    all.push_back(fr);
    if (!elide(f.func_id)) kept.push_back(fr);
    break;
  }
  std::vector<Frame>& out = kept.empty() ? all : kept;
  if (magic_ != kMagic120) {
    for (Frame& fr : out) fr.start_line = start_line(fr.function);
  }
  return std::move(out);
}

void GoPclntab::index_names() const {
  if (names_indexed_) return;
  names_indexed_ = true;
  for (size_t i = 0; i < nfunc_; ++i) {
    Func f;
    if (!read_func(i, &f)) break;
    int64_t start = f.start_line;
    if (magic_ != kMagic120) {
      int32_t line = 0;
      if (pcvalue(f, f.pcln, f.entry, &line) && line > 0) start = line;
    }
    by_name_.try_emplace(name_at(f.nameoff), f.func_id == wrapper_, start);
  }
}

bool GoPclntab::is_wrapper(std::string_view name) const {
  index_names();
  auto it = by_name_.find(std::string(name));
  return it != by_name_.end() && it->second.first;
}

int64_t GoPclntab::start_line(std::string_view name) const {
  index_names();
  auto it = by_name_.find(std::string(name));
  return it != by_name_.end() ? it->second.second : 0;
}

}  // namespace pprofx::symbolize
