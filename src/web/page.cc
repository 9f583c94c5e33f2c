// The HTML file: web/page.html with the style, the data and the script put
// in (each once, never rescanned for placeholders). The page is windows-1252,
// all ASCII but its data: the payload's bytes, deflated, nearly as they are.
#include <fmt/format.h>

#include <algorithm>

#include "pprofx/base/strings.h"
#include "pprofx/io/gzip.h"
#include "pprofx/web/page.h"
#include "script_json.h"
#include "web_assets.h"

namespace pprofx::web {
namespace {

// The page is windows-1252 (so its data can be bytes, below): every text put into it is
// ASCII, a non-ASCII character written as an HTML character reference or a JSON \u escape.
std::string ascii_only(std::string_view utf8, bool json) {
  std::string out;
  for (size_t i = 0; i < utf8.size(); ++i) {
    if (static_cast<unsigned char>(utf8[i]) < 0x80) {
      out += utf8[i];
      continue;
    }
    uint32_t cp = 0xfffd;
    if (const size_t n = utf8_sequence(utf8, i, &cp); n > 0) i += n - 1;
    if (!json) {
      out += fmt::format("&#x{:X};", cp);
    } else if (cp > 0xffff) {
      cp -= 0x10000;
      out += fmt::format("\\u{:04x}\\u{:04x}", 0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
    } else {
      out += fmt::format("\\u{:04x}", cp);
    }
  }
  return out;
}

std::string html_text(std::string_view s) {
  std::string out;
  for (char c : xml_text_escaped(s)) {
    if (c == '"') {
      out += "&quot;";
    } else {
      out += c;
    }
  }
  return ascii_only(out, false);
}

// The payload deflated (zlib format) for a <script> element of the windows-1252 page: each
// byte stands for itself (web/payload.js maps back the characters windows-1252 gives bytes
// 0x80-0x9F), but NUL, CR and '<', which the HTML parser would replace, turn into LF or end
// the element at, and the escape '=' itself: written '=' and the byte + 0x40 (@ M | }).
std::string script_bytes(std::string_view payload) {
  const std::string packed = io::zlib_fast(payload);
  const auto escaped = [](char c) { return c == '\0' || c == '\r' || c == '<' || c == '='; };
  std::string out(packed.size() + static_cast<size_t>(std::count_if(packed.begin(), packed.end(), escaped)), '\0');
  char* at = out.data();
  for (char c : packed) {
    if (escaped(c)) {
      *at++ = '=';
      c = static_cast<char>(c + 0x40);
    }
    *at++ = c;
  }
  return out;
}

// The shell with the title, style, data, state and script put in.
std::string assemble(const std::string& title, const std::string& payload, const std::string& initial_state) {
  const std::string state = ascii_only(script_json_string(initial_state), true);
  const std::string data = script_bytes(payload);
  std::string out;
  out.reserve(data.size() + assets::kScript.size() + assets::kStyle.size() + assets::kShell.size() + 256);
  std::string_view shell = assets::kShell;
  while (!shell.empty()) {
    const size_t at = shell.find('@');
    if (at == std::string_view::npos) {
      out += shell;
      break;
    }
    out += shell.substr(0, at);
    shell.remove_prefix(at);
    auto take = [&](std::string_view mark) {
      if (!starts_with(shell, mark)) return false;
      shell.remove_prefix(mark.size());
      return true;
    };
    if (take("@TITLE@")) {
      out += html_text(title);
    } else if (take("@STYLE@")) {
      out += assets::kStyle;
    } else if (take("@DATA@")) {
      out += data;
    } else if (take("@STATE@")) {
      out += state;
    } else if (take("@SCRIPT@")) {
      out += assets::kScript;
    } else {
      out += '@';
      shell.remove_prefix(1);
    }
  }
  return out;
}

}  // namespace

Result<std::string> page_html(const model::Profile& p, const PageOptions& o) {
  auto data = page_data(p, o.data, DataForm::kBinary);
  if (!data) return data.error();
  return assemble(o.title, *data, o.initial_state);
}

Result<std::string> diff_page_html(const model::Profile& base, const model::Profile& next, const DiffPageOptions& o) {
  auto data = diff_page_data(base, next, o.data, DataForm::kBinary);
  if (!data) return data.error();
  return assemble(o.title, *data, o.initial_state);
}

}  // namespace pprofx::web
