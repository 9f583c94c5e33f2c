#include "config_file.h"

#include <iterator>
#include <sstream>

#include "pprofx/base/strings.h"

namespace pprofx::cli {
namespace {

// The basic string starting after the quote at s[i]: its unescaped value and
// the index after its closing quote; false when it is not one (unterminated,
// a bad escape), so the text is left to CLI11 as it was.
bool basic_string(const std::string& s, size_t i, std::string* value, size_t* end) {
  value->clear();
  for (size_t j = i; j < s.size(); ++j) {
    const char c = s[j];
    if (c == '\n') return false;
    if (c == '"') {
      *end = j + 1;
      return true;
    }
    if (c != '\\') {
      *value += c;
      continue;
    }
    if (++j >= s.size()) return false;
    switch (s[j]) {
      case '\\': *value += '\\'; break;
      case '"': *value += '"'; break;
      case 't': *value += '\t'; break;
      case 'n': *value += '\n'; break;
      case 'r': *value += '\r'; break;
      case 'b': *value += '\b'; break;
      case 'f': *value += '\f'; break;
      case 'u':
      case 'U': {
        const size_t digits = s[j] == 'u' ? 4 : 8;
        uint32_t code = 0;
        if (j + digits >= s.size() || !parse_hex_digits(std::string_view(s).substr(j + 1, digits), &code)) return false;
        if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return false;
        append_utf8(*value, code);
        j += digits;
        break;
      }
      default: return false;
    }
  }
  return false;
}

}  // namespace

std::string literal_strings(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  std::string value;
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == '#') {  // a comment, to the end of the line
      const size_t nl = s.find('\n', i);
      const size_t stop = nl == std::string::npos ? s.size() : nl;
      out.append(s, i, stop - i);
      i = stop;
    } else if (c == '\'') {  // a literal string: kept
      const size_t close = s.find_first_of("'\n", i + 1);
      const size_t stop = close == std::string::npos ? s.size() : close + (s[close] == '\'');
      out.append(s, i, stop - i);
      i = stop;
    } else if (c == '"' && s.compare(i, 3, "\"\"\"") != 0) {
      size_t end = 0;
      if (basic_string(s, i + 1, &value, &end) && value.find_first_of("'\n") == std::string::npos) {
        out += '\'';
        out += value;
        out += '\'';
        i = end;
      } else {
        out += c;
        ++i;
      }
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

std::vector<CLI::ConfigItem> TomlConfig::from_config(std::istream& input) const {
  const std::string text{std::istreambuf_iterator<char>(input), std::istreambuf_iterator<char>()};
  std::istringstream rewritten(literal_strings(text));
  return CLI::ConfigTOML::from_config(rewritten);
}

}  // namespace pprofx::cli
