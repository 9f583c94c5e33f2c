// Graphviz's `dot`, run as a child process (found in PATH, no shell): a DOT
// graph in on its stdin, the rendered file (svg, png, pdf) out of its stdout,
// both through pipes, so nothing is written to disk but the caller's output.
#pragma once

#include <string>
#include <string_view>

#include "pprofx/base/result.h"

namespace pprofx::io {

// The image dot renders for `format` ("svg", "png", "pdf"). Errors: Graphviz
// not installed (with how to install it), dot failing (its first message line).
Result<std::string> render_with_graphviz(std::string_view dot, std::string_view format);

}  // namespace pprofx::io
