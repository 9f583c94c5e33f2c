// Go count profiles (goroutine/threadcreate debug=1 text), threadz and
// contention text: pprof's parseGoCount, parseThread and parseContention.
#include <fmt/format.h>
#include <re2/re2.h>

#include "legacy_profile.h"
#include "pprofx/base/strings.h"

namespace pprofx::legacy {
namespace {

Parsed too_long() { return Parsed::fail(std::string(Scanner::kTooLong)); }

Parsed ok_profile() {
  Parsed out;
  out.kind = Parsed::kOk;
  return out;
}

}  // namespace

Parsed parse_go_count(std::string_view b) {
  static const RE2 start_re(R"(\A(\S+) profile: total \d+\z)");
  static const RE2 count_re(R"(\A(\d+) @(( 0x[0-9a-f]+)+)\z)");
  Scanner s(b);
  while (s.scan() && is_space_or_comment(s.text())) {
  }
  if (s.failed()) return too_long();
  std::string type;
  if (!RE2::FullMatch(s.text(), start_re, &type)) return Parsed::unrecognized();
  Parsed out = ok_profile();
  LProfile& p = out.profile;
  p.period_type = {type, "count"};
  p.period = 1;
  p.sample_types = {{type, "count"}};
  // pprof's text, with the line (pprofx's addition: a dump is read by people).
  auto malformed = [&s](std::string_view line) {
    return Parsed::fail(fmt::format("line {}: malformed profile format (expected \"COUNT @ 0xADDR...\", got \"{}\")",
                                    s.number(), text_escaped(line.substr(0, 60))));
  };
  while (s.scan()) {
    const std::string_view line = s.text();
    if (is_space_or_comment(line)) {
      if (!p.samples.empty()) read_dump_comment(line, p.samples.size() - 1, p);  // what pprof skips
      continue;
    }
    if (line.substr(0, 3) == "---") break;
    std::string n, stack;
    if (!RE2::FullMatch(line, count_re, &n, &stack)) return malformed(line);
    LSample sample;
    int64_t count = 0;
    if (!go_parse_int(n, 0, &count)) return malformed(line);
    std::string_view rest = stack;
    while (!rest.empty()) {
      rest = trim_space(rest);
      const size_t sp = std::min(rest.find(' '), rest.size());
      uint64_t addr = 0;
      if (!go_parse_uint(rest.substr(0, sp), 0, &addr)) return malformed(line);
      sample.locations.push_back(p.location_for(addr - 1));  // every frame, leaf too
      rest.remove_prefix(sp);
    }
    sample.values = {count};
    p.samples.push_back(std::move(sample));
  }
  if (s.failed()) return too_long();
  if (std::string e = parse_additional_sections(s, p); !e.empty()) return Parsed::fail(std::move(e));
  return out;
}

namespace {

const RE2& thread_start_re() {
  static const RE2 re(R"(--- Thread ([[:xdigit:]]+) \(name: (.*)/(\d+)\) stack: ---)");
  return re;
}

// parseThreadSample: the addresses of one thread's stack (none for a "same as
// previous thread" block) and the line after it. Returns an error text or "".
std::string parse_thread_sample(Scanner& s, std::string* next, std::vector<uint64_t>* addrs) {
  bool same_as_previous = false;
  std::string line;
  while (s.scan()) {
    line = std::string(trim_space(s.text()));
    if (line.empty()) continue;
    if (line.rfind("---", 0) == 0) break;
    if (line.find("same as previous thread") != std::string::npos) {
      same_as_previous = true;
      continue;
    }
    std::string bad;
    if (!parse_hex_addresses(line, addrs, &bad)) {
      return fmt::format("malformed sample: {}: failed to parse as hex 64-bit number: {}", line, bad);
    }
  }
  if (s.failed()) return std::string(Scanner::kTooLong);
  if (same_as_previous) addrs->clear();
  *next = std::move(line);
  return {};
}

}  // namespace

Parsed parse_thread(std::string_view b) {
  static const RE2 threadz_re(R"(--- threadz \d+ ---)");
  Scanner s(b);
  while (s.scan() && is_space_or_comment(s.text())) {
  }
  std::string line(s.text());
  if (RE2::PartialMatch(line, threadz_re)) {
    while (s.scan()) {
      line = std::string(s.text());
      if (is_memory_map_sentinel(line) || line.rfind('-', 0) == 0) break;
    }
  } else if (!RE2::PartialMatch(line, thread_start_re())) {
    return Parsed::unrecognized();
  }
  Parsed out = ok_profile();
  LProfile& p = out.profile;
  p.sample_types = {{"thread", "count"}};
  p.period_type = {"thread", "count"};
  p.period = 1;
  std::vector<uint64_t> addrs;
  while (!is_memory_map_sentinel(line)) {
    if (line.rfind("---- no stack trace for", 0) == 0) break;
    if (!RE2::PartialMatch(line, thread_start_re())) return Parsed::unrecognized();
    addrs.clear();
    if (std::string e = parse_thread_sample(s, &line, &addrs); !e.empty()) return Parsed::fail(std::move(e));
    if (addrs.empty()) {  // "same as previous thread"
      if (!p.samples.empty()) ++p.samples.back().values[0];
      continue;
    }
    LSample sample;
    for (size_t i = 0; i < addrs.size(); ++i) sample.locations.push_back(p.location_for(i > 0 ? addrs[i] - 1 : addrs[i]));
    sample.values = {1};
    p.samples.push_back(std::move(sample));
  }
  if (std::string e = parse_additional_sections(s, p); !e.empty()) return Parsed::fail(std::move(e));
  cleanup_duplicate_locations(p);
  return out;
}

Parsed parse_contention(std::string_view b) {
  Scanner s(b);
  if (!s.scan()) return s.failed() ? too_long() : Parsed::unrecognized();
  const std::string_view first = s.text();
  if (first.rfind("--- contentionz ", 0) != 0 && first.rfind("--- mutex:", 0) != 0 &&
      first.rfind("--- contention:", 0) != 0) {
    return Parsed::unrecognized();
  }
  Parsed out = ok_profile();
  LProfile& p = out.profile;
  p.period_type = {"contentions", "count"};
  p.period = 1;
  p.sample_types = {{"contentions", "count"}, {"delay", "nanoseconds"}};
  int64_t cpu_hz = 0;
  while (s.scan()) {
    const std::string_view line = trim_space(s.text());
    if (is_space_or_comment(line)) continue;
    if (line.rfind("---", 0) == 0) break;
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) break;
    const std::string_view key = trim_space(line.substr(0, eq)), val = trim_space(line.substr(eq + 1));
    if (key == "cycles/second") {
      if (!go_parse_int(val, 0, &cpu_hz)) return Parsed::unrecognized();
    } else if (key == "sampling period") {
      if (!go_parse_int(val, 0, &p.period)) return Parsed::unrecognized();
    } else if (key == "ms since reset") {
      int64_t ms = 0;
      if (!go_parse_int(val, 0, &ms)) return Parsed::unrecognized();
      p.duration_nanos = static_cast<int64_t>(static_cast<uint64_t>(ms) * 1000 * 1000);
    } else if (key != "discarded samples") {
      return Parsed::unrecognized();  // includes "format" and "resolution": the Java variant
    }
  }
  if (s.failed()) return too_long();
  static const RE2 sample_re(R"((\d+) *(\d+) @([ x0-9a-f]*))");
  std::vector<uint64_t> addrs;
  for (;;) {
    const std::string_view line = trim_space(s.text());
    if (line.rfind("---", 0) == 0) break;
    if (!is_space_or_comment(line)) {
      std::string f1, f2, f3;
      if (!RE2::PartialMatch(line, sample_re, &f1, &f2, &f3)) return Parsed::unrecognized();
      int64_t v1 = 0, v2 = 0;
      for (auto [text, v] : {std::pair{&f1, &v1}, std::pair{&f2, &v2}}) {
        if (!go_parse_int(*text, 10, v)) {
          return Parsed::fail(fmt::format("malformed sample: {}: strconv.ParseInt: parsing \"{}\": value out of range",
                                          line, *text));
        }
      }
      if (p.period > 0) {
        if (cpu_hz > 0) {
          const double ghz = static_cast<double>(cpu_hz) / 1e9;
          v1 = go_float_to_int(static_cast<double>(v1) * static_cast<double>(p.period) / ghz);
        }
        v2 = static_cast<int64_t>(static_cast<uint64_t>(v2) * static_cast<uint64_t>(p.period));
      }
      addrs.clear();
      std::string bad;
      if (!parse_hex_addresses(f3, &addrs, &bad)) {
        return Parsed::fail(fmt::format("malformed sample: {}: failed to parse as hex 64-bit number: {}", line, bad));
      }
      LSample sample;
      sample.values = {v2, v1};
      for (uint64_t a : addrs) sample.locations.push_back(p.location_for(a - 1));
      p.samples.push_back(std::move(sample));
    }
    if (!s.scan()) break;
  }
  if (s.failed()) return too_long();
  if (std::string e = parse_additional_sections(s, p); !e.empty()) return Parsed::fail(std::move(e));
  return out;
}

}  // namespace pprofx::legacy
