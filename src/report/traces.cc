#include "pprofx/report/traces.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "pprofx/base/checked.h"
#include "pprofx/base/strings.h"
#include "pprofx/fold/frames.h"
#include "pprofx/fold/tag_filter.h"
#include "pprofx/fold/view.h"
#include "pprofx/model/merge.h"
#include "pprofx/model/units.h"
#include "pprofx/report/header.h"
#include "label_text.h"

namespace pprofx::report {

Result<LabelReport> traces_report(const model::Profile& input, const LabelReportOptions& o) {
  // pprof merges every profile it reads, even one: equal samples (stack and
  // labels) become one and all-zero samples go, which -traces shows.
  auto merged = model::merge({&input}, {""});
  if (!merged) return merged.error();
  const model::Profile& p = *merged;
  auto value = fold::choose_value(p, o.selection.sample_index, o.mean);
  if (!value) return value.error();
  auto view = fold::build_view(p, o.selection.filters);
  if (!view) return view.error();
  const auto format = [&](int64_t v) { return model::scaled_label(v, value->unit, o.unit); };
  const int64_t total = fold::report_total(p, *value, o.selection.filters.relative_percentages ? &*view : nullptr);

  LabelReport out{.text = {}, .warnings = view->warnings};
  std::string& text = out.text;
  for (const std::string& line : profile_header(p, value->type, value->unit, total, format)) {
    text += text_escaped(line);  // file, build id and comments come from the input
    text += '\n';
  }
  if (text.empty()) text += '\n';  // Go: Println of the joined (empty) header

  const fold::FrameIndex frames = fold::FrameIndex::build(*view, o.selection.granularity, o.selection.noinlines);
  const auto units = fold::num_label_units(p);
  constexpr std::string_view kSeparator = "-----------+-------------------------------------------------------\n";
  std::vector<std::string> lines;
  for (const fold::ViewSample& vs : view->samples) {
    if (vs.count == 0) continue;
    text += kSeparator;
    const model::Sample& s = p.samples[vs.sample];
    for (const std::string& l : sample_label_lines(p, *view, s, units)) text += l;

    const auto values = p.sample_values(vs.sample);
    int64_t v = values[value->index];
    if (value->mean && values[0] != 0) v = values[0] == -1 ? -(v == INT64_MIN ? v + 1 : v) : v / values[0];
    bool first = true;
    for (model::LocationId loc : view->stack(vs)) {
      const auto ids = frames.frames_of(loc);
      for (size_t i = 0; i < ids.size(); ++i) {
        const std::string shown = first ? format(v) : std::string();
        first = false;
        text += fmt::format("{:>10}   {}{}\n", shown, text_escaped(frames.printable_name(frames.infos[ids[i]])),
                            i + 1 != ids.size() ? " (inline)" : "");
      }
    }
  }
  text += kSeparator;
  return out;
}

Result<LabelReport> tags_report(const model::Profile& p, const LabelReportOptions& o) {
  auto value = fold::choose_value(p, o.selection.sample_index, false);
  if (!value) return value.error();
  auto view = fold::build_view(p, o.selection.filters);
  if (!view) return view.error();
  const auto units = fold::num_label_units(p);

  // key -> label value (numeric ones formatted in the key's unit) -> sum of the samples' values
  std::map<std::string, std::map<std::string, int64_t>> tags;
  bool overflow = false;
  const auto add = [&](std::map<std::string, int64_t>& to, std::string key, int64_t v) {
    int64_t& sum = to[std::move(key)];
    if (auto s = checked_add(sum, v)) sum = *s;
    else overflow = true;
  };
  for (const fold::ViewSample& vs : view->samples) {
    const int64_t v = p.sample_values(vs.sample)[value->index];
    for (const model::Label& l : p.sample_labels(p.samples[vs.sample])) {
      if (!view->label_shown(l.key)) continue;
      const std::string_view key = p.str(l.key);
      std::string label;
      if (l.str != model::kEmptyStr) {
        label = p.str(l.str);
      } else {
        auto it = units.find(key);
        label = model::scaled_label(l.num, it == units.end() ? std::string_view() : std::string_view(it->second),
                                    o.unit);
      }
      add(tags[std::string(key)], std::move(label), v);
    }
  }
  if (overflow) return Error{"the label totals overflow int64"};

  std::string table;
  for (const auto& [key, values] : tags) {  // keys sorted by name, as pprof's SortTags of zero-valued tags
    int64_t total = 0;
    for (const auto& [name, sum] : values) {
      if (auto t = checked_add(total, sum)) total = *t;
      else return Error{fmt::format("the total of label {} overflows int64", text_escaped(key))};
    }
    const auto scaled = [&](int64_t v) {
      const model::Scaled s = model::scale(v, value->unit, o.unit);
      return fmt::format("{:.1f}{}", s.value, s.unit);
    };
    table += fmt::format("{}:\t Total {}\n", text_escaped(key), scaled(total));
    std::vector<std::pair<std::string_view, int64_t>> rows(values.begin(), values.end());
    const auto mag = [](int64_t v) { return v < 0 ? ~static_cast<uint64_t>(v) + 1 : static_cast<uint64_t>(v); };
    std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) { return mag(a.second) > mag(b.second); });
    for (const auto& [name, sum] : rows) {
      if (total > 0) {
        table += fmt::format(" \t{} ({}):\t {}\n", scaled(sum), model::percentage(sum, total), text_escaped(name));
      } else {
        table += fmt::format(" \t{}:\t {}\n", scaled(sum), text_escaped(name));
      }
    }
    table += '\n';
  }
  return LabelReport{.text = go_tabwriter_align_right(table), .warnings = view->warnings};
}

}  // namespace pprofx::report
