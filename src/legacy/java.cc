// Java heapz / contentionz text and the symbol table shared with the Java CPU
// profile: pprof's legacy_java_profile.go.
#include <fmt/format.h>
#include <re2/re2.h>

#include "pprofx/base/strings.h"
#include "legacy_profile.h"

namespace pprofx::legacy {
namespace {

// Lines of b up to (not including) the last newline-less remainder, as
// pprof's Java parsers walk them; `rest` is left at the first unconsumed line.
template <typename F>
void for_each_complete_line(std::string_view& rest, F&& f) {
  for (size_t nl; (nl = rest.find('\n')) != std::string_view::npos;) {
    if (!f(trim_space(rest.substr(0, nl)))) return;
    rest.remove_prefix(nl + 1);
  }
}

}  // namespace

std::string parse_java_locations(std::string_view b, LProfile& p) {
  static const RE2 location_re(R"(^\s*0x([[:xdigit:]]+)\s+(.*)\s*$)");
  static const RE2 file_line_re(R"(^(.*)\s+\((.+):(-?[[:digit:]]+)\)$)");
  static const RE2 path_re(R"(^(.*)\s+\((.*)\)$)");
  std::unordered_map<std::string, int> functions;
  while (!b.empty()) {
    const size_t nl = b.find('\n');
    std::string_view line = b.substr(0, nl);
    b.remove_prefix(nl == std::string_view::npos ? b.size() : nl + 1);
    line = trim_space(line);
    if (line.empty()) continue;
    std::string hex, rest;
    if (!RE2::PartialMatch(line, location_re, &hex, &rest)) continue;
    uint64_t addr = 0;
    if (!go_parse_uint(hex, 16, &addr)) {
      return fmt::format("parsing sample {}: strconv.ParseUint: parsing \"{}\": value out of range", line, hex);
    }
    auto loc = p.by_address.find(addr);
    if (loc == p.by_address.end() || loc->second < 0) continue;  // unused
    std::string func, file, number;
    int64_t line_no = 0;
    if (RE2::PartialMatch(rest, file_line_re, &func, &file, &number)) {
      int64_t n = 0;
      if (go_parse_int(number, 10, &n) && n > 0) line_no = n;
    } else if (RE2::PartialMatch(rest, path_re, &func, &file)) {
      file = base_name(file);  // a shared library: its name is enough
    } else if (rest.find("generated stub/JIT") != std::string::npos) {
      func = "STUB";
      file.clear();
    } else {
      func = rest;  // internal states such as "GC" or "VM"
      file.clear();
    }
    auto [fn, added] = functions.try_emplace(func, static_cast<int>(p.functions.size()));
    if (added) p.functions.push_back(LFunction{func, file});
    LLocation& l = p.locations[loc->second];
    l.function = fn->second;
    l.line = line_no;
    l.address = 0;
  }
  return finish_without_map(p);
}

void strip_java_addresses(LProfile& p) {
  for (LLocation& l : p.locations) l.address = 0;
}

Parsed parse_java_profile(std::string_view b) {
  const size_t nl = b.find('\n');
  if (nl == std::string_view::npos) return Parsed::unrecognized();
  const std::string_view header = trim_space(b.substr(0, nl));
  std::string type;
  if (header == "--- heapz 1 ---") {
    type = "heap";
  } else if (header == "--- contentionz 1 ---") {
    type = "contention";
  } else {
    return Parsed::unrecognized();
  }
  Parsed out;
  out.kind = Parsed::kOk;
  LProfile& p = out.profile;
  std::string_view rest = b.substr(nl + 1);

  // Attributes "name = value" until the first line that is not one.
  static const RE2 attribute_re(R"(([\w ]+)=([\w ]+))");
  std::string error;
  bool unrecognized = false;
  for_each_complete_line(rest, [&](std::string_view line) {
    if (line.empty()) return true;
    std::string name, value;
    if (!RE2::PartialMatch(line, attribute_re, &name, &value)) return false;
    const std::string key = type + "/" + std::string(trim_space(name));
    value = std::string(trim_space(value));
    if (key == "heap/format" || key == "contention/format") {
      if (value != "java") unrecognized = true;
    } else if (key == "heap/resolution") {
      p.sample_types = {{"inuse_objects", "count"}, {"inuse_space", value}};
    } else if (key == "contention/resolution") {
      p.sample_types = {{"contentions", "count"}, {"delay", value}};
    } else if (key == "contention/sampling period") {
      p.period_type = {"contentions", "count"};
      if (!go_parse_int(value, 0, &p.period)) {
        error = fmt::format("failed to parse attribute {}: strconv.ParseInt: parsing \"{}\": invalid syntax", line, value);
      }
    } else if (key == "contention/ms since reset") {
      int64_t ms = 0;
      if (!go_parse_int(value, 0, &ms)) {
        error = fmt::format("failed to parse attribute {}: strconv.ParseInt: parsing \"{}\": invalid syntax", line, value);
      }
      p.duration_nanos = static_cast<int64_t>(static_cast<uint64_t>(ms) * 1000 * 1000);
    } else {
      unrecognized = true;
    }
    return !unrecognized && error.empty();
  });
  if (unrecognized) return Parsed::unrecognized();
  if (!error.empty()) return Parsed::fail(std::move(error));

  // Samples "v2 v1 @ 0x..." (fields stored in reverse order).
  static const RE2 sample_re(R"( *(\d+) +(\d+) +@ +([ x0-9a-f]*))");
  for_each_complete_line(rest, [&](std::string_view line) {
    if (line.empty()) return true;
    std::string f1, f2, stack;
    if (!RE2::PartialMatch(line, sample_re, &f1, &f2, &stack)) return false;
    std::vector<uint64_t> addrs;
    std::string bad;
    if (!parse_hex_addresses(stack, &addrs, &bad)) {
      error = fmt::format("malformed sample: {}: failed to parse as hex 64-bit number: {}", line, bad);
      return false;
    }
    LSample s;
    for (uint64_t a : addrs) s.locations.push_back(p.location_for(a));
    s.values.assign(2, 0);
    if (!go_parse_int(f2, 0, &s.values[0]) || !go_parse_int(f1, 0, &s.values[1])) {
      error = fmt::format("parsing sample {}: strconv.ParseInt: parsing \"{}\": value out of range", line,
                          go_parse_int(f2, 0, &s.values[0]) ? f1 : f2);
      return false;
    }
    if (type == "heap") {
      constexpr int64_t kJavaHeapzSamplingRate = 524288;
      if (s.values[0] == 0) {
        error = fmt::format("parsing sample {}: second value must be non-zero", line);
        return false;
      }
      s.bytes_label = s.values[1] / s.values[0];
      std::tie(s.values[0], s.values[1]) = scale_heap_sample(s.values[0], s.values[1], kJavaHeapzSamplingRate);
    } else if (p.period != 0) {
      s.values[0] = static_cast<int64_t>(static_cast<uint64_t>(s.values[0]) * static_cast<uint64_t>(p.period));
      s.values[1] = static_cast<int64_t>(static_cast<uint64_t>(s.values[1]) * static_cast<uint64_t>(p.period));
    }
    p.samples.push_back(std::move(s));
    return true;
  });
  if (!error.empty()) return Parsed::fail(std::move(error));
  if (std::string e = parse_java_locations(rest, p); !e.empty()) return Parsed::fail(std::move(e));
  strip_java_addresses(p);
  return out;
}

}  // namespace pprofx::legacy
