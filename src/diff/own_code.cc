#include "pprofx/diff/own_code.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <set>

#include "pprofx/base/strings.h"

namespace pprofx::diff {
namespace {

// Go: the package path of "crypto/sha256.(*digest).Write" is "crypto/sha256".
std::string_view go_package(std::string_view name) {
  const size_t slash = name.rfind('/', name.find('('));
  const size_t dot = name.find('.', slash == std::string_view::npos ? 0 : slash);
  return dot == std::string_view::npos ? std::string_view{} : name.substr(0, dot);
}

bool c_runtime_name(std::string_view name) {
  static const std::set<std::string_view> kLibc = {
      "malloc", "free",    "calloc", "realloc", "memcpy",       "memmove", "memset", "memcmp", "memchr",  "strlen",
      "strcmp", "strncmp", "strchr", "strcpy",  "start_thread", "clone",   "clone3", "_start", "syscall", "read",
      "write",  "open",    "close",  "poll",    "epoll_wait",   "futex",   "abort",  "raise",  "qsort",   "bsearch"};
  for (std::string_view p : {"std::", "__gnu_cxx::", "__cxxabiv1::", "operator new", "operator delete", "__", "_int_",
                             "_dl_", "_IO_", "pthread_", "tcmalloc::", "core::", "alloc::"}) {  // C, C++, Rust
    if (starts_with(name, p)) return true;
  }
  return kLibc.count(name.substr(0, name.find('@'))) > 0;
}

bool system_file(std::string_view file) {
  for (std::string_view p : {"/usr/include/", "/usr/lib/gcc/", "../sysdeps/", "./nptl/", "./malloc/", "./string/",
                             "./stdlib/", "./libio/", "./elf/", "/usr/lib/jvm/"}) {
    if (starts_with(file, p)) return true;
  }
  return file.find("/glibc") != std::string_view::npos;
}

}  // namespace

bool is_own_code(std::string_view name, std::string_view file, const RE2* own_code) {
  if (starts_with(name, "created by ")) name.remove_prefix(11);  // a goroutine dump's creation frame
  if (own_code != nullptr) {
    return RE2::PartialMatch(re2::StringPiece(name.data(), name.size()), *own_code) ||
           (!file.empty() && RE2::PartialMatch(re2::StringPiece(file.data(), file.size()), *own_code));
  }
  if (name.empty() || name[0] == '[' || name[0] == '<') return false;  // an address or an unknown frame
  // Interpreted languages: their files say it. Python's "__init__" is the project's; its standard
  // library (lib/pythonX.Y/, not site-packages: dependencies count as the project's, as Go modules
  // do) and Node's internals (node:...) are not.
  if (starts_with(file, "node:")) return false;
  for (std::string_view ext : {".py", ".js", ".mjs", ".ts", ".rb", ".php", ".jl", ".R", ".lua"}) {
    if (ends_with(file, ext)) {
      const bool python_stdlib =
          file.find("/lib/python") != std::string_view::npos && file.find("-packages/") == std::string_view::npos;
      return !system_file(file) && !python_stdlib;
    }
  }
  if (c_runtime_name(name) || system_file(file)) return false;
  for (std::string_view p : {"java.", "javax.", "jdk.", "sun."}) {
    if (starts_with(name, p)) return false;
  }
  // Go's functions are in .go files, and its assembly (crypto/sha256.block) in .s files.
  const bool go_file = ends_with(file, ".go") || ends_with(file, ".s");
  const bool go = go_file || (file.empty() && name.find("::") == std::string_view::npos &&
                              name.find(' ') == std::string_view::npos);
  if (!go) return true;
  const std::string_view pkg = go_package(name);
  if (pkg.empty() || pkg == "main" || pkg == "command-line-arguments") return true;
  const std::string_view first = pkg.substr(0, pkg.find('/'));
  if (first.find('.') != std::string_view::npos) return true;  // a module path: github.com/..., golang.org/x/...
  // No dot: the standard library, unless the file says it is a local module's ("workload/x" under ~/src/workload).
  if (!go_file) return false;
  // (By the path's first element: runtime/pprof.runtime_goroutineProfileWithLabels is in src/runtime/mprof.go.)
  return file.find(fmt::format("/src/{}/", first)) == std::string_view::npos && !starts_with(file, "$GOROOT/");
}

}  // namespace pprofx::diff
