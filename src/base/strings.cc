#include "pprofx/base/strings.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <vector>

namespace pprofx {

std::string clean_path(std::string_view path) {
  if (path.empty()) return ".";
  const bool rooted = path[0] == '/';
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view part = path.substr(i, j - i);
    i = j + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!rooted) {
        parts.push_back(part);
      }
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  if (rooted) out.push_back('/');
  for (size_t k = 0; k < parts.size(); ++k) {
    if (k) out += '/';
    out += parts[k];
  }
  if (out.empty()) out.push_back('.');
  return out;
}

std::string base_name(std::string_view path) {
  if (path.empty()) return ".";
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path == "/") return "/";
  size_t slash = path.rfind('/');
  if (slash != std::string_view::npos) path = path.substr(slash + 1);
  return std::string(path);
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

void append_xml_escaped(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
}

std::string xml_escaped(std::string_view s) {
  std::string out;
  append_xml_escaped(out, s);
  return out;
}

namespace {

constexpr const char* kHex = "0123456789abcdef";

void append_hex(std::string& out, unsigned char c) {
  out += "\\x";
  out += kHex[c >> 4];
  out += kHex[c & 15];
}


// terminal_escaped's rule; with xml, U+FFFE and U+FFFF (not XML characters)
// too; with keep_tab, a tab stays one.
void append_visible(std::string& out, std::string_view s, bool xml, bool keep_tab = false) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += keep_tab ? "\t" : "\\t";
      } else if (c < 0x20 || c == 0x7f) {
        append_hex(out, c);
      } else {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    uint32_t cp = 0;
    const size_t n = utf8_sequence(s, i, &cp);
    const bool shown = n != 0 && !(cp >= 0x80 && cp <= 0x9f) && !(xml && (cp == 0xfffe || cp == 0xffff));  // C1
    if (!shown) {
      for (size_t k = 0; k < std::max<size_t>(n, 1); ++k) append_hex(out, static_cast<unsigned char>(s[i + k]));
      i += std::max<size_t>(n, 1);
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
}

bool is_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool contains_ci(std::string_view s, std::string_view what) {
  for (size_t i = 0; i + what.size() <= s.size(); ++i) {
    size_t k = 0;
    while (k < what.size() && std::tolower(static_cast<unsigned char>(s[i + k])) == what[k]) ++k;
    if (k == what.size()) return true;
  }
  return false;
}

}  // namespace

size_t utf8_sequence(std::string_view s, size_t i, uint32_t* code_point) {
  const auto c = static_cast<unsigned char>(s[i]);
  const size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  bool ok = n != 0 && i + n <= s.size();
  uint32_t cp = n == 2 ? c & 0x1f : n == 3 ? c & 0x0f : c & 0x07;
  for (size_t k = 1; ok && k < n; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    ok = (cc & 0xc0) == 0x80;
    cp = (cp << 6) | (cc & 0x3f);
  }
  ok = ok && !(n == 3 && cp < 0x800) && !(n == 4 && (cp < 0x10000 || cp > 0x10ffff)) && !(cp >= 0xd800 && cp <= 0xdfff);
  *code_point = cp;
  return ok ? n : 0;
}

std::string xml_text_escaped(std::string_view s) {
  std::string visible;
  append_visible(visible, s, true);
  return xml_escaped(visible);
}

std::string json_escaped(std::string_view s) {
  const std::string quoted = nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return quoted.substr(1, quoted.size() - 2);
}

std::string json_number(double v, int decimals) {
  if (!std::isfinite(v)) return "null";
  return decimals < 0 ? fmt::format("{}", v) : fmt::format("{:.{}f}", v, decimals);
}

void append_utf8(std::string& out, uint32_t c) {
  if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = 0xFFFD;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

bool parse_hex_digits(std::string_view s, uint32_t* out) {
  if (s.empty() || s.size() > 8) return false;
  uint32_t v = 0;
  for (char h : s) {
    const int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
    if (d < 0) return false;
    v = v * 16 + static_cast<uint32_t>(d);
  }
  *out = v;
  return true;
}

std::string terminal_escaped(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_visible(out, s, false);
  return out;
}

std::string text_escaped(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_visible(out, s, false, true);
  return out;
}

std::string csv_field(std::string_view s) {
  std::string v = terminal_escaped(s);
  if (!v.empty() && std::string_view("=+-@").find(v.front()) != std::string_view::npos) v.insert(0, 1, '\'');
  const bool quote = v.find_first_of(",\"") != std::string::npos || (!v.empty() && (v.front() == ' ' || v.back() == ' '));
  if (!quote) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string markdown_code_span(std::string_view s, bool table_cell) {
  std::string body;
  for (char c : terminal_escaped(s)) {
    if (c == '|' && table_cell) body += '\\';
    body += c;
  }
  size_t longest = 0, run = 0;
  for (char c : body) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const bool spaces = body.find_first_not_of(' ') == std::string::npos;
  const bool pad = body.empty() || body.front() == '`' || body.back() == '`' ||
                   (!spaces && body.front() == ' ' && body.back() == ' ');
  const std::string fence(longest + 1, '`');
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

bool markdown_inert(std::string_view s, std::string_view also_allowed) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ' || terminal_escaped(s) != s) return false;
  if (contains_ci(s, "://") || contains_ci(s, "www.")) return false;  // GFM autolinks
  constexpr std::string_view kInert = " .,-/+=():;'\"%?{}^";
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ':') {  // :shortcode: (GitHub shows some as images)
      size_t k = i + 1;
      while (k < s.size() && (is_alnum(s[k]) || s[k] == '_' || s[k] == '+' || s[k] == '-')) ++k;
      if (k > i + 1 && k < s.size() && s[k] == ':') return false;
    }
    if (is_alnum(c) || static_cast<unsigned char>(c) >= 0x80 || kInert.find(c) != std::string_view::npos ||
        also_allowed.find(c) != std::string_view::npos) {
      continue;
    }
    // An underscore inside a word cannot open or close emphasis.
    if (c == '_' && i > 0 && i + 1 < s.size() && is_alnum(s[i - 1]) && is_alnum(s[i + 1])) continue;
    return false;
  }
  return true;
}

std::string markdown_inline(std::string_view s, bool table_cell) {
  return markdown_inert(s) ? std::string(s) : markdown_code_span(s, table_cell);
}

bool parse_int64(std::string_view s, int64_t* out) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace pprofx
