// Shared pieces of the legacy parsers: Go-compatible line scanning and number
// parsing, hex address lists, heap un-sampling.
#include <cmath>
#include <limits>

#include <re2/re2.h>

#include "legacy_profile.h"

namespace pprofx::legacy {

int LProfile::location_for(uint64_t address) {
  auto [it, added] = by_address.try_emplace(address, static_cast<int>(locations.size()));
  if (added) {
    LLocation l;
    l.address = address;
    locations.push_back(l);
  }
  return it->second;
}

bool Scanner::scan() {
  line_ = {};
  if (too_long_ || pos_ >= b_.size()) return false;
  ++number_;
  size_t end = b_.find('\n', pos_);
  const bool newline = end != std::string_view::npos;
  if (!newline) end = b_.size();
  constexpr size_t kMax = 64 * 1024;  // bufio.MaxScanTokenSize
  if (end - pos_ + (newline ? 1 : 0) > kMax) {
    too_long_ = true;
    return false;
  }
  line_ = b_.substr(pos_, end - pos_);
  if (!line_.empty() && line_.back() == '\r') line_.remove_suffix(1);
  pos_ = newline ? end + 1 : end;
  return true;
}

std::string_view trim_space(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

bool is_space_or_comment(std::string_view line) {
  line = trim_space(line);
  return line.empty() || line[0] == '#';
}

bool is_memory_map_sentinel(std::string_view line) {
  return line.find("--- Memory map: ---") != std::string_view::npos ||
         line.find("MAPPED_LIBRARIES:") != std::string_view::npos;
}

namespace {

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

// Magnitude of an unsigned number in Go's syntax for `base` (0: prefixed).
bool parse_magnitude(std::string_view s, int base, uint64_t* out) {
  if (s.empty()) return false;
  if (base == 0) {
    base = 10;
    if (s[0] == '0') {
      if (s.size() >= 3 && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s.remove_prefix(2);
      } else if (s.size() >= 3 && (s[1] == 'o' || s[1] == 'O')) {
        base = 8;
        s.remove_prefix(2);
      } else if (s.size() >= 3 && (s[1] == 'b' || s[1] == 'B')) {
        base = 2;
        s.remove_prefix(2);
      } else {
        base = 8;
        s.remove_prefix(1);
        if (s.empty()) {
          *out = 0;
          return true;
        }
      }
    }
  }
  uint64_t v = 0;
  for (char c : s) {
    const int d = digit_value(c);
    if (d >= base) return false;
    if (v > (std::numeric_limits<uint64_t>::max() - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base)) {
      return false;
    }
    v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
  }
  *out = v;
  return true;
}

}  // namespace

bool go_parse_uint(std::string_view s, int base, uint64_t* out) { return parse_magnitude(s, base, out); }

bool go_parse_int(std::string_view s, int base, int64_t* out) {
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  uint64_t m = 0;
  if (!parse_magnitude(s, base, &m)) return false;
  constexpr uint64_t kMaxPos = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (neg) {
    if (m > kMaxPos + 1) return false;
    *out = m == kMaxPos + 1 ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(m);
  } else {
    if (m > kMaxPos) return false;
    *out = static_cast<int64_t>(m);
  }
  return true;
}

bool parse_hex_addresses(std::string_view s, std::vector<uint64_t>* out, std::string* bad) {
  static const RE2 hex_number(R"((0x[0-9a-f]+))");
  re2::StringPiece input(s.data(), s.size());
  re2::StringPiece piece;
  while (RE2::FindAndConsume(&input, hex_number, &piece)) {
    const std::string_view match(piece.data(), piece.size());
    uint64_t a = 0;
    if (!go_parse_uint(match, 0, &a)) {
      *bad = std::string(match);
      return false;
    }
    out->push_back(a);
  }
  return true;
}

int64_t go_float_to_int(double v) {
  if (!(v >= -9223372036854775808.0 && v < 9223372036854775808.0)) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v);
}

std::pair<int64_t, int64_t> scale_heap_sample(int64_t count, int64_t size, int64_t rate) {
  if (count == 0 || size == 0) return {0, 0};
  if (rate <= 1) return {count, size};
  const double avg = static_cast<double>(size) / static_cast<double>(count);
  const double scale = 1 / (1 - std::exp(-avg / static_cast<double>(rate)));
  return {go_float_to_int(static_cast<double>(count) * scale), go_float_to_int(static_cast<double>(size) * scale)};
}

void cleanup_duplicate_locations(LProfile& p) {
  for (LSample& s : p.samples) {
    if (s.locations.size() > 1 &&
        p.locations[s.locations[0]].address == p.locations[s.locations[1]].address + 1) {
      s.locations.erase(s.locations.begin() + 1);
    }
  }
}

}  // namespace pprofx::legacy
