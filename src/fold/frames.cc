#include "pprofx/fold/frames.h"

#include <fmt/format.h>

#include <unordered_map>

#include "pprofx/base/strings.h"

namespace pprofx::fold {
namespace {

using model::StrId;

struct InfoHash {
  size_t operator()(const NodeInfo& i) const {
    uint64_t h = i.name.value();
    h = h * 0x9e3779b97f4a7c15ull ^ i.file.value();
    h = h * 0x9e3779b97f4a7c15ull ^ i.objfile.value();
    h = h * 0x9e3779b97f4a7c15ull ^ i.address;
    h = h * 0x9e3779b97f4a7c15ull ^ static_cast<uint64_t>(i.start_line);
    h = h * 0x9e3779b97f4a7c15ull ^ static_cast<uint64_t>(i.lineno);
    return static_cast<size_t>(h ^ (h >> 29));
  }
};

// pprof's report.trimPath with no -trim_path/-source_path set.
std::string_view trim_path(std::string_view path) {
  for (std::string_view prefix : {"/proc/self/cwd/./", "/proc/self/cwd/"}) {
    if (starts_with(path, prefix)) return path.substr(prefix.size());
  }
  return path;
}

struct Keep {
  bool name, file, line, address;
};

Keep keep_for(Granularity g, bool noinlines) {
  switch (g) {
    case Granularity::kFunctions: return {true, false, false, false};
    case Granularity::kFileFunctions: return {true, true, false, false};
    case Granularity::kFiles: return {false, true, false, false};
    case Granularity::kLines: return {true, true, true, false};
    case Granularity::kAddresses: return {true, true, true, true};
  }
  (void)noinlines;
  return {true, false, false, false};
}

}  // namespace

FrameIndex FrameIndex::build(const View& view, Granularity granularity, bool noinlines) {
  FrameIndex g;
  const model::Profile& p = *view.profile;
  const Keep keep = keep_for(granularity, noinlines);

  // Profile strings -> graph strings, translated once each.
  constexpr StrId kUnset{0xffffffffu};
  IdVector<StrId, StrId> name_ids(p.strings.size(), kUnset), file_ids(p.strings.size(), kUnset);
  auto name_id = [&](StrId s) {
    if (name_ids[s] == kUnset) name_ids[s] = g.names.intern(p.str(s));
    return name_ids[s];
  };
  auto file_id = [&](StrId s) {
    if (s == model::kEmptyStr) return model::kEmptyStr;
    if (file_ids[s] == kUnset) file_ids[s] = g.names.intern(clean_path(trim_path(p.str(s))));
    return file_ids[s];
  };

  std::unordered_map<NodeInfo, uint32_t, InfoHash> index;
  index.reserve(p.functions.size() + p.locations.size() / 4);
  auto node_for = [&](const NodeInfo& info) {
    auto [it, inserted] = index.try_emplace(info, static_cast<uint32_t>(g.infos.size()));
    if (inserted) {
      g.infos.push_back(info);
      g.function_file.push_back(model::kEmptyStr);
    }
    return it->second;
  };

  g.loc_begin_.resize(p.locations.size() + 1);
  for (model::LocationId l : p.locations.ids()) {
    g.loc_begin_[l.value()] = static_cast<uint32_t>(g.loc_nodes_.size());
    const model::Location& loc = p.locations[l];
    const StrId objfile =
        loc.mapping == model::kNone ? model::kEmptyStr : name_id(p.mappings[loc.mapping].filename);
    const uint64_t address = keep.address ? loc.address : 0;
    auto lines = view.lines(l);
    if (noinlines && lines.size() > 1) lines = lines.subspan(lines.size() - 1);
    if (lines.empty()) {
      NodeInfo info;
      info.address = address;
      info.objfile = objfile;
      g.loc_nodes_.push_back(node_for(info));
      continue;
    }
    for (model::LineId line_index : lines) {
      const model::Line& line = p.lines[line_index];
      const model::Function& fn = p.functions[line.function];
      NodeInfo info;
      info.address = address;
      info.name = keep.name ? name_id(fn.name) : model::kEmptyStr;
      info.file = keep.file ? file_id(fn.filename) : model::kEmptyStr;
      info.lineno = keep.line ? line.line : 0;
      if (info.name == model::kEmptyStr) {
        info.objfile = objfile;
        info.start_line = fn.start_line;
      }
      const uint32_t id = node_for(info);
      if (g.function_file[id] == model::kEmptyStr) g.function_file[id] = file_id(fn.filename);
      g.loc_nodes_.push_back(id);
    }
  }
  g.loc_begin_[p.locations.size()] = static_cast<uint32_t>(g.loc_nodes_.size());
  g.inlined_somewhere.assign(g.infos.size(), 0);
  for (uint32_t l = 0; l < p.locations.size(); ++l) {
    for (uint32_t k = g.loc_begin_[l]; k + 1 < g.loc_begin_[l + 1]; ++k) g.inlined_somewhere[g.loc_nodes_[k]] = 1;
  }

  return g;
}

std::string FrameIndex::printable_name(const NodeInfo& i) const {
  std::string out;
  auto add = [&](std::string_view part) {
    if (!out.empty()) out += ' ';
    out += part;
  };
  if (i.address != 0) add(fmt::format("{:016x}", i.address));
  const std::string_view name = names.str(i.name);
  const std::string_view file = names.str(i.file);
  if (!name.empty()) add(name);
  if (i.lineno != 0) {
    add(fmt::format("{}:{}", file, i.lineno));
  } else if (!file.empty()) {
    add(file);
  } else if (!name.empty()) {
    // the name says it all
  } else if (i.objfile != model::kEmptyStr) {
    add("[" + base_name(names.str(i.objfile)) + "]");
  } else {
    add("<unknown>");
  }
  return out;
}

std::string FrameIndex::info_string(const NodeInfo& i) const {
  return fmt::format("{{{}  {} {} {} {} {}}}", names.str(i.name), i.address, names.str(i.file),
                     i.start_line, i.lineno, names.str(i.objfile));
}

}  // namespace pprofx::fold
