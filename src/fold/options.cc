#include "pprofx/fold/options.h"

#include <fmt/format.h>

#include "pprofx/base/strings.h"

namespace pprofx::fold {

Result<Granularity> parse_granularity(std::string_view name) {
  if (name == "functions") return Granularity::kFunctions;
  if (name == "filefunctions") return Granularity::kFileFunctions;
  if (name == "files") return Granularity::kFiles;
  if (name == "lines") return Granularity::kLines;
  if (name == "addresses") return Granularity::kAddresses;
  return Error{fmt::format(
      "unknown granularity \"{}\" (one of functions, filefunctions, files, lines, addresses)", name)};
}

std::string_view granularity_name(Granularity g) {
  switch (g) {
    case Granularity::kFunctions: return "functions";
    case Granularity::kFileFunctions: return "filefunctions";
    case Granularity::kFiles: return "files";
    case Granularity::kLines: return "lines";
    case Granularity::kAddresses: return "addresses";
  }
  return "functions";
}

size_t default_sample_index(const model::Profile& p) {
  if (p.default_sample_type != model::kEmptyStr) {
    const std::string_view want = p.str(p.default_sample_type);
    for (size_t i = 0; i < p.sample_types.size(); ++i) {
      if (p.str(p.sample_types[i].type) == want) return i;
    }
  }
  return p.sample_types.empty() ? 0 : p.sample_types.size() - 1;
}

Result<ValueChoice> choose_value(const model::Profile& p, std::string_view sample_index, bool mean) {
  const size_t n = p.sample_types.size();
  if (n == 0) return Error{"the profile has no sample types (no samples)"};
  size_t index = n;
  int64_t number;
  if (sample_index.empty()) {
    index = default_sample_index(p);
  } else if (parse_int64(sample_index, &number)) {
    if (number < 0 || static_cast<uint64_t>(number) >= n) {
      return Error{fmt::format("sample index {} is outside the range [0..{}]", sample_index, n - 1)};
    }
    index = static_cast<size_t>(number);
  } else {
    std::string_view no_inuse = sample_index;
    if (starts_with(no_inuse, "inuse_")) no_inuse.remove_prefix(6);
    for (size_t i = 0; i < n && index == n; ++i) {
      const std::string_view t = p.str(p.sample_types[i].type);
      if (t == sample_index || t == no_inuse) index = i;
    }
    if (index == n) {
      std::string names;
      for (size_t i = 0; i < n; ++i) {
        names += fmt::format("{}{}", i ? " " : "", p.str(p.sample_types[i].type));
      }
      return Error{fmt::format("sample index \"{}\" must be one of: [{}]", sample_index, names)};
    }
  }
  ValueChoice c;
  c.index = index;
  c.mean = mean;
  c.type = std::string(p.str(p.sample_types[index].type));
  if (mean) c.type = "mean_" + c.type;
  c.unit = std::string(p.str(p.sample_types[index].unit));
  return c;
}

}  // namespace pprofx::fold
