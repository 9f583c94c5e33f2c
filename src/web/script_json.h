// JSON strings that are safe inside an HTML <script> element.
#pragma once

#include <string>
#include <string_view>

namespace pprofx::web {

// A JSON string literal (quotes included) of s: json_escaped (invalid UTF-8
// becomes U+FFFD), then <, >, & as \u003c \u003e \u0026 and U+2028/U+2029 as
// \u2028 \u2029, so no "</script", "<!--" or line separator can appear.
std::string script_json_string(std::string_view s);

// The same escaping for a whole JSON text already valid (its strings' bytes).
std::string script_safe(std::string_view json);

}  // namespace pprofx::web
