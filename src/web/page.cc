// The HTML file: web/page.html with the style, the data and the script put
// in (each once, never rescanned for placeholders).
#include <fmt/format.h>

#include "pprofx/base/strings.h"
#include "pprofx/web/page.h"
#include "script_json.h"
#include "web_assets.h"

namespace pprofx::web {
namespace {

std::string html_text(std::string_view s) {
  std::string out;
  for (char c : xml_text_escaped(s)) {
    if (c == '"') {
      out += "&quot;";
    } else {
      out += c;
    }
  }
  return out;
}

// The shell with the title, style, data, state and script put in.
std::string assemble(const std::string& title, const std::string& data, const std::string& initial_state) {
  const std::string state = script_json_string(initial_state);
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
  auto data = page_data(p, o.data);
  if (!data) return data.error();
  return assemble(o.title, *data, o.initial_state);
}

Result<std::string> diff_page_html(const model::Profile& base, const model::Profile& next, const DiffPageOptions& o) {
  auto data = diff_page_data(base, next, o.data);
  if (!data) return data.error();
  return assemble(o.title, *data, o.initial_state);
}

}  // namespace pprofx::web
