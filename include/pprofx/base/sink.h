// Where streamed output goes: a callback that takes the bytes in pieces, in
// order. A piece is valid only during the call.
#pragma once

#include <functional>
#include <string_view>

namespace pprofx {

using ByteSink = std::function<void(std::string_view)>;

}  // namespace pprofx
