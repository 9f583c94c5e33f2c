#include <doctest/doctest.h>

#include <re2/re2.h>

#include "pprofx/base/regex.h"
#include "pprofx/base/strings.h"
#include "pprofx/model/string_table.h"

using namespace pprofx;

TEST_CASE("clean_path follows Go's path.Clean") {
  CHECK(clean_path("") == ".");
  CHECK(clean_path("a/b/../c") == "a/c");
  CHECK(clean_path("/a//b/./c/") == "/a/b/c");
  CHECK(clean_path("/../x") == "/x");
  CHECK(clean_path("../../x") == "../../x");
  CHECK(clean_path("a/..") == ".");
  CHECK(clean_path("/usr/local/go/src/runtime/proc.go") == "/usr/local/go/src/runtime/proc.go");
}

TEST_CASE("base_name follows Go's filepath.Base") {
  CHECK(base_name("/usr/bin/app") == "app");
  CHECK(base_name("app") == "app");
  CHECK(base_name("/a/b/") == "b");
  CHECK(base_name("/") == "/");
  CHECK(base_name("") == ".");
}

TEST_CASE("parse_hex_digits and append_utf8: an escape's code point and its encoding") {
  uint32_t v = 0;
  CHECK((parse_hex_digits("00e9", &v) && v == 0xe9));
  CHECK((parse_hex_digits("0001F600", &v) && v == 0x1F600));
  CHECK((parse_hex_digits("FFFFFFFF", &v) && v == 0xFFFFFFFFu));
  CHECK_FALSE(parse_hex_digits("", &v));
  CHECK_FALSE(parse_hex_digits("123456789", &v));  // nine digits would not fit
  CHECK_FALSE(parse_hex_digits("12g4", &v));
  std::string out;
  append_utf8(out, 0xe9);
  append_utf8(out, 0x1F600);
  append_utf8(out, 0xD800);    // a surrogate
  append_utf8(out, 0x110000);  // past U+10FFFF
  CHECK(out == "\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbd\xef\xbf\xbd");
}

TEST_CASE("parse_int64 takes whole decimal numbers only") {
  int64_t v = 0;
  CHECK(parse_int64("42", &v));
  CHECK(v == 42);
  CHECK(parse_int64("-7", &v));
  CHECK(v == -7);
  CHECK_FALSE(parse_int64("4x", &v));
  CHECK_FALSE(parse_int64("", &v));
  CHECK_FALSE(parse_int64("99999999999999999999", &v));
}

TEST_CASE("StringTable interns each string once and keeps ids stable as it grows") {
  model::StringTable t;
  CHECK(t.str(model::kEmptyStr).empty());
  CHECK(t.intern("") == model::kEmptyStr);
  const model::StrId a = t.intern("alpha");
  std::vector<model::StrId> ids;
  for (int i = 0; i < 5000; ++i) ids.push_back(t.intern("s" + std::to_string(i)));  // forces reallocation
  CHECK(t.intern("alpha") == a);
  CHECK(t.str(a) == "alpha");
  for (int i = 0; i < 5000; ++i) {
    REQUIRE(t.str(ids[i]) == "s" + std::to_string(i));
    REQUIRE(t.intern("s" + std::to_string(i)) == ids[i]);
  }
  model::StringTable moved = std::move(t);
  model::StrId found = model::kEmptyStr;
  CHECK(moved.find("s4999", &found));
  CHECK(found == ids[4999]);
}

TEST_CASE("compile_regex compiles quietly and fails with RE2's own message") {
  auto re = compile_regex("a+b");
  REQUIRE(re);
  CHECK(RE2::PartialMatch("xaab", **re));
  CHECK_FALSE(RE2::PartialMatch("ba", **re));
  CHECK_FALSE((*re)->options().log_errors());
  CHECK((*re)->options().encoding() == RE2::Options::EncodingUTF8);
  auto bad = compile_regex("main(");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "missing ): main(");
}

TEST_CASE("terminal_escaped: controls and invalid UTF-8 shown as escapes, valid UTF-8 kept") {
  CHECK(terminal_escaped("plain name (main.go:12)") == "plain name (main.go:12)");
  CHECK(terminal_escaped("a\nb\rc\td") == "a\\nb\\rc\\td");
  CHECK(terminal_escaped("\x1b[2J\x1b]0;title\x07") == "\\x1b[2J\\x1b]0;title\\x07");
  CHECK(terminal_escaped(std::string_view("nul\0del\x7f", 8)) == "nul\\x00del\\x7f");
  CHECK(terminal_escaped("caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x94\xa5") == "caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x94\xa5");
  CHECK(terminal_escaped("\xc2\x9b" "31m") == "\\xc2\\x9b31m");  // C1 CSI, valid UTF-8 but a control
  CHECK(terminal_escaped("bad \xff \xc3 \xed\xa0\x80 \xc0\xaf") == "bad \\xff \\xc3 \\xed\\xa0\\x80 \\xc0\\xaf");
}
