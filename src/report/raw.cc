#include "pprofx/report/raw.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <vector>

#include "pprofx/base/strings.h"
#include "pprofx/fold/view.h"
#include "pprofx/model/merge.h"
#include "label_text.h"

namespace pprofx::report {
namespace {

// Go's fmtFrac: the last prec digits of v as ".123" without trailing zeros.
std::string frac(uint64_t* v, int prec) {
  std::string digits;
  bool print = false;
  for (int i = 0; i < prec; ++i) {
    const char d = static_cast<char>('0' + *v % 10);
    print = print || d != '0';
    if (print) digits.insert(digits.begin(), d);
    *v /= 10;
  }
  return print ? "." + digits : "";
}

// Go's fmt "%.4v" of a Stringer: the string cut to 4 runes.
std::string first_runes(const std::string& s, size_t n) {
  size_t i = 0;
  for (size_t k = 0; k < n && i < s.size(); ++k) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xc0) == 0x80) ++i;
  }
  return s.substr(0, i);
}

}  // namespace

std::string go_duration(int64_t nanos) {
  const bool neg = nanos < 0;
  uint64_t u = neg ? ~static_cast<uint64_t>(nanos) + 1 : static_cast<uint64_t>(nanos);
  std::string out;
  if (u < 1000000000) {
    if (u == 0) return "0s";
    int prec = 6;
    std::string unit = "ms";
    if (u < 1000) prec = 0, unit = "ns";
    else if (u < 1000000) prec = 3, unit = "\xc2\xb5s";
    const std::string f = frac(&u, prec);
    out = std::to_string(u) + f + unit;
  } else {
    const std::string f = frac(&u, 9);
    out = std::to_string(u % 60) + f + "s";
    u /= 60;
    if (u > 0) {
      out = std::to_string(u % 60) + "m" + out;
      u /= 60;
      if (u > 0) out = std::to_string(u) + "h" + out;
    }
  }
  return neg ? "-" + out : out;
}

std::string go_time(int64_t unix_nanos) {
  int64_t secs = unix_nanos / 1000000000;
  int64_t ns = unix_nanos % 1000000000;
  if (ns < 0) ns += 1000000000, --secs;
  const std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  localtime_r(&t, &tm);
  uint64_t fraction = static_cast<uint64_t>(ns);
  const std::string f = frac(&fraction, 9);
  const long off = tm.tm_gmtoff / 60;
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}{} {}{:02}{:02} {}", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, f, off < 0 ? '-' : '+', std::labs(off) / 60,
                     std::labs(off) % 60, tm.tm_zone ? tm.tm_zone : "UTC");
}

