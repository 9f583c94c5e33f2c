// Frame colours. Every colour is a pure function of the frame name (FNV-1a
// hash), so a function keeps its colour across graphs and runs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pprofx/base/result.h"

namespace pprofx::render {

struct Rgb {
  uint8_t r, g, b;
};

enum class Palette {
  kHot, kMem, kIo, kRed, kGreen, kBlue, kAqua, kYellow, kPurple, kOrange,  // flamegraph.pl's
  kJava, kJs, kPerl,                                                    // flamegraph.pl's by name shape
  kLang,  // pprofx: one hue per package/namespace (Go pkg.Func, C++ ns::, Java a.b.C, Python mod.py)
};

Result<Palette> parse_palette(std::string_view name);

Rgb frame_color(Palette palette, std::string_view name);

// The package/namespace a frame name belongs to (used by kLang):
// "github.com/a/b.(*T).M" -> "github.com/a/b", "std::vector<int>::push_back" -> "std",
// "org.apache.kafka.Foo.bar" -> "org.apache.kafka", "json/decoder.py:raw_decode" -> "json".
std::string_view package_of(std::string_view name);

}  // namespace pprofx::render
