// The escaping helpers behind every output (docs/robustness.md, "Escaping per output").
#include <doctest/doctest.h>

#include <string>

#include "pprofx/base/strings.h"

using namespace pprofx;

TEST_CASE("text_escaped: as terminal_escaped, but a tab stays (pprof prints kernel symbols with one)") {
  CHECK(text_escaped("receive_buf\t[virtio_net]") == "receive_buf\t[virtio_net]");
  CHECK(text_escaped("main\x1b]0;pwned\x07") == "main\\x1b]0;pwned\\x07");
  CHECK(text_escaped("a\nb \xff") == "a\\nb \\xff");
  CHECK(text_escaped("\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\xa5") == "\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\xa5");
  CHECK(text_escaped(text_escaped("x\x1b\xfe")) == text_escaped("x\x1b\xfe"));  // a second pass changes nothing
}

TEST_CASE("markdown_code_span: a fence longer than any backtick run, padded where CommonMark needs it") {
  CHECK(markdown_code_span("main.f", true) == "`main.f`");
  CHECK(markdown_code_span("f`x`", false) == "`` f`x` ``");
  CHECK(markdown_code_span("`tick`", false) == "`` `tick` ``");
  CHECK(markdown_code_span("a``b", false) == "```a``b```");
  CHECK(markdown_code_span(" s ", false) == "`  s  `");
  CHECK(markdown_code_span("a|b", true) == "`a\\|b`");
  CHECK(markdown_code_span("a|b", false) == "`a|b`");
  CHECK(markdown_code_span("x\n# h\r\x1b", false) == "`x\\n# h\\r\\x1b`");  // no line break inside
  CHECK(markdown_code_span("", false) == "`  `");
}

TEST_CASE("markdown_inline: inert text unchanged, anything that could be markup a code span") {
  CHECK(markdown_inline("cpu", false) == "cpu");
  CHECK(markdown_inline("alloc_space", false) == "alloc_space");
  CHECK(markdown_inline("nanoseconds", false) == "nanoseconds");
  CHECK(markdown_inline("/tmp/base.cpu.pb.gz", true) == "/tmp/base.cpu.pb.gz");
  CHECK(markdown_inline("+1.50s", true) == "+1.50s");
  CHECK(markdown_inline("12.34%", true) == "12.34%");
  CHECK(markdown_inline("_x_", false) == "`_x_`");
  CHECK(markdown_inline("@admin", false) == "`@admin`");
  CHECK(markdown_inline("![t](u)", false) == "`![t](u)`");
  CHECK(markdown_inline("http://x/y", false) == "`http://x/y`");
  CHECK(markdown_inline("www.example.com", false) == "`www.example.com`");
  CHECK(markdown_inline("a:smile:b", false) == "`a:smile:b`");
  CHECK(markdown_inline("ns::f", false) == "ns::f");
  CHECK(markdown_inline("<b>", false) == "`<b>`");
  CHECK(markdown_inline("a|b", true) == "`a\\|b`");
  CHECK(markdown_inline("x\ny", false) == "`x\\ny`");
  CHECK(markdown_inline("", false) == "`  `");
}

TEST_CASE("json_escaped: nlohmann's writer; invalid UTF-8 becomes U+FFFD") {
  CHECK(json_escaped("plain \xe6\x97\xa5") == "plain \xe6\x97\xa5");
  CHECK(json_escaped("q\"b\\") == "q\\\"b\\\\");
  CHECK(json_escaped("a\nb\x1b") == "a\\nb\\u001b");
  CHECK(json_escaped("f\xff") == "f\xef\xbf\xbd");
  CHECK(json_escaped("s\xed\xa0\x80") == "s\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // a lone surrogate
  CHECK(json_number(0.5, 4) == "0.5000");
  CHECK(json_number(0.05) == "0.05");
  CHECK(json_number(1.0 / 0.0) == "null");
}

TEST_CASE("xml_text_escaped: XML 1.0 characters only, markup as entities") {
  CHECK(xml_text_escaped("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  CHECK(xml_text_escaped("x\x01\x1b\n") == "x\\x01\\x1b\\n");
  CHECK(xml_text_escaped("f\xff\xfe") == "f\\xff\\xfe");
  CHECK(xml_text_escaped("n\xef\xbf\xbe") == "n\\xef\\xbf\\xbe");  // U+FFFE is not an XML character
  CHECK(xml_text_escaped("]]>") == "]]&gt;");
  CHECK(xml_text_escaped("\xe6\x97\xa5") == "\xe6\x97\xa5");
}
