// Dispatch over the legacy parsers in pprof's order, pprof's default frame
// filters (addLegacyFrameInfo), and the conversion to model::Profile.
#include "pprofx/legacy/legacy.h"

#include <fmt/format.h>

#include "legacy_profile.h"

namespace pprofx::legacy {
namespace {

// pprof's allocRxStr, allocSkipRxStr, lockRxStr and cpuProfilerRxStr.
constexpr std::string_view kAllocRx =
    "calloc|cfree|malloc|free|memalign|do_memalign|(__)?posix_memalign|pvalloc|valloc|realloc|"
    "tcmalloc::.*|tc_calloc|tc_cfree|tc_malloc|tc_free|tc_memalign|tc_posix_memalign|tc_pvalloc|tc_valloc|"
    "tc_realloc|tc_new|tc_delete|tc_newarray|tc_deletearray|tc_new_nothrow|tc_newarray_nothrow|"
    "malloc_zone_malloc|malloc_zone_calloc|malloc_zone_valloc|malloc_zone_realloc|malloc_zone_memalign|"
    "malloc_zone_free|runtime\\..*|BaseArena::.*|(::)?do_malloc_no_errno|(::)?do_malloc_pages|(::)?do_malloc|"
    "DoSampledAllocation|MallocedMemBlock::MallocedMemBlock|_M_allocate|__builtin_(vec_)?delete|"
    "__builtin_(vec_)?new|__gnu_cxx::new_allocator::allocate|__libc_malloc|__malloc_alloc_template::allocate|"
    "allocate|cpp_alloc|operator new(\\[\\])?|simple_alloc::allocate";
constexpr std::string_view kAllocSkipRx = "runtime\\.panic|runtime\\.reflectcall|runtime\\.call[0-9]*";
constexpr std::string_view kCpuProfilerRx =
    "ProfileData::Add|ProfileData::prof_handler|CpuProfiler::prof_handler|__pthread_sighandler|__restore";
constexpr std::string_view kLockRx =
    "RecordLockProfileData|(base::)?RecordLockProfileData.*|(base::)?SubmitMutexProfileData.*|"
    "(base::)?SubmitSpinLockProfileData.*|(base::Mutex::)?AwaitCommon.*|(base::Mutex::)?Unlock.*|"
    "(base::Mutex::)?UnlockSlow.*|(base::Mutex::)?ReaderUnlock.*|(base::MutexLock::)?~MutexLock.*|"
    "(Mutex::)?AwaitCommon.*|(Mutex::)?Unlock.*|(Mutex::)?UnlockSlow.*|(Mutex::)?ReaderUnlock.*|"
    "(MutexLock::)?~MutexLock.*|(SpinLock::)?Unlock.*|(SpinLock::)?SlowUnlock.*|(SpinLockHolder::)?~SpinLockHolder.*";

bool has_types(const LProfile& p, std::initializer_list<std::initializer_list<std::string_view>> sets) {
  for (const auto& set : sets) {
    if (set.size() != p.sample_types.size()) continue;
    size_t i = 0;
    bool same = true;
    for (std::string_view t : set) same = same && p.sample_types[i++].first == t;
    if (same) return true;
  }
  return false;
}

void add_frame_info(LProfile& p) {
  if (has_types(p, {{"allocations", "size"},
                    {"objects", "space"},
                    {"inuse_objects", "inuse_space"},
                    {"alloc_objects", "alloc_space"},
                    {"alloc_objects", "alloc_space", "inuse_objects", "inuse_space"}})) {
    p.drop_frames = kAllocRx;
    p.keep_frames = kAllocSkipRx;
  } else if (has_types(p, {{"contentions", "delay"}})) {
    p.drop_frames = kLockRx;
  } else {
    p.drop_frames = kCpuProfilerRx;
  }
}

// pprof's CheckValid for what legacy parsers can get wrong.
std::string check(const LProfile& p) {
  if (p.sample_types.empty() && !p.samples.empty()) return "malformed profile: missing sample type information";
  for (const LSample& s : p.samples) {
    if (s.values.size() != p.sample_types.size()) {
      return fmt::format("malformed profile: mismatch: sample has {} values vs. {} types", s.values.size(),
                         p.sample_types.size());
    }
  }
  return {};
}

}  // namespace

model::Profile to_model(const LProfile& p) {
  model::Profile m;
  auto s = [&m](std::string_view v) { return m.strings.intern(v); };
  for (const auto& [type, unit] : p.sample_types) m.sample_types.push_back({s(type), s(unit)});
  m.period_type = {s(p.period_type.first), s(p.period_type.second)};
  m.period = p.period;
  m.duration_nanos = p.duration_nanos;
  m.drop_frames = s(p.drop_frames);
  m.keep_frames = s(p.keep_frames);
  for (size_t i = 0; i < p.mappings.size(); ++i) {
    const LMapping& lm = p.mappings[i];
    model::Mapping mm;
    mm.file_id = i + 1;
    mm.memory_start = lm.start;
    mm.memory_limit = lm.limit;
    mm.file_offset = lm.offset;
    mm.filename = s(lm.file);
    mm.build_id = s(lm.build_id);
    // The dump's names are what symbolization would have found (and will not be asked again).
    mm.has_functions = mm.has_filenames = mm.has_line_numbers = p.use_dump_frames;
    m.mappings.push_back(mm);
  }
  for (size_t i = 0; i < p.functions.size(); ++i) {
    model::Function f;
    f.file_id = i + 1;
    f.name = f.system_name = s(p.functions[i].name);
    f.filename = s(p.functions[i].filename);
    m.functions.push_back(f);
  }
  for (size_t i = 0; i < p.locations.size(); ++i) {
    const LLocation& ll = p.locations[i];
    model::Location l;
    l.file_id = i + 1;
    l.mapping = ll.mapping >= 0 ? model::MappingId(static_cast<uint32_t>(ll.mapping)) : model::kNone;
    l.address = ll.address;
    l.lines_begin = static_cast<uint32_t>(m.lines.size());
    if (ll.function >= 0) {
      m.lines.push_back({model::FunctionId(static_cast<uint32_t>(ll.function)), ll.line, 0});
      l.lines_count = 1;
    } else if (p.use_dump_frames) {
      for (const LDumpFrame& f : ll.dump_frames) m.lines.push_back({model::FunctionId(static_cast<uint32_t>(f.function)), f.line, 0});
      l.lines_count = static_cast<uint32_t>(ll.dump_frames.size());
    }
    m.locations.push_back(l);
  }
  const model::StrId bytes = s("bytes");
  for (const LSample& ls : p.samples) {
    model::Sample ms;
    ms.locations_begin = static_cast<uint32_t>(m.sample_locations.size());
    ms.locations_count = static_cast<uint32_t>(ls.locations.size());
    for (int l : ls.locations) m.sample_locations.push_back(model::LocationId(static_cast<uint32_t>(l)));
    ms.labels_begin = static_cast<uint32_t>(m.labels.size());
    if (ls.bytes_label) {
      m.labels.push_back({bytes, model::kEmptyStr, *ls.bytes_label, model::kEmptyStr});
      ms.labels_count = 1;
    }
    if (p.use_dump_frames) {
      for (const auto& [key, value] : ls.labels) {
        if (!value.empty()) m.labels.push_back({s(key), s(value), 0, model::kEmptyStr});
      }
      ms.labels_count = static_cast<uint32_t>(m.labels.size() - ms.labels_begin);
    }
    m.values.insert(m.values.end(), ls.values.begin(), ls.values.end());
    m.samples.push_back(ms);
  }
  return m;
}

std::optional<Result<model::Profile>> parse_legacy(std::string_view bytes, std::string_view name, bool dump_symbols) {
  struct Format {
    std::string_view what;
    Parsed (*parse)(std::string_view);
  };
  static constexpr Format kFormats[] = {
      {"gperftools CPU profile", parse_cpu},   {"heap profile", parse_heap},
      {"Go count profile", parse_go_count},    {"threadz profile", parse_thread},
      {"contention profile", parse_contention}, {"Java profile", parse_java_profile},
  };
  for (const Format& f : kFormats) {
    Parsed r = f.parse(bytes);
    if (r.kind == Parsed::kUnrecognized) continue;
    if (r.kind == Parsed::kError) return Result<model::Profile>(Error{fmt::format("{}: legacy {}: {}", name, f.what, r.error)});
    add_frame_info(r.profile);
    if (f.parse == parse_go_count) use_dump_frames(r.profile, dump_symbols);
    std::string e = check(r.profile);
    model::Profile m;
    if (e.empty()) {
      m = to_model(r.profile);
      e = model::value_sums_error(m);  // pprofx's rule, as for profile.proto
    }
    if (!e.empty()) return Result<model::Profile>(Error{fmt::format("{}: legacy {}: {}", name, f.what, e)});
    return Result<model::Profile>(std::move(m));
  }
  return std::nullopt;
}

}  // namespace pprofx::legacy
