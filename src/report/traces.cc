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
#include "machine_formats.h"

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
  const auto format = [&](int64_t v) { return model::scaled_label(model::divided(v, o.divide_by), value->unit, o.unit); };
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

Result<TagsTable> tags_table(const model::Profile& p, const LabelReportOptions& o) {
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

  TagsTable t{.type = value->type, .sample_unit = value->unit, .unit = o.unit, .keys = {}, .warnings = view->warnings};
  for (const auto& [key, values] : tags) {  // keys sorted by name, as pprof's SortTags of zero-valued tags
    TagKey k{.key = key, .total = 0, .values = {}};
    for (const auto& [name, sum] : values) {
      if (auto total = checked_add(k.total, sum)) k.total = *total;
      else return Error{fmt::format("the total of label {} overflows int64", text_escaped(key))};
      k.values.push_back({name, sum});
    }
    const auto mag = [](int64_t v) { return v < 0 ? ~static_cast<uint64_t>(v) + 1 : static_cast<uint64_t>(v); };
    std::stable_sort(k.values.begin(), k.values.end(),
                     [&](const TagValue& a, const TagValue& b) { return mag(a.total) > mag(b.total); });
    t.keys.push_back(std::move(k));
  }
  return t;
}

std::string format_tags_text(const TagsTable& t) {
  const auto scaled = [&](int64_t v) {
    const model::Scaled s = model::scale(v, t.sample_unit, t.unit);
    return fmt::format("{:.1f}{}", s.value, s.unit);
  };
  std::string table;
  for (const TagKey& k : t.keys) {
    table += fmt::format("{}:\t Total {}\n", text_escaped(k.key), scaled(k.total));
    for (const TagValue& v : k.values) {
      if (k.total > 0) {
        table += fmt::format(" \t{} ({}):\t {}\n", scaled(v.total), model::percentage(v.total, k.total), text_escaped(v.name));
      } else {
        table += fmt::format(" \t{}:\t {}\n", scaled(v.total), text_escaped(v.name));
      }
    }
    table += '\n';
  }
  return go_tabwriter_align_right(table);
}

Result<LabelReport> tags_report(const model::Profile& p, const LabelReportOptions& o) {
  auto t = tags_table(p, o);
  if (!t) return t.error();
  return LabelReport{.text = format_tags_text(*t), .warnings = t->warnings};
}

// Shares are of the key's total, as the text's, when that total is positive (pprof prints none otherwise).
std::string format_tags_markdown(const TagsTable& t) {
  std::string out;
  for (const TagKey& k : t.keys) {
    out += fmt::format("{}: total {}\n\n| {} | share | value |\n|---:|---:|---|\n", markdown_code_span(k.key, false),
                       markdown_inline(model::scaled_label(k.total, t.sample_unit, t.unit), false),
                       markdown_inline(t.type, true));
    for (const TagValue& v : k.values) {
      out += fmt::format("| {} | {} | {} |\n", markdown_inline(model::scaled_label(v.total, t.sample_unit, t.unit), true),
                         k.total > 0 ? trimmed(model::percentage(v.total, k.total)) : "", markdown_code_span(v.name, true));
    }
    out += '\n';
  }
  return out;
}

std::string format_tags_json(const TagsTable& t) {
  std::string out = fmt::format("{{\n  \"report\": \"tags\",\n  \"type\": \"{}\",\n  \"unit\": \"{}\",\n  \"keys\": [",
                                json_escaped(t.type), json_escaped(t.sample_unit));
  for (size_t i = 0; i < t.keys.size(); ++i) {
    const TagKey& k = t.keys[i];
    out += fmt::format("{}\n    {{\"key\": \"{}\", \"total\": {}, \"values\": [", i ? "," : "", json_escaped(k.key), k.total);
    for (size_t j = 0; j < k.values.size(); ++j) {
      const TagValue& v = k.values[j];
      out += fmt::format("{}\n      {{\"value\": \"{}\", \"total\": {}, \"pct\": {}}}", j ? "," : "", json_escaped(v.name),
                         v.total, k.total > 0 ? share_number(v.total, k.total) : "null");
    }
    out += k.values.empty() ? "]}" : "\n    ]}";
  }
  out += t.keys.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

std::string format_tags_csv(const TagsTable& t) {
  std::string out = "key,value,total,pct,unit\n";
  for (const TagKey& k : t.keys) {
    for (const TagValue& v : k.values) {
      out += fmt::format("{},{},{},{},{}\n", csv_field(k.key), csv_field(v.name), v.total,
                         k.total > 0 ? share_number(v.total, k.total) : "", csv_field(t.sample_unit));
    }
  }
  return out;
}

}  // namespace pprofx::report
