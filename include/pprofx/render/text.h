// Text for SVG/PNG output: valid UTF-8 (profiles may hold invalid bytes),
// XML escaping, and truncation to a number of characters.
#pragma once

#include <string>
#include <string_view>

#include "pprofx/base/strings.h"

namespace pprofx::render {

// Replaces invalid UTF-8 and XML-forbidden control characters with U+FFFD.
std::string sanitize_utf8(std::string_view s);

using pprofx::append_xml_escaped;  // from base/strings.h (input must be valid UTF-8)

size_t count_code_points(std::string_view s);

// A frame name without what identifies it least: the leading path and
// package of a Go, Java or Python name ("gitlab.com/x/transport13.(*Reader).Write6"
// -> "(*Reader).Write6", "main.handleRequest.func3" -> "handleRequest.func3"),
// C++ and Rust namespaces ("std::vector<int>::push_back" ->
// "vector<int>::push_back"), a file's directories ("main /src/parse.c:12" ->
// "main parse.c:12") and an address's leading zeros. The SVG's script has the
// same function (shortName in svg_script.cc).
std::string short_name(std::string_view s);

// The label that fits in max_chars characters: the name itself, else its
// short_name, else the short name's first characters and "..", at least four
// of them (fewer say nothing), else "".
std::string fit_label(std::string_view s, size_t max_chars);

// Names longer than this many bytes are shown (tooltip, label, search text)
// as their first and last bytes around an ellipsis "\u2026", cut on UTF-8
// boundaries: a hostile profile's 60 kB names cannot blow up the SVG.
inline constexpr size_t kMaxNameBytes = 1024;

// s itself when it has at most max_bytes bytes, else its head, "\u2026" and its
// tail, at most max_bytes bytes in all, never splitting a UTF-8 sequence.
std::string cut_middle(std::string_view s, size_t max_bytes = kMaxNameBytes);

// The bytes append_xml_escaped writes for s.
size_t xml_escaped_size(std::string_view s);

// A frame name as shown: without flamegraph.pl's annotations _[k] _[i] _[j]
// _[w] (kernel, inlined, JIT, waker), which only pick colours.
std::string_view display_name(std::string_view name);

// Thousands separators: 1234567 -> "1,234,567".
std::string group_thousands(int64_t v);

}  // namespace pprofx::render