Result<LabelReport> raw_report(const model::Profile& input, const LabelReportOptions& o) {
  auto merged = model::merge({&input}, {""});  // pprof reads every profile through Merge
  if (!merged) return merged.error();
  const model::Profile& p = *merged;
  auto view = fold::build_view(p, o.selection.filters);
  if (!view) return view.error();
  const auto s = [&](model::StrId id) { return text_escaped(p.str(id)); };
  std::string out;
  const auto line = [&](std::string_view l) {
    out += l;
    out += '\n';
  };
  for (model::StrId c : p.comments) line("Comment: " + s(c));
  line(fmt::format("PeriodType: {} {}", s(p.period_type.type), s(p.period_type.unit)));
  line(fmt::format("Period: {}", p.period));
  if (p.time_nanos != 0) line("Time: " + go_time(p.time_nanos));
  if (p.duration_nanos != 0) line("Duration: " + first_runes(go_duration(p.duration_nanos), 4));
  line("Samples:");
  std::string types;
  for (const model::ValueType& t : p.sample_types) {
    types += fmt::format("{}/{}{} ", s(t.type), s(t.unit), t.type == p.default_sample_type ? "[dflt]" : "");
  }
  while (!types.empty() && types.back() == ' ') types.pop_back();
  line(types);
  for (const fold::ViewSample& vs : view->samples) {
    const model::Sample& sm = p.samples[vs.sample];
    std::string sv;
    for (int64_t v : p.sample_values(vs.sample)) sv += fmt::format(" {:>10}", v);
    sv += ": ";
    for (model::LocationId l : view->stack(vs)) sv += fmt::format("{} ", p.locations[l].file_id);
    line(sv);
    std::map<std::string_view, std::vector<std::string>> strs;
    std::map<std::string_view, std::pair<std::vector<int64_t>, std::vector<std::string>>> nums;
    for (const model::Label& l : p.sample_labels(sm)) {
      if (!view->label_shown(l.key)) continue;
      if (l.str != model::kEmptyStr) {
        strs[p.str(l.key)].push_back(s(l.str));
        continue;
      }
      auto& [values, units] = nums[p.str(l.key)];
      if (l.num_unit != model::kEmptyStr) {  // Go's decoder: units padded to the values so far
        units.resize(std::max(units.size(), values.size()));
        units.push_back(s(l.num_unit));
      }
      values.push_back(l.num);
    }
    constexpr std::string_view kIndent = "                ";
    const auto joined = [](const std::vector<std::string>& parts) {
      std::string j;
      for (const std::string& x : parts) j += (j.empty() ? "" : " ") + x;
      return j;
    };
    if (!strs.empty()) {
      std::vector<std::string> ls;
      for (const auto& [k, values] : strs) ls.push_back(text_escaped(k) + ":[" + joined(values) + "]");
      std::sort(ls.begin(), ls.end());
      line(std::string(kIndent) + joined(ls));
    }
    if (!nums.empty()) {
      std::vector<std::string> ls;
      for (auto& [k, vu] : nums) {
        auto& [values, units] = vu;
        if (!units.empty()) units.resize(std::max(units.size(), values.size()));
        std::vector<std::string> shown;
        for (size_t j = 0; j < values.size(); ++j) {
          shown.push_back(units.size() == values.size() ? fmt::format("{} {}", values[j], units[j])
                                                        : std::to_string(values[j]));
        }
        ls.push_back(text_escaped(k) + ":[" + joined(shown) + "]");
      }
      std::sort(ls.begin(), ls.end());
      line(std::string(kIndent) + joined(ls));
    }
  }
  line("Locations");
  for (model::LocationId id : ids<model::LocationId>(p.locations.size())) {
    const model::Location& l = p.locations[id];
    std::string head = fmt::format("{:>6}: {:#x} ", l.file_id, l.address);
    if (l.mapping != model::kNone) head += fmt::format("M={} ", p.mappings[l.mapping].file_id);
    else if (p.mappings.empty() && !l.is_label_frame) head += "M=1 ";  // pprof's fake mapping (below), made before --tagroot's frames
    if (l.is_folded) head += "[F] ";
    const auto lines = view->lines(id);  // what hide/show left
    if (lines.empty()) line(head);
    for (model::LineId lid : lines) {
      const model::Line& ln = p.lines[lid];
      std::string text = "??";
      if (ln.function != model::kNone) {
        const model::Function& fn = p.functions[ln.function];
        text = fmt::format("{} {}:{} s={}", s(fn.name), s(fn.filename), ln.line, fn.start_line);
        if (fn.name != fn.system_name) text += "(" + s(fn.system_name) + ")";
      }
      line(head + text);
      head = "             ";
    }
  }
  line("Mappings");
  // pprof's locateBinaries gives a profile without mappings a fake one, id 1,
  // that every location points at (to try symbolizing against a non-PIE binary).
  if (p.mappings.empty()) line("1: 0x0/0x0/0x0   ");
  for (const model::Mapping& m : p.mappings) {
    std::string bits;
    if (m.has_functions) bits += "[FN]";
    if (m.has_filenames) bits += "[FL]";
    if (m.has_line_numbers) bits += "[LN]";
    if (m.has_inline_frames) bits += "[IN]";
    line(fmt::format("{}: {:#x}/{:#x}/{:#x} {} {} {}", m.file_id, m.memory_start, m.memory_limit, m.file_offset,
                     s(m.filename), s(m.build_id), bits));
  }
  return LabelReport{.text = std::move(out), .warnings = std::move(view->warnings)};
}

}  // namespace pprofx::report
