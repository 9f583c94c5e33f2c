// Small string helpers shared by every module.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pprofx {

// Go's path.Clean (filepath.Clean on Unix): lexical cleanup of a slash path,
// used where pprof cleans file names before showing them.
std::string clean_path(std::string_view path);

// The last element of a slash path, as Go's filepath.Base ("" -> ".").
std::string base_name(std::string_view path);

bool starts_with(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);

// Escapes & < > " ' for XML text and attributes (input must be valid UTF-8
// without control characters: see xml_text_escaped for text from input).
void append_xml_escaped(std::string& out, std::string_view s);
std::string xml_escaped(std::string_view s);

// For XML 1.0 text and attributes from any input: what terminal_escaped
// shows as \xNN (control characters, invalid UTF-8) and the non-characters
// U+FFFE/U+FFFF (as their bytes \xef\xbf\xbe...) are shown so, then & < > " '
// become entities. The result is always well-formed XML.
std::string xml_text_escaped(std::string_view s);

// The inside of a JSON string literal (without the quotes), written by
// nlohmann::json: " \\ and control characters escaped, invalid UTF-8
// replaced by U+FFFD, so the result is valid JSON for any input.
std::string json_escaped(std::string_view s);

// A JSON number: v with `decimals` digits after the point (a negative
// count: the shortest form, as fmt's "{}"); null if v is not finite.
std::string json_number(double v, int decimals = -1);

// For a terminal: control characters (C0, DEL, C1) and bytes that are not
// valid UTF-8 become \xNN (\n, \r, \t as such), so a name from a profile or
// a command line cannot move the cursor, recolour or clear the screen.
// Its output is printable and unchanged by a second pass.
std::string terminal_escaped(std::string_view s);

// Appends the UTF-8 encoding of a code point (U+FFFD for a surrogate or one past U+10FFFF).
void append_utf8(std::string& out, uint32_t code_point);
// s, 1 to 8 hex digits and nothing else (an escape's \uXXXX), as a number.
bool parse_hex_digits(std::string_view s, uint32_t* out);

// The length of the valid UTF-8 sequence of two bytes or more at s[i] (its
// length from the lead byte, continuation bytes 10xxxxxx, no overlong forms,
// no surrogates, at most U+10FFFF: Go's rules too), with its code point in
// *code_point; 0 if there is none (an ASCII byte, or invalid UTF-8).
size_t utf8_sequence(std::string_view s, size_t i, uint32_t* code_point);

// terminal_escaped for text reports (top, tree, info, diff, check, cross):
// a tab stays a tab, as pprof prints it (kernel symbols such as
// "receive_buf\t[virtio_net]" hold one).
std::string text_escaped(std::string_view s);

// A Markdown code span holding s, shown as terminal_escaped shows it (so no
// line break can occur): the backtick fence is one longer than the longest
// backtick run inside, padded with a space where CommonMark would otherwise
// eat a backtick or a space. In a table cell (table_cell) each | becomes \|
// (GFM removes the backslash again inside the span). Nothing inside a code
// span is a link, image, HTML, emphasis or @mention on GitHub.
std::string markdown_code_span(std::string_view s, bool table_cell);

// s unchanged if it cannot form Markdown markup anywhere inside a line
// (letters, digits, valid UTF-8 and a few inert punctuation marks; no URL,
// :shortcode:, leading or trailing space), else markdown_code_span(s).
// Keeps ordinary type names, units and file names as they were.
std::string markdown_inline(std::string_view s, bool table_cell);
bool markdown_inert(std::string_view s, std::string_view also_allowed = {});

// One CSV field (RFC 4180) from any input: shown as terminal_escaped shows
// it (so no line break or control character gets in), quoted with "" doubled
// when it holds , " or a space at either end; a field that a spreadsheet
// would run as a formula (starting = + - @) gets a leading ' first (OWASP's
// rule for CSV injection). Numbers are written by the caller, not through this.
std::string csv_field(std::string_view s);

// Parses a whole decimal integer (optional sign); false if s is not one.
bool parse_int64(std::string_view s, int64_t* out);

}  // namespace pprofx
