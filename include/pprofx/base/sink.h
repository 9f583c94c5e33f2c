// The one byte-sink type: writers hand their output to it piece by piece.
#pragma once

#include <functional>
#include <string_view>

namespace pprofx {

using ByteSink = std::function<void(std::string_view)>;

}  // namespace pprofx
