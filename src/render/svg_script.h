// The JavaScript and CSS embedded in every SVG flame graph.
#pragma once

#include <string_view>

namespace pprofx::render {

extern const std::string_view kFlameScript;
extern const std::string_view kFlameStyle;

}  // namespace pprofx::render
