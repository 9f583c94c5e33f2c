// The "#" lines of Go's debug=1 count profiles (runtime/pprof's
// printCountProfile and printStackRecord), which pprof skips as comments:
//   # labels: {"key":"value", "k2":"v2"}
//   #	0x13ac449	main.shortSleepLoop+0x29	/src/main.go:165
// A frame's PC is the stack's address - 1, the location pprof makes of it.
#include <string>

#include "legacy_profile.h"
#include "pprofx/base/strings.h"

namespace pprofx::legacy {
namespace {

// A Go %q string at the start of s (strconv.Quote's escapes), consumed; false if s does not start with one.
bool unquote(std::string_view& s, std::string* out) {
  if (s.empty() || s.front() != '"') return false;
  out->clear();
  size_t i = 1;
  while (i < s.size() && s[i] != '"') {
    if (s[i] != '\\') {
      *out += s[i++];
      continue;
    }
    if (++i >= s.size()) return false;
    const char e = s[i++];
    size_t digits = 0;
    switch (e) {
      case 'a': *out += '\a'; break;
      case 'b': *out += '\b'; break;
      case 'f': *out += '\f'; break;
      case 'n': *out += '\n'; break;
      case 'r': *out += '\r'; break;
      case 't': *out += '\t'; break;
      case 'v': *out += '\v'; break;
      case '\\': case '"': case '\'': *out += e; break;
      case 'x': digits = 2; break;
      case 'u': digits = 4; break;
      case 'U': digits = 8; break;
      default:
        if (e < '0' || e > '7' || i + 2 > s.size()) return false;  // \NNN octal
        {
          uint32_t v = static_cast<uint32_t>(e - '0');
          for (size_t k = 0; k < 2; ++k, ++i) {
            if (s[i] < '0' || s[i] > '7') return false;
            v = v * 8 + static_cast<uint32_t>(s[i] - '0');
          }
          *out += static_cast<char>(v & 0xFF);
        }
    }
    if (digits == 0) continue;
    uint32_t v = 0;
    if (i + digits > s.size() || !parse_hex_digits(s.substr(i, digits), &v)) return false;
    i += digits;
    if (e == 'x') {
      *out += static_cast<char>(v);
    } else {
      append_utf8(*out, v);
    }
  }
  if (i >= s.size()) return false;
  s.remove_prefix(i + 1);
  return true;
}

// {"k":"v", "k2":"v2"}: the pairs, or none when the text is not of that form.
std::vector<std::pair<std::string, std::string>> parse_labels(std::string_view s) {
  std::vector<std::pair<std::string, std::string>> out;
  s = trim_space(s);
  if (s.size() < 2 || s.front() != '{' || s.back() != '}') return {};
  s = trim_space(s.substr(1, s.size() - 2));
  while (!s.empty()) {
    std::string k, v;
    if (!unquote(s, &k) || s.empty() || s.front() != ':') return {};
    s.remove_prefix(1);
    if (!unquote(s, &v)) return {};
    out.emplace_back(std::move(k), std::move(v));
    s = trim_space(s);
    if (s.empty()) break;
    if (s.front() != ',') return {};
    s = trim_space(s.substr(1));
  }
  return out;
}

int dump_function(LProfile& p, std::string_view name, std::string_view file) {
  std::string key(name);
  key += '\0';
  key += file;
  auto [it, inserted] = p.dump_function_of.try_emplace(std::move(key), static_cast<int>(p.functions.size()));
  if (inserted) p.functions.push_back({std::string(name), std::string(file)});
  return it->second;
}

}  // namespace

void read_dump_comment(std::string_view line, size_t sample, LProfile& p) {
  line = trim_space(line);
  if (line.empty() || line.front() != '#' || sample >= p.samples.size()) return;
  line = trim_space(line.substr(1));
  if (line.substr(0, 7) == "labels:") {
    p.samples[sample].labels = parse_labels(line.substr(7));
    return;
  }
  // 0xPC [FUNCTION+0xOFF FILE:LINE]
  const size_t end = std::min(line.find_first_of(" \t"), line.size());
  uint64_t pc = 0;
  if (line.substr(0, 2) != "0x" || !go_parse_uint(line.substr(0, end), 0, &pc)) return;
  const auto it = p.by_address.find(pc);
  if (it == p.by_address.end()) return;
  LLocation& l = p.locations[static_cast<size_t>(it->second)];
  if (l.dump_named && l.dump_sample != sample) return;  // named by an earlier block already
  l.dump_named = true;
  l.dump_sample = sample;
  std::string_view rest = trim_space(line.substr(end));
  if (rest.empty()) return;  // "#\t0xPC": Go knows no name for it either
  const size_t sp = std::min(rest.find_first_of(" \t"), rest.size());
  std::string_view function = rest.substr(0, sp);
  if (const size_t plus = function.rfind("+0x"); plus != std::string_view::npos && plus > 0) {
    function = function.substr(0, plus);
  }
  const std::string_view where = trim_space(rest.substr(sp));
  std::string_view file = where;
  int64_t number = 0;
  if (const size_t colon = where.rfind(':'); colon != std::string_view::npos &&
                                             go_parse_int(where.substr(colon + 1), 10, &number)) {
    file = where.substr(0, colon);
  } else {
    number = 0;
  }
  l.dump_frames.push_back({dump_function(p, function, file), number});
}

void use_dump_frames(LProfile& p, bool use) {
  if (!use) {  // pprof's reading: the functions made for the "#" lines go (Go count profiles have no others)
    p.functions.clear();
    for (LLocation& l : p.locations) l.dump_frames.clear();
    for (LSample& s : p.samples) s.labels.clear();
    return;
  }
  bool named = false;
  for (const LLocation& l : p.locations) named = named || l.dump_named;
  if (!named) return;  // a dump without "#" lines: addresses, as pprof reads them
  p.use_dump_frames = true;
  for (LSample& s : p.samples) {
    std::erase_if(s.locations, [&](int l) { return !p.locations[static_cast<size_t>(l)].dump_named; });
  }
}

}  // namespace pprofx::legacy
