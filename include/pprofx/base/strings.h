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

// Escapes & < > " ' for XML text and attributes.
void append_xml_escaped(std::string& out, std::string_view s);
std::string xml_escaped(std::string_view s);

// Escapes for a JSON string literal (without the quotes).
std::string json_escaped(std::string_view s);

// For a terminal: control characters (C0, DEL, C1) and bytes that are not
// valid UTF-8 become \xNN (\n, \r, \t as such), so a name from a profile or
// a command line cannot move the cursor, recolour or clear the screen.
std::string terminal_escaped(std::string_view s);

// Parses a whole decimal integer (optional sign); false if s is not one.
bool parse_int64(std::string_view s, int64_t* out);

}  // namespace pprofx
