// pprof's local symbolization, in process: locateBinaries (driver/fetch.go),
// newMapping + doLocalSymbolize (symbolizer.go), then demangleFunction.
#include "pprofx/symbolize/symbolize.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <glob.h>
#include <map>
#include <memory>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "elf_binary.h"
#include "pprofx/base/strings.h"

namespace pprofx::symbolize {
namespace {

bool is_regular_file(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string join(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  return clean_path(std::string(a) + "/" + std::string(b));
}

std::string dir_name(std::string_view path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return ".";
  return slash == 0 ? "/" : clean_path(path.substr(0, slash));
}

// pprof's Mapping.Unsymbolizable.
bool unsymbolizable(std::string_view file) {
  const std::string base = base_name(file);
  return starts_with(base, "[") || starts_with(base, "linux-vdso") || starts_with(file, "/dev/dri/");
}

bool is_http_url(std::string_view file) {
  const size_t colon = file.find("://");
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string scheme(file.substr(0, colon));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
  return scheme.find("http") != std::string::npos;
}

// Opened binaries, one per path however many mappings use it.
class BinaryCache {
 public:
  Result<ElfBinary*> get(const std::string& path) {
    auto it = cache_.find(path);
    if (it == cache_.end()) {
      auto opened = ElfBinary::open(path);
      if (!opened) {
        errors_[path] = opened.error().message;
        it = cache_.emplace(path, nullptr).first;
      } else {
        it = cache_.emplace(path, std::move(*opened)).first;
      }
    }
    if (!it->second) return Error{errors_[path]};
    return it->second.get();
  }

 private:
  std::map<std::string, std::unique_ptr<ElfBinary>> cache_;
  std::map<std::string, std::string> errors_;
};

// locateBinaries: the first candidate under the search path that opens as an
// ELF file with a matching build id; else the mapping's own path.
std::string locate(const std::string& file, const std::string& build_id, const std::vector<std::string>& search_path,
                   BinaryCache& cache, std::vector<std::string>* notes) {
  const std::string base = file.empty() ? "" : base_name(file);
  const std::string dir = file.empty() ? "" : dir_name(file);
  for (const std::string& root : search_path) {
    std::vector<std::string> names;
    if (!build_id.empty()) {
      names.push_back(join(join(root, build_id), base));
      glob_t g{};
      if (::glob(join(join(root, build_id), "*").c_str(), 0, nullptr, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; ++i) names.emplace_back(g.gl_pathv[i]);
      }
      globfree(&g);
      names.push_back(join(join(root, file), build_id));
      if (build_id.size() > 2) names.push_back(join(join(root, build_id.substr(0, 2)), build_id.substr(2) + ".debug"));
    }
    if (!file.empty()) {
      names.push_back(join(root, base));
      names.push_back(join(root, file));
      names.push_back(join(root, file + ".debug"));
      names.push_back(join(join(join(root, dir), ".debug"), base + ".debug"));
      names.push_back(join(join(join(join(root, "usr"), "lib/debug"), dir), base + ".debug"));
    }
    for (const std::string& name : names) {
      if (!is_regular_file(name)) continue;
      auto b = cache.get(name);
      if (!b) continue;
      if (!build_id.empty() && (*b)->build_id() != build_id) {
        notes->push_back(fmt::format("ignored {}: build ID {} is not {}", name, (*b)->build_id(), build_id));
        continue;
      }
      return name;
    }
  }
  return file;
}

struct FunctionKey {
  std::string name, file;
  bool operator==(const FunctionKey& o) const { return name == o.name && file == o.file; }
};
struct FunctionKeyHash {
  size_t operator()(const FunctionKey& k) const {
    return std::hash<std::string>()(k.name) * 31 + std::hash<std::string>()(k.file);
  }
};
using FunctionMap = std::unordered_map<FunctionKey, model::FunctionId, FunctionKeyHash>;

// Frames of each address (object addresses), on up to `threads` threads for
// many addresses: each thread has its own handle on the file (libdw handles
// are not shared across threads) and a contiguous address range, so it reads
// only its own compilation units. Results are in input order.
std::vector<std::vector<Frame>> resolve(ElfBinary& bin, const std::vector<uint64_t>& addresses, unsigned threads) {
  std::vector<std::vector<Frame>> out(addresses.size());
  constexpr size_t kPerThread = 2000;
  if (threads == 0) threads = std::min<unsigned>(4, std::max(1u, std::thread::hardware_concurrency()));
  threads = static_cast<unsigned>(std::min<size_t>(threads, addresses.size() / kPerThread));
  std::vector<std::unique_ptr<ElfBinary>> extra;
  for (unsigned t = 1; t < threads; ++t) {
    auto b = ElfBinary::open(bin.path());
    if (!b) break;
    extra.push_back(std::move(*b));
  }
  threads = static_cast<unsigned>(extra.size()) + 1;
  if (threads == 1) {
    for (size_t k = 0; k < addresses.size(); ++k) out[k] = bin.frames(addresses[k]);
    return out;
  }
  // Whole compilation units per thread (each unit's DIEs are walked once, by
  // one thread), largest first onto the least loaded thread.
  std::unordered_map<uint64_t, std::pair<uint64_t, std::vector<size_t>>> units;  // offset -> (size, addresses)
  for (size_t k = 0; k < addresses.size(); ++k) {
    const auto [offset, size] = bin.unit_of(addresses[k]);
    auto& u = units[offset];
    u.first = size;
    u.second.push_back(k);
  }
  std::vector<std::pair<uint64_t, std::vector<size_t>>*> by_size;
  for (auto& [offset, u] : units) by_size.push_back(&u);
  std::sort(by_size.begin(), by_size.end(), [](const auto* a, const auto* b) {
    return a->first != b->first ? a->first > b->first : a->second.front() < b->second.front();
  });
  std::vector<std::vector<size_t>> share(threads);
  std::vector<uint64_t> load(threads, 0);
  for (const auto* u : by_size) {
    const size_t t = static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    // A unit's cost: its size (the walk) plus a little per address.
    load[t] += u->first + 64 * u->second.size();
    share[t].insert(share[t].end(), u->second.begin(), u->second.end());
  }
  auto work = [&](ElfBinary& b, const std::vector<size_t>& mine) {
    for (size_t k : mine) out[k] = b.frames(addresses[k]);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, std::ref(*extra[t - 1]), std::cref(share[t]));
  work(bin, share[0]);
  for (std::thread& t : pool) t.join();
  return out;
}

// doLocalSymbolize for the locations of mapping m.
void symbolize_mapping(model::Profile& p, model::MappingId m, ElfBinary& bin, unsigned threads, FunctionMap& functions,
                       uint64_t& next_function_id, Report& r) {
  model::Mapping& mapping = p.mappings[m];
  std::vector<model::LocationId> locations;
  for (model::LocationId i : p.locations.ids()) {
    if (p.locations[i].mapping == m) locations.push_back(i);
  }
  if (locations.empty()) return;
  // The base, from the first address (pprof: the first SourceLine call).
  const uint64_t first = p.locations[locations[0]].address;
  if ((first < mapping.memory_start || first >= mapping.memory_limit) &&
      !(mapping.memory_start == 0 && mapping.memory_limit == 0) && mapping.memory_limit != ~uint64_t{0}) {
    r.problems.emplace_back(base_name(p.str(mapping.filename)),
                            fmt::format("address {:#x} is outside the mapping [{:#x}, {:#x})", first,
                                        mapping.memory_start, mapping.memory_limit));
    return;
  }
  auto b = bin.base_for(mapping.memory_start, mapping.memory_limit, mapping.file_offset, first);
  if (!b) {
    r.problems.emplace_back(base_name(p.str(mapping.filename)), b.error().message);
    return;
  }
  std::vector<uint64_t> addresses;
  addresses.reserve(locations.size());
  for (model::LocationId i : locations) addresses.push_back(p.locations[i].address - *b);
  const std::vector<std::vector<Frame>> resolved = resolve(bin, addresses, threads);

  for (size_t k = 0; k < locations.size(); ++k) {
    const std::vector<Frame>& frames = resolved[k];
    model::Location& l = p.locations[locations[k]];
    if (frames.empty()) {
      ++r.locations_unresolved;
      continue;
    }
    ++r.locations_resolved;
    l.lines_begin = static_cast<uint32_t>(p.lines.size());
    l.lines_count = static_cast<uint32_t>(frames.size());
    l.is_folded = false;
    for (const Frame& f : frames) {
      mapping.has_functions |= !f.function.empty();
      mapping.has_filenames |= !f.file.empty();
      mapping.has_line_numbers |= f.line != 0;
      auto [it, added] = functions.try_emplace(FunctionKey{f.function, f.file}, p.functions.next_id());
      if (added) {
        model::Function fn;
        fn.file_id = next_function_id++;
        fn.name = fn.system_name = p.strings.intern(f.function);
        fn.filename = p.strings.intern(f.file);
        fn.start_line = f.start_line;
        p.functions.push_back(fn);
      }
      p.lines.push_back({it->second, f.line, 0});
    }
    mapping.has_inline_frames = true;
  }
  ++r.mappings_symbolized;
}

void demangle_functions(model::Profile& p, bool force, DemangleMode mode) {
  for (model::Function& f : p.functions) {
    if (force && f.name != model::kEmptyStr && f.system_name != model::kEmptyStr) f.name = f.system_name;
    if (f.name != model::kEmptyStr && f.system_name != f.name) continue;  // already demangled
    const std::string_view system = p.str(f.system_name);
    const std::string d = demangle(system, mode);
    f.name = d == system ? f.system_name : p.strings.intern(d);
  }
}

}  // namespace

std::vector<std::string> default_search_path() {
  std::vector<std::string> out;
  const char* env = std::getenv("PPROF_BINARY_PATH");
  std::string list;
  if (env != nullptr && *env != '\0') {
    list = env;
  } else if (const char* home = std::getenv("HOME"); home != nullptr) {
    list = std::string(home) + "/pprof/binaries";
  }
  for (size_t i = 0; i <= list.size();) {
    const size_t colon = std::min(list.find(':', i), list.size());
    if (colon > i) out.push_back(list.substr(i, colon - i));
    i = colon + 1;
  }
  return out;
}

Report symbolize(model::Profile& p, const Options& o) {
  Report r;
  if (o.mode == Mode::kNone) return r;
  const bool force = o.mode == Mode::kForce || o.demangle_given;

  if (!o.main_binary.empty()) {
    if (p.mappings.empty()) {  // pprof's fake mapping, so a non-PIE binary can be used
      model::Mapping fake;
      fake.file_id = 1;
      p.mappings.push_back(fake);
      for (model::Location& l : p.locations) l.mapping = model::MappingId(0);
    }
    p.mappings[0].filename = p.strings.intern(o.main_binary);
  }

  IdVector<model::MappingId, bool> used(p.mappings.size(), false), named(p.mappings.size(), false);
  bool unmapped_addresses = false;
  for (const model::Location& l : p.locations) {
    if (l.mapping != model::kNone) {
      used[l.mapping] = true;
      named[l.mapping] = named[l.mapping] || l.lines_count > 0;
    } else if (l.address != 0 && l.lines_count == 0) {
      unmapped_addresses = true;
    }
  }
  // pprof adds a mapping without a file to such profiles and says it cannot help.
  if (p.mappings.empty() && unmapped_addresses) r.main_binary_unnamed = true;
  BinaryCache cache;
  FunctionMap functions;
  uint64_t next_function_id = 1;
  for (const model::Function& f : p.functions) next_function_id = std::max(next_function_id, f.file_id + 1);
  for (model::MappingId m : p.mappings.ids()) {
    const model::Mapping& mapping = p.mappings[m];
    const bool main_mapping = m == model::MappingId(0);
    if (!used[m]) continue;
    // Symbolized already (pprof trusts the flags; pprofx also needs one
    // location with a name: some producers set the flags on stripped output).
    if (!force && (mapping.has_functions || mapping.has_filenames || mapping.has_line_numbers) && named[m]) continue;
    const std::string file(p.str(mapping.filename));
    const std::string build_id(p.str(mapping.build_id));
    if (file.empty()) {
      if (main_mapping) r.main_binary_unnamed = true;
      continue;
    }
    if (unsymbolizable(file) || (build_id.empty() && is_http_url(file))) continue;
    std::string name = base_name(file);
    if (!build_id.empty()) name += fmt::format(" (build ID {})", build_id);
    const std::string path = o.main_binary.empty() || !main_mapping ? locate(file, build_id, o.search_path, cache, &r.ignored)
                                                              : o.main_binary;
    auto bin = cache.get(path);
    if (!bin) {
      r.problems.emplace_back(name, bin.error().message);
      continue;
    }
    if (!build_id.empty() && !(*bin)->build_id().empty() && (*bin)->build_id() != build_id) {
      r.problems.emplace_back(name, fmt::format("build ID mismatch ({} has {})", path, (*bin)->build_id()));
      continue;
    }
    symbolize_mapping(p, m, **bin, o.threads, functions, next_function_id, r);
  }
  demangle_functions(p, force, o.demangle);
  return r;
}

std::string summary(const Report& r) {
  std::vector<std::string> parts;
  if (r.main_binary_unnamed) parts.emplace_back("the main binary (the profile has no file name for it; give it with --binary)");
  for (const auto& [name, why] : r.problems) parts.push_back(fmt::format("{} ({})", name, why));
  if (parts.empty()) return {};
  std::string out = fmt::format("not symbolized: {}", parts[0]);
  for (size_t i = 1; i < parts.size(); ++i) out += "; " + parts[i];
  if (!r.problems.empty()) out += "; add their directories with --binary-path or PPROF_BINARY_PATH";
  for (const std::string& note : r.ignored) out += "; " + note;
  if (r.mappings_symbolized > 0) {
    out += fmt::format(" ({} other binaries symbolized, {} locations)", r.mappings_symbolized, r.locations_resolved);
  }
  return out;
}

}  // namespace pprofx::symbolize
