#include "pprofx/render/text.h"

#include <cstdint>

#include "pprofx/base/strings.h"

namespace pprofx::render {

std::string sanitize_utf8(std::string_view s) {
  static constexpr std::string_view kReplacement = "\xef\xbf\xbd";
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        out += kReplacement;
      } else {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    uint32_t cp = 0;
    const size_t len = utf8_sequence(s, i, &cp);
    const bool ok = len != 0 && cp != 0xfffe && cp != 0xffff;  // U+FFFE/FFFF: not XML characters
    if (ok) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += kReplacement;
      ++i;
    }
  }
  return out;
}

size_t count_code_points(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  return n;
}

namespace {

bool lower_ident_start(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }
bool ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }

// After the last '/' or '\' (the whole token if that leaves nothing).
std::string_view base_of(std::string_view t) {
  const size_t slash = t.find_last_of("/\\");
  return slash == std::string_view::npos || slash + 1 == t.size() ? t : t.substr(slash + 1);
}

// A file name, with or without directories and a ":line": "/a/b.go",
// "src\\x.c", "parse.c:12".
bool is_location(std::string_view t) {
  if (t.empty() || t.find_first_of("()<>[]{}") != std::string_view::npos) return false;
  if (t.find_first_of("/\\") != std::string_view::npos) return true;
  const size_t colon = t.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == t.size() || colon == 0) return false;
  for (size_t i = colon + 1; i < t.size(); ++i) {
    if (!is_digit(t[i])) return false;
  }
  return t.substr(0, colon).find('.') != std::string_view::npos;
}

// A whole name that is a path (--files): absolute, or relative with a last
// part like "x.go".
bool is_path(std::string_view t) {
  if (t.empty() || t.find(' ') != std::string_view::npos || t.find_first_of("()<>[]{}") != std::string_view::npos) {
    return false;
  }
  if (t[0] == '/' || t[0] == '\\' || t.substr(0, 2) == "./" || t.substr(0, 3) == "../") return true;
  if (t.find('/') == std::string_view::npos) return false;
  const std::string_view last = base_of(t);
  const size_t dot = last.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || last.size() - dot - 1 < 1 || last.size() - dot - 1 > 4) return false;
  for (size_t i = dot + 1; i < last.size(); ++i) {
    if (!((last[i] >= 'a' && last[i] <= 'z') || is_digit(last[i]))) return false;
  }
  return true;
}

// Where the qualified head of a function name ends: its first ( [ < { or space.
size_t head_end(std::string_view f) {
  const size_t e = f.find_first_of("([<{ ");
  return e == std::string_view::npos ? f.size() : e;
}

std::string_view short_function(std::string_view f) {
  static constexpr std::string_view kAnonymous = "(anonymous namespace)::";
  if (f.substr(0, kAnonymous.size()) == kAnonymous && f.size() > kAnonymous.size()) f.remove_prefix(kAnonymous.size());
  // A Go import path or any other path before the name.
  size_t head = head_end(f);
  const size_t slash = f.substr(0, head).find_last_of('/');
  if (slash != std::string_view::npos && slash + 1 < f.size()) f.remove_prefix(slash + 1);
  head = head_end(f);
  const std::string_view h = f.substr(0, head);
  if (h.find("::") != std::string_view::npos) {
    // C++ / Rust: lower-case namespaces go, a class name stays.
    size_t at = 0;
    for (;;) {
      size_t i = at;
      if (i >= f.size() || !lower_ident_start(f[i])) break;
      while (i < f.size() && ident_char(f[i]) && f[i] != '-') ++i;
      if (f.substr(i, 2) != "::" || i + 2 >= f.size()) break;
      at = i + 2;
    }
    return f.substr(at);
  }
  // Go, Java, Python: dotted lower-case components (packages). All go when
  // a type or method receiver follows them (Java's com.x.Foo.bar, Go's
  // pkg.(*T).M, pkg.Type.M); else only the first (Go's pkg.fn.func1).
  size_t first_end = 0, all_end = 0;
  for (size_t at = 0;;) {
    size_t i = at;
    if (i >= head || !lower_ident_start(f[i])) break;
    while (i < head && ident_char(f[i])) ++i;
    if (i >= head || f[i] != '.' || i + 1 >= f.size()) break;
    at = i + 1;
    if (first_end == 0) first_end = at;
    all_end = at;
  }
  if (first_end == 0) return f;
  return lower_ident_start(f[all_end]) ? f.substr(first_end) : f.substr(all_end);
}

// The first n code points of s.
std::string_view first_code_points(std::string_view s, size_t n) {
  size_t i = 0;
  while (i < s.size() && n > 0) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xc0) == 0x80) ++i;
    --n;
  }
  return s.substr(0, i);
}

}  // namespace

std::string short_name(std::string_view s) {
  std::string out;
  // An address (--addresses): its leading zeros go.
  size_t hex = 0;
  while (hex < s.size() && is_hex(s[hex])) ++hex;
  if (hex >= 8 && hex < s.size() && s[hex] == ' ') {
    size_t z = 0;
    while (z + 1 < hex && s[z] == '0') ++z;
    out.append(s.substr(z, hex - z));
    out += ' ';
    s.remove_prefix(hex + 1);
  }
  std::string_view location;
  const size_t space = s.rfind(' ');
  if (space != std::string_view::npos && space > 0 && is_location(s.substr(space + 1))) {
    location = base_of(s.substr(space + 1));
    s = s.substr(0, space);
  }
  out.append(is_path(s) ? base_of(s) : short_function(s));
  if (!location.empty()) {
    out += ' ';
    out.append(location);
  }
  return out;
}

std::string fit_label(std::string_view s, size_t max_chars) {
  if (count_code_points(s) <= max_chars) return std::string(s);
  const std::string shorter = short_name(s);
  if (count_code_points(shorter) <= max_chars) return shorter;
  if (max_chars < 6) return {};  // ".." and one to three characters say nothing
  return std::string(first_code_points(shorter, max_chars - 2)) + "..";
}

std::string cut_middle(std::string_view s, size_t max_bytes) {
  static constexpr std::string_view kEllipsis = "\xe2\x80\xa6";
  if (s.size() <= max_bytes) return std::string(s);
  if (max_bytes < kEllipsis.size()) return {};
  auto continuation = [&](size_t i) { return i < s.size() && (static_cast<unsigned char>(s[i]) & 0xc0) == 0x80; };
  const size_t room = max_bytes - kEllipsis.size();
  size_t head = room / 2;
  while (head > 0 && continuation(head)) --head;  // s[head] starts a character: s[0, head) is whole
  size_t tail = s.size() - (room - head);
  while (continuation(tail)) ++tail;
  std::string out(s.substr(0, head));
  out += kEllipsis;
  out += s.substr(tail);
  return out;
}

size_t xml_escaped_size(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    n += c == '&' || c == '\'' ? 5 : c == '<' || c == '>' ? 4 : c == '"' ? 6 : 1;
  }
  return n;
}

std::string_view display_name(std::string_view name) {
  for (std::string_view a : {"_[k]", "_[i]", "_[j]", "_[w]"}) {
    if (name.size() > a.size() && name.substr(name.size() - a.size()) == a) return name.substr(0, name.size() - a.size());
  }
  return name;
}

std::string group_thousands(int64_t v) {
  std::string digits = std::to_string(v < 0 ? -static_cast<uint64_t>(v) : static_cast<uint64_t>(v));
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

}  // namespace pprofx::render
