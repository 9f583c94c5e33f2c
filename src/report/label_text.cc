#include "label_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "pprofx/base/strings.h"
#include "pprofx/model/units.h"

namespace pprofx::report {

size_t go_rune_count(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++n) {
    uint32_t cp = 0;
    const size_t len = utf8_sequence(s, i, &cp);
    i += len != 0 ? len : 1;  // ASCII, or one invalid byte
  }
  return n;
}

std::string go_pad_left(std::string_view s, size_t width) {
  const size_t n = go_rune_count(s);
  std::string out(n < width ? width - n : 0, ' ');
  out += s;
  return out;
}

std::vector<std::string> sample_label_lines(const model::Profile& p, const fold::View& view, const model::Sample& s,
                                            const std::map<std::string, std::string, std::less<>>& units) {
  std::map<std::string_view, std::string> strs, nums;  // key -> values joined by spaces
  for (const model::Label& l : p.sample_labels(s)) {
    if (!view.label_shown(l.key)) continue;
    const std::string_view key = p.str(l.key);
    std::string value;
    if (l.str != model::kEmptyStr) {
      value = text_escaped(p.str(l.str));
    } else {
      auto it = units.find(key);
      value = model::scaled_label(l.num, it == units.end() ? std::string_view() : std::string_view(it->second),
                                  "auto");
    }
    std::string& joined = (l.str != model::kEmptyStr ? strs : nums)[key];
    if (!joined.empty()) joined += ' ';
    joined += value;
  }
  std::vector<std::string> out;
  for (auto* group : {&strs, &nums}) {
    std::vector<std::string> lines;
    for (const auto& [key, values] : *group) {
      lines.push_back(go_pad_left(text_escaped(key), 10) + ":  " + values + "\n");
    }
    std::sort(lines.begin(), lines.end());
    out.insert(out.end(), lines.begin(), lines.end());
  }
  return out;
}

std::string go_tabwriter_align_right(std::string_view text) {
  // Cells per line; the last cell of a line is not tab-terminated.
  struct Line {
    std::vector<std::string_view> cells;
    bool newline = false;
  };
  std::vector<Line> lines;
  Line line;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '\t' && text[i] != '\n') continue;
    line.cells.push_back(text.substr(start, i - start));
    start = i + 1;
    if (i < text.size() && text[i] == '\t') continue;
    line.newline = i < text.size();
    if (line.newline || line.cells.size() > 1 || !line.cells.back().empty()) lines.push_back(std::move(line));
    line = Line{};
  }
  std::string out;
  std::vector<size_t> widths;
  const auto write_lines = [&](size_t from, size_t to) {
    for (size_t l = from; l < to; ++l) {
      const auto& cells = lines[l].cells;
      for (size_t j = 0; j < cells.size(); ++j) {
        if (j < widths.size()) {
          const size_t w = go_rune_count(cells[j]);
          out.append(widths[j] > w ? widths[j] - w : 0, ' ');
        }
        out += cells[j];
      }
      if (lines[l].newline) out += '\n';
    }
  };
  // Go's Writer.format: a column block is a run of lines with a cell in the
  // column (not counting their last cell); its width is the widest cell + 1.
  const std::function<void(size_t, size_t)> format = [&](size_t line0, size_t line1) {
    const size_t column = widths.size();
    for (size_t t = line0; t < line1; ++t) {
      if (column + 1 >= lines[t].cells.size()) continue;
      write_lines(line0, t);
      line0 = t;
      size_t width = 0;
      for (; t < line1 && column + 1 < lines[t].cells.size(); ++t) {
        width = std::max(width, go_rune_count(lines[t].cells[column]) + 1);
      }
      widths.push_back(width);
      format(line0, t);
      widths.pop_back();
      line0 = t;
      --t;  // the loop's ++t re-examines line t
    }
    write_lines(line0, line1);
  };
  format(0, lines.size());
  return out;
}

}  // namespace pprofx::report
