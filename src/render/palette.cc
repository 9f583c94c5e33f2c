#include "pprofx/render/palette.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace pprofx::render {
namespace {

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

// Three values in [0, 1) from the name, as flamegraph.pl's v1, v2, v3.
struct Draw {
  double v1, v2, v3;
};
Draw draw(std::string_view name) {
  const uint64_t h = fnv1a(name);
  return {static_cast<double>(h & 0xffff) / 65536.0, static_cast<double>((h >> 16) & 0xffff) / 65536.0,
          static_cast<double>((h >> 32) & 0xffff) / 65536.0};
}

uint8_t c8(double v) { return static_cast<uint8_t>(std::lround(std::clamp(v, 0.0, 255.0))); }

Rgb flat(Palette p, Draw d) {
  const double v1 = d.v1, v2 = d.v2, v3 = d.v3;
  switch (p) {
    case Palette::kHot: return {c8(205 + 50 * v3), c8(230 * v1), c8(55 * v2)};
    case Palette::kMem: return {0, c8(190 + 50 * v2), c8(210 * v1)};
    case Palette::kIo: return {c8(80 + 60 * v1), c8(80 + 60 * v1), c8(190 + 55 * v2)};
    case Palette::kRed: return {c8(200 + 55 * v1), c8(50 + 80 * v1), c8(50 + 80 * v1)};
    case Palette::kGreen: return {c8(50 + 60 * v1), c8(200 + 55 * v1), c8(50 + 60 * v1)};
    case Palette::kBlue: return {c8(80 + 60 * v1), c8(80 + 60 * v1), c8(205 + 50 * v1)};
    case Palette::kAqua: return {c8(50 + 60 * v1), c8(165 + 55 * v1), c8(165 + 55 * v1)};
    case Palette::kYellow: return {c8(175 + 55 * v1), c8(175 + 55 * v1), c8(50 + 20 * v1)};
    case Palette::kPurple: return {c8(190 + 65 * v1), c8(80 + 60 * v1), c8(190 + 65 * v1)};
    case Palette::kOrange: return {c8(190 + 65 * v1), c8(90 + 65 * v1), 0};
    default: return {c8(205 + 50 * v3), c8(230 * v1), c8(55 * v2)};
  }
}

bool contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

// flamegraph.pl's java/js/perl choice of a flat palette by the shape of the name.
Palette by_shape(Palette p, std::string_view name) {
  const bool kernel = contains(name, "_[k]");
  if (p == Palette::kJava) {
    if (contains(name, "_[j]")) return Palette::kGreen;
    if (contains(name, "_[i]")) return Palette::kAqua;
    if (name.starts_with("java/") || name.starts_with("javax/") || name.starts_with("jdk/") ||
        name.starts_with("net/") || name.starts_with("org/") || name.starts_with("com/") ||
        name.starts_with("io/") || name.starts_with("sun/") || contains(name, ":::") || name.starts_with("java.") ||
        name.starts_with("javax.") || name.starts_with("jdk.") || name.starts_with("sun.")) {
      return Palette::kGreen;
    }
    if (contains(name, "::")) return Palette::kYellow;
    return kernel ? Palette::kOrange : Palette::kRed;
  }
  if (p == Palette::kJs) {
    if (contains(name, "_[j]")) return contains(name, "/") ? Palette::kGreen : Palette::kAqua;
    if (contains(name, "::")) return Palette::kYellow;
    if (contains(name, ".js")) return Palette::kGreen;
    if (contains(name, ":")) return Palette::kAqua;
    return kernel ? Palette::kOrange : Palette::kRed;
  }
  if (contains(name, "::")) return Palette::kYellow;  // perl
  if (contains(name, "Perl") || contains(name, ".pl")) return Palette::kGreen;
  return kernel ? Palette::kOrange : Palette::kRed;
}

Rgb hsl(double h, double s, double l) {
  const double c = (1 - std::fabs(2 * l - 1)) * s;
  const double hp = std::fmod(h, 360.0) / 60.0;
  const double x = c * (1 - std::fabs(std::fmod(hp, 2.0) - 1));
  double r = 0, g = 0, b = 0;
  if (hp < 1) { r = c; g = x; }
  else if (hp < 2) { r = x; g = c; }
  else if (hp < 3) { g = c; b = x; }
  else if (hp < 4) { g = x; b = c; }
  else if (hp < 5) { r = x; b = c; }
  else { r = c; b = x; }
  const double m = l - c / 2;
  return {c8((r + m) * 255), c8((g + m) * 255), c8((b + m) * 255)};
}

}  // namespace

