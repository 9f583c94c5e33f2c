// The memory map that ends legacy profiles, and pprof's fix-ups that follow
// it: massageMappings, remapLocationIDs, remapFunctionIDs, remapMappingIDs
// (profile/legacy_profile.go, profile/profile.go).
#include <fmt/format.h>
#include <re2/re2.h>

#include "legacy_profile.h"

namespace pprofx::legacy {
namespace {

// A memory-map line after $attr substitution may be this long: each $x can
// stand for a 64 KiB value, so one line could otherwise expand to gigabytes
// (pprof would build it).
constexpr size_t kMaxExpandedLine = 1 << 20;

// Go's strings.NewReplacer(old1, new1, ...): left to right, at each position
// the first pair (in argument order) whose old string matches. False when the
// result would pass kMaxExpandedLine.
bool replace_attrs(std::string_view s, const std::vector<std::pair<std::string, std::string>>& attrs,
                   std::string* result) {
  std::string& out = *result;
  out.clear();
  if (attrs.empty()) {
    out.assign(s);
    return true;
  }
  size_t i = 0;
  while (i < s.size()) {
    if (out.size() > kMaxExpandedLine) return false;
    bool done = false;
    for (const auto& [from, to] : attrs) {
      if (!from.empty() && s.substr(i, from.size()) == from) {
        out += to;
        i += from.size();
        done = true;
        break;
      }
    }
    if (!done) out += s[i++];
  }
  return out.size() <= kMaxExpandedLine;
}

std::string_view remove_logging_info(std::string_view line) {
  static const RE2 log_info(R"(^[^\[\]]+:[0-9]+]\s)");
  re2::StringPiece in(line.data(), line.size());
  if (RE2::Consume(&in, log_info)) return {in.data(), in.size()};
  return line;
}

enum class Entry { kMapping, kSkip, kUnrecognized };

Entry parse_mapping_entry(const std::string& l, LMapping* m) {
  // Regular expressions of pprof's parseMappingEntry.
#define PPROFX_HEX R"((?:0x)?([[:xdigit:]]+))"
#define PPROFX_RANGE R"(\s*)" PPROFX_HEX R"([\s-]?\s*)" PPROFX_HEX ":?"
  static const RE2 proc_maps("^" PPROFX_RANGE R"((?:\s+([-rwxp]+))?(?:\s+([[:xdigit:]]+))?\s+[[:xdigit:]]+:[[:xdigit:]]+\s+[[:digit:]]+(?:\s+(\S+))?)");
  static const RE2 brief_maps("^" PPROFX_RANGE R"((?:\s+([-rwxp]+))?(?:\s+(\S+))?(?:\s+\(@([[:xdigit:]]+)\))?(?:\s+([[:xdigit:]]+))?)");
#undef PPROFX_RANGE
#undef PPROFX_HEX
  std::string start, end, perm, file, offset, build_id;
  if (RE2::PartialMatch(l, proc_maps, &start, &end, &perm, &offset, &file)) {
  } else if (RE2::PartialMatch(l, brief_maps, &start, &end, &perm, &file, &offset, &build_id)) {
  } else {
    return Entry::kUnrecognized;
  }
  if (!perm.empty() && perm.find('x') == std::string::npos) return Entry::kSkip;
  *m = LMapping{};
  m->file = file;
  m->build_id = build_id;
  if (!go_parse_uint(start, 16, &m->start) || !go_parse_uint(end, 16, &m->limit)) return Entry::kUnrecognized;
  if (!offset.empty() && !go_parse_uint(offset, 16, &m->offset)) return Entry::kUnrecognized;
  return Entry::kMapping;
}

bool adjacent(const LMapping& a, const LMapping& b) {
  if (!a.file.empty() && !b.file.empty() && a.file != b.file) return false;
  if (!a.build_id.empty() && !b.build_id.empty() && a.build_id != b.build_id) return false;
  if (a.limit != b.start) return false;
  if (a.offset != 0 && b.offset != 0 && a.offset + (a.limit - a.start) != b.offset) return false;
  return true;
}

// Locations of legacy profiles get their mapping only in remap_mapping_ids,
// after this runs, so merging pieces needs no location updates.
void massage_mappings(LProfile& p) {
  if (p.mappings.size() > 1) {
    std::vector<LMapping> merged{p.mappings[0]};
    for (size_t i = 1; i < p.mappings.size(); ++i) {
      const LMapping& m = p.mappings[i];
      LMapping& last = merged.back();
      if (adjacent(last, m)) {
        last.limit = m.limit;
        if (!m.file.empty()) last.file = m.file;
        if (!m.build_id.empty()) last.build_id = m.build_id;
        continue;
      }
      merged.push_back(m);
    }
    p.mappings = std::move(merged);
  }
  static const RE2 lib(R"(([.]so$|[.]so[._][0-9]+))");
  for (size_t i = 0; i < p.mappings.size(); ++i) {
    std::string file = p.mappings[i].file;
    for (size_t at; (at = file.find("(deleted)")) != std::string::npos;) file.erase(at, 9);
    const std::string_view f = trim_space(file);
    if (f.empty() || RE2::PartialMatch(f, lib) || f[0] == '[') continue;
    std::swap(p.mappings[0], p.mappings[i]);
    break;
  }
}

void remap_location_ids(LProfile& p) {
  std::vector<int> new_index(p.locations.size(), -1);
  std::vector<LLocation> kept;
  for (LSample& s : p.samples) {
    for (int& l : s.locations) {
      if (new_index[l] < 0) {
        new_index[l] = static_cast<int>(kept.size());
        kept.push_back(p.locations[l]);
      }
      l = new_index[l];
    }
  }
  p.locations = std::move(kept);
  for (auto& [address, index] : p.by_address) index = index >= 0 ? new_index[index] : -1;
}

void remap_function_ids(LProfile& p) {
  std::vector<int> new_index(p.functions.size(), -1);
  std::vector<LFunction> kept;
  auto remap = [&](int& f) {
    if (f < 0) return;
    if (new_index[f] < 0) {
      new_index[f] = static_cast<int>(kept.size());
      kept.push_back(p.functions[f]);
    }
    f = new_index[f];
  };
  for (LLocation& l : p.locations) {
    remap(l.function);
    for (LDumpFrame& d : l.dump_frames) remap(d.function);  // a Go debug=1 dump's names
  }
  p.functions = std::move(kept);
  p.dump_function_of.clear();  // no longer used
}

// pprof matches locations to mappings in O(locations x mappings); that work
// is bounded here so a hostile memory map cannot stall pprofx.
constexpr uint64_t kMaxMappingWork = 2'000'000'000;  // about 2 s

std::string remap_mapping_ids(LProfile& p) {
  if (!p.mappings.empty() && p.mappings[0].file.rfind("/anon_hugepage", 0) == 0 && p.mappings.size() > 1 &&
      p.mappings[0].limit == p.mappings[1].start) {
    p.mappings.erase(p.mappings.begin());
  }
  if (!p.mappings.empty()) {
    constexpr uint64_t kExpectedStart = 0x400000;
    LMapping& m = p.mappings[0];
    if (m.start - m.offset == kExpectedStart) {
      m.start = kExpectedStart;
      m.offset = 0;
    }
  }
  int fake = -1;
  uint64_t work = 0;
  for (LLocation& l : p.locations) {
    const uint64_t a = l.address;
    if (l.mapping >= 0 || a == 0) continue;
    work += 2 * p.mappings.size();
    if (work > kMaxMappingWork) {
      return fmt::format("{} locations x {} memory-map entries is too much to match (limit {} comparisons)",
                         p.locations.size(), p.mappings.size(), kMaxMappingWork);
    }
    for (size_t i = 0; i < p.mappings.size() && l.mapping < 0; ++i) {
      if (p.mappings[i].start <= a && a < p.mappings[i].limit) l.mapping = static_cast<int>(i);
    }
    for (size_t i = 0; i < p.mappings.size() && l.mapping < 0; ++i) {
      LMapping& m = p.mappings[i];
      if (m.offset != 0 && m.start - m.offset <= a && a < m.start) {
        m.start -= m.offset;
        m.offset = 0;
        l.mapping = static_cast<int>(i);
      }
    }
    if (l.mapping >= 0) continue;
    if (fake < 0) {
      LMapping f;
      f.limit = ~uint64_t{0};
      fake = static_cast<int>(p.mappings.size());
      p.mappings.push_back(f);
    }
    l.mapping = fake;
  }
  return {};
}

}  // namespace

std::string parse_memory_map(Scanner& s, LProfile& p) {
  std::vector<std::pair<std::string, std::string>> attrs;
  std::string line;
  for (size_t n = 1; s.scan(); ++n) {
    if (!replace_attrs(remove_logging_info(s.text()), attrs, &line)) {
      return fmt::format("memory map line {}: longer than {} bytes once its $attributes are substituted", n,
                         kMaxExpandedLine);
    }
    LMapping m;
    switch (parse_mapping_entry(line, &m)) {
      case Entry::kMapping:
        p.mappings.push_back(std::move(m));
        break;
      case Entry::kSkip:
        break;
      case Entry::kUnrecognized:
        if (size_t eq = line.find('='); eq != std::string::npos) {
          std::string key(1, '$');
          key.append(trim_space(std::string_view(line).substr(0, eq)));
          attrs.emplace_back(std::move(key), std::string(trim_space(std::string_view(line).substr(eq + 1))));
        }
        break;
    }
  }
  if (s.failed()) return std::string(Scanner::kTooLong);
  massage_mappings(p);
  remap_location_ids(p);
  remap_function_ids(p);
  return remap_mapping_ids(p);
}

std::string parse_additional_sections(Scanner& s, LProfile& p) {
  while (!is_memory_map_sentinel(s.text()) && s.scan()) {
  }
  if (s.failed()) return std::string(Scanner::kTooLong);
  return parse_memory_map(s, p);
}

std::string finish_without_map(LProfile& p) {
  remap_location_ids(p);
  remap_function_ids(p);
  return remap_mapping_ids(p);
}

}  // namespace pprofx::legacy
