// Demangling function names the way pprof does (internal/symbolizer with
// github.com/ianlancetaylor/demangle), on GNU libiberty's demangler.
#pragma once

#include <string>
#include <string_view>

namespace pprofx::symbolize {

enum class DemangleMode {
  kDefault,    // no parameters, no template arguments, no return type (pprof's default)
  kTemplates,  // no parameters, templates kept
  kFull,       // everything but GCC's "[clone .xxx]" suffixes
  kNone,       // names as they are
};

// "default", "templates", "full", "none" -> mode; false if unknown.
bool parse_demangle_mode(std::string_view s, DemangleMode* mode);

// One name. C++ (Itanium) and Rust (legacy and v0) mangled names are
// demangled; names that already look like demangled C++ get pprof's
// simplification (parameters / template arguments removed); others are kept.
std::string demangle(std::string_view name, DemangleMode mode);

// pprof's removeMatching: drop every balanced open...close group; on a
// mismatch the name is returned as it was.
std::string remove_matching(std::string_view name, char open, char close);

}  // namespace pprofx::symbolize
