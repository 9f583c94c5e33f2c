// C++ and Rust demangling through libiberty (the demangler behind binutils'
// c++filt and addr2line -C; Debian's libiberty-dev), shaped to pprof's modes.
#include "pprofx/symbolize/demangle.h"

#include <cstdlib>
#include <memory>

extern "C" {
#include <libiberty/demangle.h>
}

namespace pprofx::symbolize {
namespace {

struct FreeDeleter {
  void operator()(char* p) const { std::free(p); }
};

std::string take(char* p) {
  std::unique_ptr<char, FreeDeleter> owned(p);
  return owned ? std::string(owned.get()) : std::string();
}

// Drops template argument lists <...> but keeps the operators spelled with
// angle brackets (operator<, operator<<=, operator<=>, operator->*, ...).
std::string remove_template_args(std::string_view s) {
  static constexpr std::string_view kOperators[] = {"<=>", "<<=", ">>=", "->*", "<<", ">>", "<=", ">=", "->", "<", ">"};
  std::string out;
  int depth = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (depth == 0 && s.compare(i, 8, "operator") == 0) {
      size_t j = i + 8;
      for (std::string_view op : kOperators) {
        if (s.compare(j, op.size(), op) == 0) {
          j += op.size();
          break;
        }
      }
      out.append(s.substr(i, j - i));
      i = j - 1;
      continue;
    }
    if (s[i] == '<') {
      // libiberty separates "operator<< <T>" with a space; it goes with the group.
      if (depth++ == 0 && !out.empty() && out.back() == ' ') out.pop_back();
    } else if (s[i] == '>' && depth > 0) {
      --depth;
    } else if (depth == 0) {
      out += s[i];
    }
  }
  return depth == 0 ? out : std::string(s);
}

// Strips " [clone .constprop.0]" suffixes (pprof's NoClones in full mode).
std::string remove_clones(std::string s) {
  for (size_t at; (at = s.find(" [clone ")) != std::string::npos;) {
    const size_t end = s.find(']', at);
    if (end == std::string::npos) break;
    s.erase(at, end + 1 - at);
  }
  return s;
}

// pprof's looksLikeDemangledCPlusPlus.
bool looks_like_demangled_cpp(std::string_view s) {
  if (s.find(".<") != std::string_view::npos) return false;   // Java "class.<init>"
  if (s.find("]).") != std::string_view::npos) return false;  // Go "foo.(*Bar[...]).Method"
  return s.find_first_of("<>[]") != std::string_view::npos || s.find("::") != std::string_view::npos;
}

}  // namespace

bool parse_demangle_mode(std::string_view s, DemangleMode* mode) {
  if (s == "default") *mode = DemangleMode::kDefault;
  else if (s == "templates") *mode = DemangleMode::kTemplates;
  else if (s == "full") *mode = DemangleMode::kFull;
  else if (s == "none") *mode = DemangleMode::kNone;
  else return false;
  return true;
}

std::string remove_matching(std::string_view input, char open, char close) {
  std::string name(input);
  int nesting = 0;
  size_t first = 0;
  for (size_t cur = 0; cur < name.size(); ++cur) {
    if (name[cur] == open) {
      if (++nesting == 1) first = cur;
    } else if (name[cur] == close) {
      if (--nesting < 0) return std::string(input);
      if (nesting == 0) {
        name.erase(first, cur + 1 - first);
        cur = first - 1;  // wraps for first == 0; ++cur brings it back
      }
    }
  }
  return name;
}

std::string demangle(std::string_view name, DemangleMode mode) {
  if (mode == DemangleMode::kNone || name.empty()) return std::string(name);
  const std::string mangled(name);
  const bool params = mode == DemangleMode::kFull;
  const int options = DMGL_ANSI | (params ? DMGL_PARAMS : 0);
  std::string out;
  if (mangled.rfind("_R", 0) == 0 || mangled.rfind("_Z", 0) == 0) {
    // AUTO tries Rust (v0, and legacy Itanium-like names ending in a hash,
    // which it drops as pprof does) before C++.
    out = take(cplus_demangle(mangled.c_str(), options | DMGL_AUTO));
  }
  if (!out.empty()) {
    if (mode == DemangleMode::kDefault) out = remove_template_args(out);
    if (mode == DemangleMode::kFull) out = remove_clones(std::move(out));
    return out;
  }
  // Not mangled: simplify names that already look like demangled C++.
  std::string s(name);
  if (mode != DemangleMode::kFull && looks_like_demangled_cpp(s)) {
    s = remove_matching(s, '(', ')');
    if (mode == DemangleMode::kDefault) s = remove_matching(s, '<', '>');
  }
  return s;
}

}  // namespace pprofx::symbolize
