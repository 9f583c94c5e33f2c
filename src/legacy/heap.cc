// Heap text profiles (heap_v2, heapz_v2, old Go heap/, heapprofile, growthz,
// fragmentationz): pprof's parseHeap, parseHeapHeader, parseHeapSample.
#include <fmt/format.h>
#include <re2/re2.h>

#include "legacy_profile.h"

namespace pprofx::legacy {
namespace {

struct Header {
  std::string sampling;
  int64_t period = 0;
  bool has_alloc = false;
};

// parseHeapHeader; false: unrecognized.
bool parse_heap_header(std::string_view line, const RE2& re, Header* h) {
  std::string n1, b1, n2, b2, kind, rate;
  if (!RE2::PartialMatch(line, re, &n1, &b1, &n2, &b2, &kind, &rate)) return false;
  if (!rate.empty() && !go_parse_int(rate, 10, &h->period)) return false;
  h->has_alloc = (n2 != n1 && n2 != "0") || (b2 != b1 && b2 != "0");
  if (kind == "heapz_v2" || kind == "heap_v2") {
    h->sampling = "v2";
  } else if (kind == "heapprofile") {
    h->period = 1;
  } else if (kind == "heap") {
    h->sampling = "v2";
    h->period /= 2;
  } else {
    return false;
  }
  return true;
}

std::string range_error(std::string_view line, std::string_view number) {
  return fmt::format("malformed sample: {}: strconv.ParseInt: parsing \"{}\": value out of range", line, number);
}

// parseHeapSample; returns pprof's error text or "".
std::string parse_heap_sample(std::string_view line, const Header& h, LSample* s, std::vector<uint64_t>* addrs) {
  static const RE2 sample_re(R"((-?\d+): *(-?\d+) *\[ *(\d+): *(\d+) *] @([ x0-9a-f]*))");
  std::string f[5];
  if (!RE2::PartialMatch(line, sample_re, &f[0], &f[1], &f[2], &f[3], &f[4])) {
    return "unexpected number of sample values: got 0, want 6";
  }
  int64_t blocksize = 0;
  auto add = [&](const std::string& cs, const std::string& ss, std::string_view label) -> std::string {
    int64_t count = 0, size = 0;
    if (!go_parse_int(cs, 10, &count)) return range_error(line, cs);
    if (!go_parse_int(ss, 10, &size)) return range_error(line, ss);
    if (count == 0 && size != 0) return fmt::format("{} count was 0 but {} bytes was {}", label, label, size);
    if (count != 0) {
      blocksize = size == std::numeric_limits<int64_t>::min() && count == -1 ? size : size / count;
      if (h.sampling == "v2") std::tie(count, size) = scale_heap_sample(count, size, h.period);
    }
    s->values.push_back(count);
    s->values.push_back(size);
    return {};
  };
  if (h.has_alloc) {
    if (std::string e = add(f[2], f[3], "allocation"); !e.empty()) return e;
  }
  if (std::string e = add(f[0], f[1], "inuse"); !e.empty()) return e;
  std::string bad;
  if (!parse_hex_addresses(f[4], addrs, &bad)) {
    return fmt::format("malformed sample: {}: failed to parse as hex 64-bit number: {}", line, bad);
  }
  s->bytes_label = blocksize;
  return {};
}

}  // namespace

Parsed parse_heap(std::string_view b) {
  static const RE2 heap_header(R"(heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] *@ *(heap[_a-z0-9]*)/?(\d*))");
  static const RE2 growth_header(R"(heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] @ growthz?)");
  static const RE2 fragmentation_header(R"(heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] @ fragmentationz?)");
  Scanner s(b);
  if (!s.scan()) return s.failed() ? Parsed::fail(std::string(Scanner::kTooLong)) : Parsed::unrecognized();
  Parsed out;
  out.kind = Parsed::kOk;
  LProfile& p = out.profile;
  p.period_type = {"space", "bytes"};
  Header h;
  const std::string_view first = s.text();
  if (RE2::PartialMatch(first, heap_header)) {
    if (!parse_heap_header(first, heap_header, &h)) return Parsed::unrecognized();
    p.period = h.period;
  } else if (RE2::PartialMatch(first, growth_header) || RE2::PartialMatch(first, fragmentation_header)) {
    p.period = 1;
  } else {
    return Parsed::unrecognized();
  }
  if (h.has_alloc) {
    p.sample_types = {{"alloc_objects", "count"}, {"alloc_space", "bytes"},
                      {"inuse_objects", "count"}, {"inuse_space", "bytes"}};
  } else {
    p.sample_types = {{"objects", "count"}, {"space", "bytes"}};
  }
  std::vector<uint64_t> addrs;
  while (s.scan()) {
    const std::string_view line = trim_space(s.text());
    if (is_space_or_comment(line)) continue;
    if (is_memory_map_sentinel(line)) break;
    LSample sample;
    addrs.clear();
    if (std::string e = parse_heap_sample(line, h, &sample, &addrs); !e.empty()) return Parsed::fail(std::move(e));
    for (uint64_t a : addrs) sample.locations.push_back(p.location_for(a - 1));
    p.samples.push_back(std::move(sample));
  }
  if (s.failed()) return Parsed::fail(std::string(Scanner::kTooLong));
  if (std::string e = parse_additional_sections(s, p); !e.empty()) return Parsed::fail(std::move(e));
  return out;
}

}  // namespace pprofx::legacy
