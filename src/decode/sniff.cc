#include "pprofx/decode/sniff.h"

#include <algorithm>
#include <cctype>

#include "pprofx/base/strings.h"
#include "pprofx/decode/decode.h"
#include "pprofx/decode/goroutine_dump.h"
#include "pprofx/io/input.h"

namespace pprofx::decode {
namespace {

constexpr size_t kWindow = 4096;

std::string_view skip_space(std::string_view b) {
  if (starts_with(b, "\xEF\xBB\xBF")) b.remove_prefix(3);  // UTF-8 byte order mark
  while (!b.empty() && std::isspace(static_cast<unsigned char>(b.front())) != 0) b.remove_prefix(1);
  return b;
}

bool starts_with_nocase(std::string_view b, std::string_view prefix) {
  if (b.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(b[i])) != prefix[i]) return false;
  }
  return true;
}

bool is_html(std::string_view text) {
  const std::string_view b = skip_space(text);
  return starts_with_nocase(b, "<!doctype html") || starts_with_nocase(b, "<html") ||
         starts_with_nocase(b, "<head") || starts_with_nocase(b, "<body");
}

bool is_speedscope(std::string_view text) {
  const std::string_view b = skip_space(text);
  return starts_with(b, "{") && b.substr(0, kWindow).find("speedscope.app/file-format-schema") != std::string_view::npos;
}

// "go 1.5 trace\0\0\0\0" ... "go 1.22 trace\0\0\0": a 16-byte header.
bool is_go_trace(std::string_view b) {
  if (!starts_with(b, "go 1.") || b.size() < 16) return false;
  const std::string_view header = b.substr(0, 16);
  const size_t t = header.find(" trace");
  return t != std::string_view::npos && t > 5 && header.find('\0', t) != std::string_view::npos;
}

// /debug/vars: expvar's JSON object, keys sorted, so "cmdline" comes first.
bool is_expvar(std::string_view text) {
  std::string_view b = skip_space(text);
  if (!starts_with(b, "{")) return false;
  b = skip_space(b.substr(1));
  return starts_with(b, "\"cmdline\":") || starts_with(b, "\"cmdline\" :");
}

// /debug/pprof/cmdline: printable arguments joined by NUL bytes, one line.
bool is_command_line(std::string_view b) {
  if (b.empty() || b.size() > 65536 || b.front() == '\0') return false;
  bool separated = false;
  for (char c : b) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\0') {
      separated = true;
    } else if (u < 0x20 || u == 0x7f) {
      return false;
    }
  }
  return separated;
}

}  // namespace

bool looks_like_text(std::string_view b) {
  b = b.substr(0, kWindow);
  if (b.empty()) return false;
  return std::all_of(b.begin(), b.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 || c == '\n' || c == '\r' || c == '\t';
  });
}

Sniffed sniff(std::string_view bytes) {
  if (bytes.empty()) return {InputKind::kEmpty, {}};
  if (io::is_gzip(bytes)) return {InputKind::kGzip, {}};
  if (std::string_view legacy = legacy_format_name(bytes); !legacy.empty()) return {InputKind::kLegacy, legacy};
  if (is_go_trace(bytes)) return {InputKind::kGoTrace, {}};
  // Binary input is decoded as profile.proto first in every case; these kinds only name it when that fails.
  if (is_command_line(bytes)) return {InputKind::kCommandLine, {}};
  if (!looks_like_text(bytes)) return {InputKind::kProfileProto, {}};
  if (is_html(bytes)) return {InputKind::kHtml, {}};
  if (is_expvar(bytes)) return {InputKind::kExpvar, {}};
  if (is_speedscope(bytes)) return {InputKind::kSpeedscope, {}};
  if (looks_like_goroutine_dump(bytes)) return {InputKind::kGoroutineDump, {}};
  return {InputKind::kFolded, {}};
}

std::string_view kind_name(InputKind kind) {
  switch (kind) {
    case InputKind::kEmpty: return "empty input";
    case InputKind::kGzip: return "gzip data";
    case InputKind::kProfileProto: return "profile.proto";
    case InputKind::kLegacy: return "a legacy pprof profile";
    case InputKind::kGoroutineDump: return "a Go goroutine dump";
    case InputKind::kFolded: return "folded stacks";
    case InputKind::kSpeedscope: return "a speedscope document";
    case InputKind::kGoTrace: return "a Go execution trace";
    case InputKind::kHtml: return "an HTML page";
    case InputKind::kExpvar: return "Go's expvar variables";
    case InputKind::kCommandLine: return "a program's command line";
  }
  return "unknown input";
}

}  // namespace pprofx::decode
