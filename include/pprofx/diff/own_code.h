// Whose code is a frame: the project's own, or the language's runtime and
// standard library (the Go standard library and runtime, libc, libstdc++ and
// the C++ runtime, Rust's core/alloc/std, Python's standard library, Node's
// internals, the JVM's java.*), told from the function and file names.
// check leads a finding with the deepest of the project's frames on its path;
// diff --by stack names a group of stacks by it.
#pragma once

#include <string_view>

namespace re2 {
class RE2;
}  // namespace re2

namespace pprofx::diff {

// own_code, when given, decides instead (a partial match of the name or the file).
bool is_own_code(std::string_view name, std::string_view file, const re2::RE2* own_code = nullptr);

}  // namespace pprofx::diff
