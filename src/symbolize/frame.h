// One frame of an address's answer: what a symbolizer says about one
// (possibly inlined) function at that address.
#pragma once

#include <cstdint>
#include <string>

namespace pprofx::symbolize {

struct Frame {
  std::string function;  // linkage (mangled) name, as addr2line prints it; "" unknown
  std::string file;
  int64_t line = 0;
  int64_t start_line = 0;  // the function's first line (DW_AT_decl_line, Go's startLine); 0 unknown
};

}  // namespace pprofx::symbolize
