#include "pprofx/report/list.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <map>
#include <tuple>
#include <unordered_map>

#include "pprofx/base/regex.h"
#include "pprofx/base/strings.h"
#include "pprofx/fold/graph.h"
#include "pprofx/fold/view.h"
#include "pprofx/model/units.h"
#include "machine_formats.h"

namespace pprofx::report {
namespace {

// filepath.SplitList: "" has no element.
std::vector<std::string> split_list(std::string_view list) {
  std::vector<std::string> out;
  if (list.empty()) return out;
  size_t start = 0;
  while (true) {
    const size_t colon = list.find(':', start);
    out.emplace_back(list.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
    if (colon == std::string_view::npos) return out;
    start = colon + 1;
  }
}

// filepath.Dir.
std::string dir_name(std::string_view path) {
  const size_t slash = path.rfind('/');
  return clean_path(slash == std::string_view::npos ? std::string_view() : path.substr(0, slash + 1));
}

// Go's error text for a failed open: "open PATH: no such file or directory".
std::string open_error(const std::string& path, int err) {
  std::string reason = std::strerror(err);
  if (!reason.empty()) reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
  return fmt::format("open {}: {}", path, reason);
}

// A source file's lines, as Go's bufio.Scanner splits them (a trailing \r
// dropped; a line of 64 KiB or more ends the file, as Scanner's error does
// where pprof ignores it). Only regular files up to max_bytes are read: a
// profile naming /dev/zero or a FIFO gets an error, not a hang.
struct SourceFile {
  std::vector<std::string> lines;  // lines[0] is line 1
  std::string error;               // "" if read
};

SourceFile read_lines(const std::string& path, uint64_t max_bytes) {
  SourceFile f;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    f.error = open_error(path, errno);
    return f;
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    f.error = fmt::format("{}: not a regular file", path);
    return f;
  }
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    ::close(fd);
    f.error = fmt::format("{}: larger than {} bytes, not read", path, max_bytes);
    return f;
  }
  std::string data(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < data.size()) {
    const ssize_t r = ::read(fd, data.data() + got, data.size() - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += static_cast<size_t>(r);
  }
  ::close(fd);
  data.resize(got);
  constexpr size_t kMaxLine = 64 * 1024;
  size_t start = 0;
  while (start < data.size()) {
    size_t end = data.find('\n', start);
    const bool last = end == std::string::npos;
    if (last) end = data.size();
    if (end - start >= kMaxLine) break;
    std::string line = data.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    f.lines.push_back(std::move(line));
    start = end + 1;
  }
  return f;
}

// pprof's openSourceFile: the trimmed path if absolute, else searched under
// each source path directory and its parents.
SourceFile open_source(const std::string& file, const ListOptions& o, const std::string& search_path) {
  const std::string path = trim_source_path(file, o.trim_path, search_path);
  if (!path.empty() && path.front() == '/') return read_lines(path, o.max_source_bytes);
  for (std::string dir : split_list(search_path)) {
    while (true) {
      const std::string name = clean_path(dir + "/" + path);
      if (::access(name.c_str(), F_OK) == 0) return read_lines(name, o.max_source_bytes);
      const std::string parent = dir_name(dir);
      if (parent == dir) break;
      dir = parent;
    }
  }
  return SourceFile{.lines = {}, .error = fmt::format("could not find file {} on path {}", path, search_path)};
}

// Tabs as spaces to the next multiple of 8 (pprof's rightPad), for Markdown and CSV cells.
std::string expand_tabs(std::string_view s) {
  std::string out;
  size_t column = 0;
  for (char c : s) {
    if (c == '\t') {
      do out += ' '; while (++column % 8 != 0);
    } else {
      out += c;
      if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++column;
    }
  }
  return out;
}

// A node of pprof's line-granularity graph for -list (ObjNames set): one per
// (function name, file, line, start line, binary).
struct LineNode {
  model::StrId name;
  std::string file;
  int64_t lineno = 0;
  int64_t start_line = 0;
  model::StrId objfile;
  int64_t flat = 0, cum = 0;
};

}  // namespace

std::string trim_source_path(std::string_view path, std::string_view trim_path, std::string_view source_path) {
  if (trim_path.empty()) {
    for (const std::string& dir : split_list(source_path)) {
      const std::string want = "/" + base_name(dir) + "/";
      if (const size_t found = path.find(want); found != std::string_view::npos) {
        return std::string(path.substr(found + want.size()));
      }
    }
  }
  std::vector<std::string> prefixes = split_list(trim_path);
  prefixes.push_back("/proc/self/cwd/./");
  prefixes.push_back("/proc/self/cwd/");
  for (std::string prefix : prefixes) {
    if (prefix.empty() || prefix.back() != '/') prefix += '/';
    if (starts_with(path, prefix)) return std::string(path.substr(prefix.size()));
  }
  return std::string(path);
}

Result<ListReport> list_report(const model::Profile& p, const ListOptions& lo) {
  const TopOptions& o = lo.report;
  auto rx = compile_regex(lo.regex);
  if (!rx) return Error{fmt::format("parsing argument regexp {}: {}", lo.regex, rx.error().message)};
  auto value = fold::choose_value(p, o.sample_index, o.mean);
  if (!value) return value.error();
  auto view = fold::build_view(p, o.filters);
  if (!view) return view.error();
  const int64_t total = fold::report_total(p, *value, o.filters.relative_percentages ? &*view : nullptr);

  // Nodes per (location, line), as FrameIndex does at line granularity, with pprof's -list keys.
  std::vector<LineNode> nodes;
  std::map<std::tuple<uint32_t, std::string, int64_t, int64_t, uint32_t>, uint32_t> index;
  IdVector<model::FunctionId, std::string> files(p.functions.size());
  IdVector<model::FunctionId, uint8_t> file_done(p.functions.size(), 0);
  const auto file_of = [&](model::FunctionId f) -> const std::string& {
    if (!file_done[f]) {
      const std::string_view raw = p.str(p.functions[f].filename);
      files[f] = raw.empty() ? std::string() : clean_path(trim_source_path(raw, lo.trim_path, lo.source_path));
      file_done[f] = 1;
    }
    return files[f];
  };
  const auto node_for = [&](model::StrId name, const std::string& file, int64_t line, int64_t start, model::StrId obj) {
    auto [it, added] = index.try_emplace({name.value(), file, line, start, obj.value()}, static_cast<uint32_t>(nodes.size()));
    if (added) nodes.push_back({name, file, line, start, obj, 0, 0});
    return it->second;
  };
  std::vector<uint32_t> loc_begin(p.locations.size() + 1), loc_nodes;
  for (model::LocationId l : p.locations.ids()) {
    loc_begin[l.value()] = static_cast<uint32_t>(loc_nodes.size());
    const model::Location& loc = p.locations[l];
    const model::StrId objfile = loc.mapping == model::kNone ? model::kEmptyStr : p.mappings[loc.mapping].filename;
    auto lines = view->lines(l);
    if (o.noinlines && lines.size() > 1) lines = lines.subspan(lines.size() - 1);
    if (lines.empty()) loc_nodes.push_back(node_for(model::kEmptyStr, "", 0, 0, objfile));
    for (model::LineId li : lines) {
      const model::Line& line = p.lines[li];
      const model::Function& fn = p.functions[line.function];
      loc_nodes.push_back(node_for(fn.name, file_of(line.function), line.line, fn.start_line, objfile));
    }
  }
  loc_begin[p.locations.size()] = static_cast<uint32_t>(loc_nodes.size());

  // Each function's rows, grouped by file: (name, file) -> group, for the cum counted once per sample.
  std::map<std::pair<std::string_view, std::string_view>, uint32_t> groups;
  std::vector<uint32_t> group_of(nodes.size());
  for (uint32_t n = 0; n < nodes.size(); ++n) {
    group_of[n] = groups.try_emplace({p.str(nodes[n].name), nodes[n].file}, static_cast<uint32_t>(groups.size()))
                      .first->second;
  }
  std::vector<int64_t> group_cum(groups.size(), 0);
  std::vector<uint32_t> stamp(nodes.size(), 0xffffffffu), group_stamp(groups.size(), 0xffffffffu);
  fold::for_each_weighted_sample(*view, *value, [&](uint32_t ordinal, const fold::ViewSample& s, int64_t w, int64_t) {
    int64_t last = -1;
    for (size_t i = s.count; i-- > 0;) {
      const uint32_t l = s.stack[i].value();
      for (uint32_t k = loc_begin[l + 1]; k-- > loc_begin[l];) {
        const uint32_t n = loc_nodes[k];
        if (stamp[n] != ordinal) {
          stamp[n] = ordinal;
          nodes[n].cum += w;
        }
        if (group_stamp[group_of[n]] != ordinal) {
          group_stamp[group_of[n]] = ordinal;
          group_cum[group_of[n]] += w;
        }
        last = n;
      }
    }
    if (last >= 0) nodes[static_cast<size_t>(last)].flat += w;
  });

  // Matching functions by name, their nodes by file (pprof's NameOrder and FileOrder).
  std::map<std::string_view, std::map<std::string_view, std::vector<uint32_t>>> functions;
  std::map<std::string_view, bool> has_nodes;
  for (uint32_t n = 0; n < nodes.size(); ++n) {
    const LineNode& node = nodes[n];
    if (node.cum == 0 && node.flat == 0) continue;
    const std::string_view name = p.str(node.name);
    if (!RE2::PartialMatch(name, **rx)) continue;
    has_nodes[name] = true;
    if (!node.file.empty()) functions[name][node.file].push_back(n);
  }
  if (has_nodes.empty()) return Error{fmt::format("no matches found for regexp: {}", lo.regex)};

  std::string search_path = lo.source_path;
  if (search_path.empty()) {
    char cwd[4096];
    if (::getcwd(cwd, sizeof cwd) == nullptr) return Error{"could not stat current dir"};
    search_path = cwd;
  }
  std::map<std::string, SourceFile> sources;
  ListReport r;
  r.warnings = view->warnings;
  r.type = value->type;
  r.sample_unit = value->unit;
  r.unit = o.unit;
  r.divide_by = o.divide_by;
  r.total = total;
  for (const auto& [name, _] : has_nodes) {
    auto it = functions.find(name);
    if (it == functions.end()) {
      r.routines.push_back(ListRoutine{.function = std::string(name)});
      continue;
    }
    for (auto& [file, fns] : it->second) {
      std::sort(fns.begin(), fns.end(), [&](uint32_t a, uint32_t b) {
        return std::tie(nodes[a].lineno, nodes[a].start_line, nodes[a].objfile) <
               std::tie(nodes[b].lineno, nodes[b].start_line, nodes[b].objfile);
      });
      ListRoutine routine{.function = std::string(name), .file = std::string(file)};
      std::map<int64_t, std::pair<int64_t, int64_t>> per_line;
      // getSourceFromFile's range: 5 lines of margin, from the first node's start line if known.
      constexpr int64_t kMargin = 5;
      const LineNode& first = nodes[fns[0]];
      // Line numbers come from the profile: any int64, so the margins saturate.
      const auto minus = [](int64_t v) { return v < INT64_MIN + kMargin ? INT64_MIN : v - kMargin; };
      const auto plus = [](int64_t v) { return v > INT64_MAX - kMargin ? INT64_MAX : v + kMargin; };
      int64_t start = first.start_line != 0 ? first.start_line : minus(first.lineno);
      int64_t end = plus(first.lineno);
      for (uint32_t n : fns) {
        const LineNode& node = nodes[n];
        routine.flat += node.flat;
        routine.pprof_cum += node.cum;
        per_line[node.lineno].first += node.flat;
        per_line[node.lineno].second += node.cum;
        const int64_t node_start = node.start_line != 0 ? node.start_line : minus(node.lineno);
        const int64_t node_end = plus(node.lineno);
        if (node_start < start) {
          start = node_start;
        } else if (node_end > end) {  // pprof's else: a node extending both ends extends only the start
          end = node_end;
        }
      }
      start = std::max<int64_t>(start, 1);
      routine.start_line = first.start_line;
      routine.cum = group_cum[group_of[fns[0]]];
      auto [src, added] = sources.try_emplace(routine.file);
      if (added) src->second = open_source(routine.file, lo, search_path);
      const SourceFile& sf = src->second;
      routine.source_error = sf.error;
      if (!sf.error.empty()) {
        for (const auto& [lineno, fc] : per_line) routine.lines.push_back({lineno, fc.first, fc.second, ""});
      } else {
        for (int64_t lineno = start; lineno <= end && lineno <= static_cast<int64_t>(sf.lines.size()); ++lineno) {
          const auto fc = per_line.find(lineno);
          routine.lines.push_back({lineno, fc == per_line.end() ? 0 : fc->second.first,
                                   fc == per_line.end() ? 0 : fc->second.second,
                                   sf.lines[static_cast<size_t>(lineno - 1)]});
        }
      }
      r.routines.push_back(std::move(routine));
    }
  }

  // pprof's text; what it does not say goes to the warnings.
  const auto format = [&](int64_t v) { return r.format_value(v); };
  const auto value_or_dot = [&](int64_t v) { return v == 0 ? std::string(".") : format(v); };
  std::string& out = r.text;
  out += fmt::format("Total: {}\n", format(total));
  for (const ListRoutine& rt : r.routines) {
    if (rt.file.empty()) {
      out += fmt::format("No source information for {}\n", text_escaped(rt.function));
      continue;
    }
    out += fmt::format("ROUTINE ======================== {} in {}\n", text_escaped(rt.function), text_escaped(rt.file));
    out += fmt::format("{:>10} {:>10} (flat, cum) {} of Total\n", format(rt.flat), format(rt.cum),
                       model::percentage(rt.cum, total));
    if (rt.pprof_cum != rt.cum) {  // pprof's figure (tests/conformance undoes this line to compare)
      out += fmt::format("  (pprof: cum {}, {} of Total: it counts a sample once for each of these lines it passes "
                         "through; google/pprof#707)\n",
                         format(rt.pprof_cum), trimmed(model::percentage(rt.pprof_cum, total)));
    }
    // pprof prints " Error: ..." and no line for a source it cannot read; pprofx warns and lists the sampled lines.
    if (!rt.source_error.empty()) r.warnings.push_back(fmt::format("{}: source not shown: {}", rt.function, rt.source_error));
    for (const ListLine& l : rt.lines) {
      out += fmt::format("{:>10} {:>10} {:>6}:{}\n", value_or_dot(l.flat), value_or_dot(l.cum), l.line, text_escaped(l.text));
    }
  }
  return r;
}

std::string ListReport::format_value(int64_t v) const {
  return model::scaled_label(model::divided(v, divide_by), sample_unit, unit);
}

std::string format_list_markdown(const ListReport& r) {
  const auto format = [&](int64_t v) { return r.format_value(v); };
  std::string out = fmt::format("Total: {}\n\n", markdown_inline(format(r.total), false));
  for (const ListRoutine& rt : r.routines) {
    if (rt.file.empty()) {
      out += fmt::format("{}: no source information\n\n", markdown_code_span(rt.function, false));
      continue;
    }
    out += fmt::format("{} in {}: flat {}, cum {} ({} of total){}\n\n| line | flat | cum | source |\n|---:|---:|---:|---|\n",
                       markdown_code_span(rt.function, false), markdown_code_span(rt.file, false),
                       markdown_inline(format(rt.flat), false), markdown_inline(format(rt.cum), false),
                       trimmed(model::percentage(rt.cum, r.total)), rt.source_error.empty() ? "" : " (source not found)");
    for (const ListLine& l : rt.lines) {
      out += fmt::format("| {} | {} | {} | {} |\n", l.line, l.flat ? markdown_inline(format(l.flat), true) : ".",
                         l.cum ? markdown_inline(format(l.cum), true) : ".",
                         l.text.empty() ? "" : markdown_code_span(expand_tabs(l.text), true));
    }
    out += '\n';
  }
  return out;
}

std::string format_list_json(const ListReport& r) {
  std::string out = fmt::format(
      "{{\n  \"report\": \"list\",\n  \"type\": \"{}\",\n  \"unit\": \"{}\",\n  \"divided_by\": {},\n  "
      "\"total\": {},\n  \"routines\": [",
      json_escaped(r.type), json_escaped(r.sample_unit), json_number(r.divide_by), model::divided(r.total, r.divide_by));
  for (size_t i = 0; i < r.routines.size(); ++i) {
    const ListRoutine& rt = r.routines[i];
    out += fmt::format(
        "{}\n    {{\"function\": \"{}\", \"file\": \"{}\", \"flat\": {}, \"cum\": {}, \"cum_pct\": {}, "
        "\"pprof_cum\": {}, \"source_error\": \"{}\", \"lines\": [",
        i ? "," : "", json_escaped(rt.function), json_escaped(rt.file), model::divided(rt.flat, r.divide_by),
        model::divided(rt.cum, r.divide_by), share_number(rt.cum, r.total), model::divided(rt.pprof_cum, r.divide_by),
        json_escaped(rt.source_error));
    for (size_t j = 0; j < rt.lines.size(); ++j) {
      const ListLine& l = rt.lines[j];
      out += fmt::format("{}\n      {{\"line\": {}, \"flat\": {}, \"cum\": {}, \"text\": \"{}\"}}", j ? "," : "", l.line,
                         model::divided(l.flat, r.divide_by), model::divided(l.cum, r.divide_by), json_escaped(l.text));
    }
    out += rt.lines.empty() ? "]}" : "\n    ]}";
  }
  out += r.routines.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

std::string format_list_csv(const ListReport& r) {
  std::string out = "function,file,line,flat,cum,text,unit\n";
  for (const ListRoutine& rt : r.routines) {
    for (const ListLine& l : rt.lines) {
      out += fmt::format("{},{},{},{},{},{},{}\n", csv_field(rt.function), csv_field(rt.file), l.line,
                         model::divided(l.flat, r.divide_by), model::divided(l.cum, r.divide_by), csv_field(expand_tabs(l.text)),
                         csv_field(r.sample_unit));
    }
  }
  return out;
}

}  // namespace pprofx::report
