// The page's code, generated at build time from web/ by web/inline.cmake.
#pragma once

#include <string_view>

namespace pprofx::web::assets {
extern const std::string_view kScript;  // the ES modules, concatenated in dependency order
extern const std::string_view kStyle;   // web/style.css
extern const std::string_view kShell;   // web/page.html, with @TITLE@ @STYLE@ @DATA@ @SCRIPT@
}  // namespace pprofx::web::assets
