// The input sniffer: what kind of bytes a command was given, decided in one
// place for every command. Profiles are told apart by content, never by name.
#pragma once

#include <string_view>

namespace pprofx::decode {

enum class InputKind {
  kEmpty,         // no bytes
  kGzip,          // still compressed (io inflates before decoding; seen only on raw bytes)
  kProfileProto,  // binary: offered to the profile.proto decoder (then the legacy parsers, as pprof)
  kLegacy,        // one of pprof's legacy formats (gperftools binary CPU, heap/contention/... text)
  kGoroutineDump, // Go goroutine stacks as text: debug=2, runtime.Stack, a crash (decode/goroutine_dump.h)
  kFolded,        // other text: folded stacks ("root;...;leaf 42"), read by flame, fold, convert
  kSpeedscope,    // a speedscope JSON document (pprofx writes these; it does not read them)
  kGoTrace,       // a Go execution trace ("go 1.21 trace"), for go tool trace
  kHtml,          // an HTML page (an index or an error page saved as a profile)
  kExpvar,        // Go's expvar JSON (/debug/vars: "cmdline" first, then "memstats" and the program's own)
  kCommandLine,   // /debug/pprof/cmdline: a program's arguments separated by NUL bytes
};

struct Sniffed {
  InputKind kind = InputKind::kEmpty;
  std::string_view legacy_name;  // for kLegacy: "gperftools binary CPU profile", ...
};

// Decides from the first bytes (at most a few kB are looked at).
Sniffed sniff(std::string_view bytes);

// "folded stacks", "an HTML page", ...: how messages name a kind.
std::string_view kind_name(InputKind kind);

// Text: no control characters other than \t \r \n in the first 4 kB.
bool looks_like_text(std::string_view bytes);

}  // namespace pprofx::decode
