// decode::sniff, the one input sniffer, and decode_any's one-line message for
// inputs that are not profiles.
#include <doctest/doctest.h>

#include <string>

#include "pprofx/decode/decode.h"
#include "pprofx/decode/sniff.h"
#include "pprofx/io/gzip.h"
#include "profile_builder.h"

using namespace pprofx;
using decode::InputKind;

namespace {

InputKind kind_of(std::string_view bytes) { return decode::sniff(bytes).kind; }

std::string small_profile() {
  testing::ProfileBuilder b;
  b.sample_type("samples", "count");
  const uint64_t leaf = b.frame("leaf"), main = b.frame("main");
  b.sample({leaf, main}, {7});
  return b.bytes();
}

// 32-bit little-endian words, as gperftools writes on x86.
std::string words_le32(std::initializer_list<uint32_t> words) {
  std::string b;
  for (uint32_t w : words) {
    for (int shift = 0; shift < 32; shift += 8) b += static_cast<char>((w >> shift) & 0xff);
  }
  return b;
}

std::string decode_error(std::string_view bytes) {
  auto p = decode::decode_any(bytes, "in.pb");
  REQUIRE(!p.ok());
  return p.error().message;
}

}  // namespace

TEST_CASE("sniff: empty, gzip and profile.proto") {
  CHECK(kind_of("") == InputKind::kEmpty);
  const std::string proto = small_profile();
  CHECK(kind_of(proto) == InputKind::kProfileProto);
  CHECK(kind_of(io::gzip(proto)) == InputKind::kGzip);
  CHECK(kind_of(std::string("\x1f\x8b\x08\x00", 4)) == InputKind::kGzip);
  CHECK(decode::sniff(proto).legacy_name.empty());
  CHECK(decode::kind_name(InputKind::kProfileProto) == "profile.proto");
  CHECK(decode::kind_name(InputKind::kEmpty) == "empty input");
}

TEST_CASE("sniff: pprof's legacy formats by their headers") {
  auto s = decode::sniff("heap profile: 1: 2 [3: 4] @ heapprofile\n1: 2 [3: 4] @ 0x1000\n");
  CHECK(s.kind == InputKind::kLegacy);
  CHECK(s.legacy_name == "heap profile (text)");
  s = decode::sniff("# comment first\n--- contention:\ncycles/second=1000\n");
  CHECK(s.kind == InputKind::kLegacy);
  CHECK(s.legacy_name == "contention profile (text)");
  // gperftools binary CPU header: 0, 3, 0, period, 0, then samples.
  s = decode::sniff(words_le32({0, 3, 0, 10000, 0, 1, 1, 0x401000, 0, 1, 0}));
  CHECK(s.kind == InputKind::kLegacy);
  CHECK(s.legacy_name == "gperftools binary CPU profile");
  // A zero period is no CPU header: binary, offered to the protobuf decoder.
  CHECK(kind_of(words_le32({0, 3, 0, 0, 0, 1})) == InputKind::kProfileProto);
  CHECK(decode::kind_name(InputKind::kLegacy) == "a legacy pprof profile");
}

TEST_CASE("sniff: folded stacks, HTML pages, speedscope documents, Go traces") {
  CHECK(kind_of("main;work;leaf 42\nmain;idle 3\n") == InputKind::kFolded);
  CHECK(kind_of("main 1") == InputKind::kFolded);
  CHECK(kind_of("<!DOCTYPE html><html><body>404</body></html>") == InputKind::kHtml);
  CHECK(kind_of("<!doctype HTML>\n<title>x</title>") == InputKind::kHtml);
  CHECK(kind_of("  \n\t<html lang=en>") == InputKind::kHtml);
  CHECK(kind_of("\xEF\xBB\xBF<HTML>") == InputKind::kHtml);
  CHECK(kind_of("\xEF\xBB\xBF \r\n<body>") == InputKind::kHtml);
  CHECK(kind_of("<head>") == InputKind::kHtml);
  CHECK(kind_of("<div>not a page</div>") == InputKind::kFolded);  // only a page's opening tags
  CHECK(kind_of("html;body 1\n") == InputKind::kFolded);
  const std::string speedscope =
      "\n{\"$schema\": \"https://www.speedscope.app/file-format-schema.json\", \"profiles\": []}";
  CHECK(kind_of(speedscope) == InputKind::kSpeedscope);
  CHECK(kind_of("{\"profiles\": []}") == InputKind::kFolded);  // JSON, but no speedscope schema
  CHECK(kind_of(std::string("go 1.19 trace\0\0\0", 16) + "\x01\x02") == InputKind::kGoTrace);
  CHECK(kind_of(std::string("go 1.5 trace\0\0\0\0", 16)) == InputKind::kGoTrace);
  CHECK(kind_of(std::string("go 1.19 trace\0\0", 15)) != InputKind::kGoTrace);  // header is 16 bytes
  CHECK(kind_of("go 1.19 tracing my code 1\n") == InputKind::kFolded);              // no NUL: text
  CHECK(decode::kind_name(InputKind::kFolded) == "folded stacks");
  CHECK(decode::kind_name(InputKind::kHtml) == "an HTML page");
  CHECK(decode::kind_name(InputKind::kGoTrace) == "a Go execution trace");
  CHECK(decode::kind_name(InputKind::kSpeedscope) == "a speedscope document");
}

