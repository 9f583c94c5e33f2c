#include "pprofx/report/cross.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <memory>
#include <unordered_map>

#include "pprofx/base/checked.h"
#include "pprofx/base/regex.h"
#include "pprofx/base/strings.h"
#include "pprofx/fold/frames.h"
#include "pprofx/fold/graph.h"
#include "pprofx/fold/view.h"
#include "pprofx/model/units.h"

namespace pprofx::report {

std::string_view axis_name(Axis a) {
  switch (a) {
    case Axis::kCpu: return "cpu";
    case Axis::kAllocSpace: return "alloc_space";
    case Axis::kAllocObjects: return "alloc_objects";
    case Axis::kLockDelay: return "lock_delay";
    case Axis::kBlockDelay: return "block_delay";
    case Axis::kGoroutines: return "goroutines";
  }
  return "";
}

std::string CrossTable::format_value(size_t column, int64_t v) const {
  const std::string& unit = columns[column].unit;
  if (model::is_known_unit(unit)) return model::scaled_label(v, unit, "auto");
  return fmt::format("{}", v);
}

namespace {

bool has_type(const model::Profile& p, std::string_view type) {
  for (const auto& t : p.sample_types) {
    if (p.str(t.type) == type) return true;
  }
  return false;
}

// Contention profiles: lock delay (Go's mutex profile: stacks end in an
// Unlock) or block delay (blocked in Lock, channel operations, select, ...).
bool mostly_unlock(const model::Profile& p) {
  auto delay = fold::choose_value(p, "delay", false);
  if (!delay) return false;
  int64_t unlock = 0, all = 0;
  for (size_t s = 0; s < p.samples.size(); ++s) {
    const int64_t v = p.sample_values(s)[delay->index];
    all += v;
    auto stack = p.stack(p.samples[s]);
    if (stack.empty()) continue;
    auto lines = p.location_lines(p.locations[stack[0]]);
    if (lines.empty() || lines[0].function == model::kNone) continue;
    if (p.str(p.functions[lines[0].function].name).find("Unlock") != std::string_view::npos) unlock += v;
  }
  // unlock * 2 >= all, without overflow (a doubled unlock past INT64_MAX exceeds any all).
  const std::optional<int64_t> twice = checked_mul(unlock, 2);
  return all > 0 && (twice ? *twice >= all : unlock > 0);
}

Result<std::string> detect_kind(const CrossInput& in) {
  const model::Profile& p = *in.profile;
  if (has_type(p, "cpu")) return std::string("cpu");
  if (has_type(p, "alloc_space") || has_type(p, "inuse_space") || has_type(p, "space")) return std::string("heap");
  if (has_type(p, "delay")) {
    const std::string base = base_name(in.name);
    if (base.find("mutex") != std::string::npos) return std::string("mutex");
    if (base.find("block") != std::string::npos) return std::string("block");
    return std::string(mostly_unlock(p) ? "mutex" : "block");
  }
  if (has_type(p, "goroutine")) return std::string("goroutine");
  std::string types;
  for (const auto& t : p.sample_types) types += fmt::format("{}{}/{}", types.empty() ? "" : ", ", p.str(t.type), p.str(t.unit));
  return Error{fmt::format("{}: cannot tell which axis this profile is (sample types: {}); name it with --cpu, --heap, "
                           "--mutex, --block or --goroutine",
                           in.name, types)};
}

// The columns a profile of a kind gives: (axis, sample type; alternatives in order).
std::vector<std::pair<Axis, std::vector<std::string>>> columns_of(std::string_view kind) {
  if (kind == "cpu") return {{Axis::kCpu, {"cpu", "samples"}}};
  if (kind == "heap") {
    return {{Axis::kAllocSpace, {"alloc_space", "inuse_space", "space"}},
            {Axis::kAllocObjects, {"alloc_objects", "inuse_objects", "objects"}}};
  }
  if (kind == "mutex") return {{Axis::kLockDelay, {"delay"}}};
  if (kind == "block") return {{Axis::kBlockDelay, {"delay"}}};
  return {{Axis::kGoroutines, {"goroutine", "goroutines"}}};
}

}  // namespace

Result<CrossTable> cross_table(const std::vector<CrossInput>& inputs, const CrossOptions& o) {
  CrossTable t;
  t.options = o;
  std::shared_ptr<const RE2> waits;
  if (!o.wait_primitives.empty()) {
    auto re = compile_regex(o.wait_primitives);
    if (!re) return Error{fmt::format("--wait-primitives: {}", re.error().message)};
    waits = std::move(*re);
  }
  std::unordered_map<std::string, size_t> row_of;
  std::vector<CrossRow> rows;
  std::vector<std::pair<Axis, std::string>> seen;  // axis, file
  for (const CrossInput& in : inputs) {
    std::string kind = in.kind;
    if (kind.empty()) {
      auto k = detect_kind(in);
      if (!k) return k.error();
      kind = *k;
    }
    const model::Profile& p = *in.profile;
    auto view = fold::build_view(p, o.filters);
    if (!view) return Error{fmt::format("{}: {}", in.name, view.error().message)};
    for (std::string& w : view->warnings) t.warnings.push_back(std::move(w));
    const fold::FrameIndex frames = fold::FrameIndex::build(*view, fold::Granularity::kFunctions, false);
    // Per frame id: its row, and whether it is a wait primitive.
    std::vector<size_t> frame_row(frames.size());
    std::vector<uint8_t> is_wait(frames.size());
    for (size_t id = 0; id < frames.size(); ++id) {
      const std::string name = frames.printable_name(frames.infos[id]);
      auto [it, added] = row_of.emplace(name, rows.size());
      if (added) rows.push_back(CrossRow{name, {}, {}, {}, 0, 0});
      frame_row[id] = it->second;
      is_wait[id] = waits && RE2::PartialMatch(name, *waits);
    }
    for (const auto& [axis, types] : columns_of(kind)) {
      for (const auto& [a, file] : seen) {
        if (a == axis) {
          return Error{fmt::format("{} and {} both give {}: merge them first (pprofx merge) or pass one", file,
                                   in.name, axis_name(axis))};
        }
      }
      seen.emplace_back(axis, in.name);
      std::string type;
      for (const std::string& candidate : types) {
        if (has_type(p, candidate)) {
          type = candidate;
          break;
        }
      }
      auto value = fold::choose_value(p, type, false);  // "" (no candidate): the default type
      if (!value) return Error{fmt::format("{}: {}", in.name, value.error().message)};
      const size_t col = t.columns.size();
      t.columns.push_back({axis, in.name, value->type, value->unit, 0});
      for (CrossRow& r : rows) r.values.resize(col + 1, 0);
      const bool skip_waits = !o.cum && (axis == Axis::kLockDelay || axis == Axis::kBlockDelay) && waits;
      std::vector<uint32_t> stamp(rows.size(), 0);
      fold::for_each_weighted_sample(*view, *value, [&](uint32_t ordinal, const fold::ViewSample& s, int64_t w,
                                                        int64_t) {
        t.columns[col].total += w;
        if (o.cum) {
          for (size_t i = 0; i < s.count; ++i) {
            for (uint32_t id : frames.frames_of(s.stack[i])) {
              const size_t r = frame_row[id];
              if (stamp[r] == ordinal) continue;
              stamp[r] = ordinal;
              rows[r].values[col] += w;
            }
          }
          return;
        }
        // Flat: the innermost frame, past wait primitives on delay axes
        // (the leaf if every frame is one).
        int64_t leaf = -1, charged = -1;
        for (size_t i = 0; i < s.count && charged < 0; ++i) {
          for (uint32_t id : frames.frames_of(s.stack[i])) {
            if (leaf < 0) leaf = id;
            if (!skip_waits || !is_wait[id]) {
              charged = id;
              break;
            }
          }
        }
        if (charged < 0) charged = leaf;
        if (charged >= 0) rows[frame_row[charged]].values[col] += w;
      });
    }
  }
  const size_t ncol = t.columns.size();
  std::vector<CrossRow> kept;
  for (CrossRow& r : rows) {
    r.values.resize(ncol, 0);
    r.shares.assign(ncol, 0);
    r.hot.assign(ncol, false);
    bool any = false;
    uint32_t hot_resources = 0;  // allocated bytes and objects are one resource
    for (size_t c = 0; c < ncol; ++c) {
      any = any || r.values[c] != 0;
      if (t.columns[c].total > 0) r.shares[c] = static_cast<double>(r.values[c]) / static_cast<double>(t.columns[c].total);
      r.hot[c] = r.shares[c] >= o.hot && r.values[c] != 0;
      const Axis resource = t.columns[c].axis == Axis::kAllocObjects ? Axis::kAllocSpace : t.columns[c].axis;
      if (r.hot[c]) hot_resources |= 1u << static_cast<unsigned>(resource);
      r.share_sum += r.shares[c];
    }
    r.hot_count = static_cast<size_t>(__builtin_popcount(hot_resources));
    if (any) kept.push_back(std::move(r));
  }
  std::sort(kept.begin(), kept.end(), [](const CrossRow& a, const CrossRow& b) {
    if (a.hot_count != b.hot_count) return a.hot_count > b.hot_count;
    if (a.share_sum != b.share_sum) return a.share_sum > b.share_sum;
    return a.function < b.function;
  });
  t.functions = kept.size();
  if (o.max_rows > 0 && kept.size() > o.max_rows) kept.resize(o.max_rows);
  t.rows = std::move(kept);
  return t;
}

namespace {

std::string pct(double share) {
  const double p = 100 * share;
  return p >= 10 ? fmt::format("{:.1f}%", p) : fmt::format("{:.2f}%", p);
}

std::string legend(const CrossTable& t) {
  std::string s = fmt::format("{} functions, {} values; hot: at least {} of an axis's total", t.functions,
                              t.options.cum ? "cum" : "flat", pct(t.options.hot));
  if (!t.options.cum && !t.options.wait_primitives.empty()) {
    for (const CrossColumn& c : t.columns) {
      if (c.axis == Axis::kLockDelay || c.axis == Axis::kBlockDelay) {
        s += fmt::format("; delay charged to the first frame not matching {}", t.options.wait_primitives);
        break;
      }
    }
  }
  return s;
}

}  // namespace

std::string format_cross_text(const CrossTable& t, bool color) {
  std::string out = text_escaped(legend(t)) + "\n";
  size_t axis_w = 0;
  for (const CrossColumn& c : t.columns) axis_w = std::max(axis_w, axis_name(c.axis).size());
  for (size_t i = 0; i < t.columns.size(); ++i) {
    const CrossColumn& c = t.columns[i];
    out += fmt::format("  {:<{}}  {:>10} total  ({} of {})\n", axis_name(c.axis), axis_w, t.format_value(i, c.total),
                       text_escaped(c.sample_type), text_escaped(c.file));
  }
  constexpr size_t kCell = 18;
  out += fmt::format("{:>3}", "hot");
  for (const CrossColumn& c : t.columns) out += fmt::format(" {:>{}}", axis_name(c.axis), kCell);
  out += "  function\n";
  for (const CrossRow& r : t.rows) {
    out += fmt::format("{:>3}", r.hot_count);
    for (size_t c = 0; c < t.columns.size(); ++c) {
      std::string cell = r.values[c] == 0 ? "." : fmt::format("{} {}", t.format_value(c, r.values[c]), pct(r.shares[c]));
      const size_t pad = cell.size() < kCell ? kCell - cell.size() : 0;
      if (r.hot[c] && color) cell = "\033[1;31m" + cell + "\033[0m";
      out += std::string(pad, ' ') + cell + (r.hot[c] && !color ? "*" : " ");
    }
    out += fmt::format(" {}\n", text_escaped(r.function));
  }
  if (!color) out += "(* hot)\n";
  return out;
}

namespace {

// A function name in a table cell: as before (| * _ ` backslash-escaped) when
// nothing else in it can form markup, else a code span.
std::string markdown_function(std::string_view name) {
  if (!markdown_inert(name, "|*_`[]") || name.find("](") != std::string_view::npos) {
    return markdown_code_span(name, true);
  }
  std::string escaped;
  for (char ch : name) {
    if (ch == '|' || ch == '*' || ch == '_' || ch == '`') escaped += '\\';
    escaped += ch;
  }
  return escaped;
}

}  // namespace

std::string format_cross_markdown(const CrossTable& t) {
  std::string out = fmt::format("{}\n\n| axis | total | sample type | profile |\n|---|---:|---|---|\n",
                                text_escaped(legend(t)));
  for (size_t i = 0; i < t.columns.size(); ++i) {
    const CrossColumn& c = t.columns[i];
    out += fmt::format("| {} | {} | {} | {} |\n", axis_name(c.axis), t.format_value(i, c.total),
                       markdown_inline(c.sample_type, true), markdown_inline(c.file, true));
  }
  out += "\n| hot |";
  for (const CrossColumn& c : t.columns) out += fmt::format(" {} |", axis_name(c.axis));
  out += " function |\n|---:|";
  for (size_t i = 0; i < t.columns.size(); ++i) out += "---:|";
  out += "---|\n";
  for (const CrossRow& r : t.rows) {
    out += fmt::format("| {} |", r.hot_count);
    for (size_t c = 0; c < t.columns.size(); ++c) {
      if (r.values[c] == 0) {
        out += " |";
        continue;
      }
      const std::string cell = fmt::format("{} ({})", t.format_value(c, r.values[c]), pct(r.shares[c]));
      out += r.hot[c] ? fmt::format(" **{}** |", cell) : fmt::format(" {} |", cell);
    }
    out += fmt::format(" {} |\n", markdown_function(r.function));
  }
  return out;
}

std::string format_cross_json(const CrossTable& t) {
  std::string out = fmt::format("{{\n  \"value\": \"{}\",\n  \"hot_share\": {},\n  \"functions\": {},\n  \"axes\": [",
                                t.options.cum ? "cum" : "flat", json_number(t.options.hot), t.functions);
  for (size_t i = 0; i < t.columns.size(); ++i) {
    const CrossColumn& c = t.columns[i];
    out += fmt::format("{}\n    {{\"axis\": \"{}\", \"profile\": \"{}\", \"sample_type\": \"{}\", \"unit\": \"{}\", "
                       "\"total\": {}}}",
                       i ? "," : "", axis_name(c.axis), json_escaped(c.file), json_escaped(c.sample_type),
                       json_escaped(c.unit), c.total);
  }
  out += "\n  ],\n  \"rows\": [";
  for (size_t i = 0; i < t.rows.size(); ++i) {
    const CrossRow& r = t.rows[i];
    out += fmt::format("{}\n    {{\"function\": \"{}\", \"hot\": [", i ? "," : "", json_escaped(r.function));
    bool first = true;
    for (size_t c = 0; c < t.columns.size(); ++c) {
      if (!r.hot[c]) continue;
      out += fmt::format("{}\"{}\"", first ? "" : ", ", axis_name(t.columns[c].axis));
      first = false;
    }
    out += "], \"values\": {";
    for (size_t c = 0; c < t.columns.size(); ++c) {
      out += fmt::format("{}\"{}\": {{\"value\": {}, \"share\": {}}}", c ? ", " : "",
                         axis_name(t.columns[c].axis), r.values[c], json_number(r.shares[c], 6));
    }
    out += "}}";
  }
  out += "\n  ]\n}\n";
  return out;
}

}  // namespace pprofx::report
