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

std::string fit_left(std::string_view s, size_t max_chars) {
  const size_t n = count_code_points(s);
  if (n <= max_chars) return std::string(s);
  if (max_chars < 6) return {};  // ".." and one to three characters say nothing
  size_t skip = n - (max_chars - 2);  // code points to drop from the front
  size_t i = 0;
  while (i < s.size() && skip > 0) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xc0) == 0x80) ++i;
    --skip;
  }
  return ".." + std::string(s.substr(i));
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