TEST_CASE("sniff: Go's /debug/vars and /debug/pprof/cmdline are named, not decoded as text or protobuf") {
  CHECK(kind_of("{\n\"cmdline\": [\"/bin/server\"],\n\"memstats\": {\"Alloc\": 1}\n}\n") == InputKind::kExpvar);
  CHECK(kind_of("{\"memstats\": {}, \"cmdline\": []}") == InputKind::kFolded);  // expvar writes cmdline first
  CHECK(kind_of(std::string("/usr/bin/server\0-port=8080\0-v", 30)) == InputKind::kCommandLine);
  CHECK(kind_of("/usr/bin/server") == InputKind::kFolded);  // one argument: just text
  CHECK(kind_of(std::string("\0abc", 4)) == InputKind::kProfileProto);
  CHECK(kind_of(std::string("a\0b\nc", 5)) == InputKind::kProfileProto);  // a line break: not a command line
  CHECK(kind_of(std::string("a\0\x01", 3)) == InputKind::kProfileProto);
  CHECK(kind_of(std::string(70000, 'a') + std::string(1, '\0')) != InputKind::kCommandLine);  // too long for one
  // A profile.proto whose bytes happen to be printable and NUL still decodes: the decoder runs first.
  const std::string tiny("\x32\x00", 2);  // string_table = [""]
  CHECK(kind_of(tiny) == InputKind::kCommandLine);
  CHECK(decode::decode_any(tiny, "tiny"));
}

TEST_CASE("sniff: text is judged on the first 4 kB") {
  std::string late(4000, 'a');
  late += "\n";
  late += std::string(200, 'b');
  late[4150] = '\x01';  // a control character after the window
  CHECK(decode::looks_like_text(late));
  CHECK(kind_of(late) == InputKind::kFolded);
  std::string early = late;
  early[4095] = '\x02';  // the last byte of the window
  CHECK(!decode::looks_like_text(early));
  CHECK(kind_of(early) == InputKind::kProfileProto);
  early[4095] = 'a';
  early[10] = '\0';
  CHECK(kind_of(early) == InputKind::kProfileProto);
  CHECK(decode::looks_like_text("a\tb\r\nc\n"));
  CHECK(!decode::looks_like_text(""));
  CHECK(!decode::looks_like_text("\x7f\x01"));
  CHECK(decode::looks_like_text("caf\xc3\xa9 1\n"));  // UTF-8 is text
}

TEST_CASE("decode_any: what a non-profile is, in one line") {
  const std::string html = decode_error("<!DOCTYPE html>\n<html><body>Not found</body></html>\n");
  CHECK(html ==
        "in.pb: not a profile: an HTML page (\"<!DOCTYPE html>\"); profiles are served at paths such as "
        "/debug/pprof/profile and /debug/pprof/heap");
  CHECK(decode_error(std::string("go 1.21 trace\0\0\0", 16) + std::string(40, '\x05')) ==
        "in.pb: not a profile: a Go execution trace (read it with go tool trace)");
  CHECK(decode_error("{\"$schema\": \"https://www.speedscope.app/file-format-schema.json\"}") ==
        "in.pb: a speedscope document: pprofx writes speedscope JSON (pprofx convert) but reads pprof profiles "
        "and folded stacks");
  CHECK(decode_error("main;work 12\nmain 3\n") ==
        "in.pb: not a pprof profile: it is text (\"main;work 12\"), neither profile.proto nor one of pprof's "
        "legacy text formats");
  CHECK(decode_error("") == "in.pb: empty input (no profile data)");
  for (const std::string& m : {html, decode_error("main;work 12\n")}) CHECK(m.find('\n') == std::string::npos);
  // A real profile still decodes.
  auto p = decode::decode_any(small_profile(), "in.pb");
  REQUIRE(p.ok());
  CHECK(p->samples.size() == 1);
}
