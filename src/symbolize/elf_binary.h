// One ELF file opened for symbolization: build id, pprof's load-base rules,
// and address -> frames (inline frames first) from DWARF, else Go's pclntab
// (go_pclntab.h), else the symbol table. Go binaries come out as the Go
// runtime names them: wrappers elided, no ABI suffixes, start lines.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "frame.h"
#include "pprofx/base/result.h"

namespace pprofx::symbolize {

class ElfBinary {
 public:
  // Errors read like "open /lib/libc.so.6: No such file or directory" or
  // "/tmp/x: not an ELF file".
  static Result<std::unique_ptr<ElfBinary>> open(const std::string& path);
  ~ElfBinary();
  ElfBinary(const ElfBinary&) = delete;
  ElfBinary& operator=(const ElfBinary&) = delete;

  const std::string& path() const { return path_; }
  const std::string& build_id() const { return build_id_; }  // lowercase hex; "" if none

  // The base to subtract from runtime addresses of a mapping
  // [start, limit) at file `offset`, computed the way pprof's binutils does
  // (elfexec.GetBase with the program header that maps `addr`).
  Result<uint64_t> base_for(uint64_t start, uint64_t limit, uint64_t offset, uint64_t addr) const;

  // Frames for an object-file address (runtime address - base), innermost
  // inlined function first and the containing function last; empty if the
  // address resolves to nothing.
  std::vector<Frame> frames(uint64_t object_address);

  // Whether the file carries a Go runtime symbol table (a Go binary), and its
  // layout ("1.16", "1.18", "1.20"; "" if none).
  std::string go_layout() const;

  // The compilation unit holding an object address, as (offset, size in
  // bytes of .debug_info); {0, 0} when none. For spreading work by unit.
  std::pair<uint64_t, uint64_t> unit_of(uint64_t object_address);

 private:
  ElfBinary() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string path_;
  std::string build_id_;
};

}  // namespace pprofx::symbolize