Result<Palette> parse_palette(std::string_view name) {
  static const std::pair<std::string_view, Palette> kNames[] = {
      {"hot", Palette::kHot},       {"mem", Palette::kMem},       {"io", Palette::kIo},
      {"red", Palette::kRed},       {"green", Palette::kGreen},   {"blue", Palette::kBlue},
      {"aqua", Palette::kAqua},     {"yellow", Palette::kYellow}, {"purple", Palette::kPurple},
      {"orange", Palette::kOrange}, {"java", Palette::kJava},     {"js", Palette::kJs},
      {"perl", Palette::kPerl},     {"lang", Palette::kLang}};
  for (auto [n, p] : kNames) {
    if (n == name) return p;
  }
  return Error{fmt::format("unknown palette \"{}\" (one of hot, mem, io, red, green, blue, aqua, yellow, purple, "
                           "orange, java, js, perl, lang)",
                           name)};
}

std::string_view package_of(std::string_view name) {
  if (name.starts_with("[") || name.starts_with("<")) return name;  // [binary], <unknown>
  // C++ / Rust: the first namespace (templates and the "(anonymous namespace)" kept as they are).
  if (size_t colons = name.find("::"); colons != std::string_view::npos && colons > 0 &&
                                       name.substr(0, colons).find_first_of("(<. ") == std::string_view::npos) {
    return name.substr(0, colons);
  }
  // Python "path/module.py:func" or "module.py:func": the first path element or module.
  if (size_t py = name.find(".py"); py != std::string_view::npos) {
    std::string_view mod = name.substr(0, py);
    if (size_t slash = mod.find('/'); slash != std::string_view::npos) return mod.substr(0, slash);
    return mod;
  }
  // Go: import path up to the last '/', then the package name up to the next '.'.
  const size_t slash = name.rfind('/', name.find_first_of("( "));
  const size_t from = slash == std::string_view::npos ? 0 : slash + 1;
  const size_t dot = name.find('.', from);
  if (slash != std::string_view::npos && dot != std::string_view::npos) return name.substr(0, dot);
  // Java "a.b.C.method" / Go "pkg.Func": everything before the last two dotted parts, else the first part.
  if (dot != std::string_view::npos) {
    const std::string_view plain = name.substr(0, name.find_first_of("( $<"));
    const size_t last = plain.rfind('.');
    if (last != std::string_view::npos && last > 0) {
      const size_t second = plain.rfind('.', last - 1);
      if (second != std::string_view::npos && std::isupper(static_cast<unsigned char>(plain[second + 1]))) {
        return plain.substr(0, second);  // a.b.Class.method -> a.b
      }
    }
    return name.substr(0, dot);
  }
  return name;
}

Rgb frame_color(Palette palette, std::string_view name) {
  if (name == "-") return {0xcc, 0xcc, 0xcc};  // flamegraph.pl's separators
  if (name == "--") return {0xa0, 0xa0, 0xa0};
  if (palette == Palette::kLang) {
    const uint64_t h = fnv1a(package_of(name));
    const Draw d = draw(name);
    return hsl(static_cast<double>(h % 360), 0.55 + 0.15 * static_cast<double>((h >> 12) % 100) / 100.0,
               0.62 + 0.12 * d.v1);
  }
  if (palette == Palette::kJava || palette == Palette::kJs || palette == Palette::kPerl) {
    return flat(by_shape(palette, name), draw(name));
  }
  return flat(palette, draw(name));
}

}  // namespace pprofx::render
