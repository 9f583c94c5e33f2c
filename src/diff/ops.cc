#include "pprofx/diff/ops.h"

#include <fmt/format.h>

#include <set>

#include "pprofx/base/checked.h"
#include "pprofx/base/strings.h"

namespace pprofx::diff {

Result<std::vector<int64_t>> parse_ops(std::string_view text, std::string_view option) {
  std::vector<int64_t> out;
  for (size_t start = 0; start <= text.size();) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view item = text.substr(start, comma - start);
    int64_t n = 0;
    if (item.empty() || item[0] == '+' || item[0] == '-' || !parse_int64(item, &n) || n <= 0) {
      return Error{fmt::format("{} \"{}\": \"{}\" is not an operation count (a whole number above 0)", option,
                               text_escaped(text), text_escaped(item))};
    }
    out.push_back(n);
    start = comma + 1;
  }
  return out;
}

Result<int64_t> bench_ops(std::string_view output, std::string_view path) {
  std::set<std::string> names;
  int64_t total = 0;
  for (size_t start = 0; start < output.size();) {
    const size_t nl = std::min(output.find('\n', start), output.size());
    std::string_view line = output.substr(start, nl - start);
    start = nl + 1;
    if (!starts_with(line, "Benchmark")) continue;
    // Fields: the name, N, then value/unit pairs; the line must say ns/op.
    std::vector<std::string_view> fields;
    for (size_t i = 0; i < line.size();) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
      const size_t j = line.find_first_of(" \t\r", i);
      const size_t end = j == std::string_view::npos ? line.size() : j;
      if (end > i) fields.push_back(line.substr(i, end - i));
      i = end;
    }
    bool ns_per_op = false;
    for (size_t f = 3; f < fields.size(); ++f) ns_per_op = ns_per_op || fields[f] == "ns/op";
    int64_t n = 0;
    if (fields.size() < 4 || !ns_per_op || !parse_int64(fields[1], &n) || n <= 0) continue;
    std::string name(fields[0]);
    if (const size_t dash = name.rfind('-'); dash != std::string::npos && dash + 1 < name.size() &&
                                             name.find_first_not_of("0123456789", dash + 1) == std::string::npos) {
      name.resize(dash);  // BenchmarkX-8: the GOMAXPROCS suffix
    }
    names.insert(name);
    const std::optional<int64_t> sum = checked_add(total, n);
    if (!sum) return Error{fmt::format("{}: the operation counts add up past the int64 range", path)};
    total = *sum;
  }
  if (names.empty()) {
    return Error{fmt::format("{}: no benchmark result (a \"BenchmarkName  N  T ns/op\" line of go test -bench)", path)};
  }
  if (names.size() > 1) {
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
    return Error{
        fmt::format("{}: results of {} benchmarks ({}): a profile per benchmark is needed to compare per "
                    "operation (go test -bench '^BenchmarkX$')",
                    path, names.size(), text_escaped(list))};
  }
  return total;
}

}  // namespace pprofx::diff
