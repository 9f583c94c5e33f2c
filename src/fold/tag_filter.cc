// pprof's compileTagFilter / parseTagFilterRange (internal/driver/driver_focus.go).
#include "pprofx/fold/tag_filter.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <cctype>
#include <map>
#include <memory>
#include <vector>

#include "pprofx/base/regex.h"
#include "pprofx/base/strings.h"
#include "pprofx/model/units.h"

namespace pprofx::fold {
namespace {

struct RangeToken {
  std::string text, digits, unit;
};

// Go: ([+-]?[[:digit:]]+)([[:alpha:]]+)? found up to twice, leftmost first.
std::vector<RangeToken> find_range_tokens(std::string_view s) {
  std::vector<RangeToken> out;
  size_t i = 0;
  while (i < s.size() && out.size() < 2) {
    size_t j = i;
    if (s[j] == '+' || s[j] == '-') ++j;
    size_t d = j;
    while (d < s.size() && std::isdigit(static_cast<unsigned char>(s[d]))) ++d;
    if (d == j) {
      ++i;
      continue;
    }
    size_t a = d;
    while (a < s.size() && std::isalpha(static_cast<unsigned char>(s[a]))) ++a;
    out.push_back({std::string(s.substr(i, a - i)), std::string(s.substr(i, d - i)),
                   std::string(s.substr(d, a - d))});
    i = a;
  }
  return out;
}

using NumPredicate = std::function<bool(int64_t value, std::string_view unit)>;

// nullptr when the text is not a range (then it is a regex list).
NumPredicate parse_range(std::string_view filter, bool* overflow) {
  *overflow = false;
  const auto tokens = find_range_tokens(filter);
  if (tokens.empty()) return nullptr;
  int64_t v;
  if (!parse_int64(tokens[0].digits, &v)) {
    *overflow = true;
    return nullptr;
  }
  const model::Scaled lo = model::scale(v, tokens[0].unit, tokens[0].unit);
  const std::string unit = lo.unit;
  const double lov = lo.value;
  if (tokens.size() == 1) {
    const std::string& m = tokens[0].text;
    if (filter == m) {
      return [=](int64_t x, std::string_view u) {
        const model::Scaled s = model::scale(x, u, unit);
        return s.unit == unit && s.value == lov;
      };
    }
    if (filter == m + ":") {
      return [=](int64_t x, std::string_view u) {
        const model::Scaled s = model::scale(x, u, unit);
        return s.unit == unit && s.value >= lov;
      };
    }
    if (filter == ":" + m) {
      return [=](int64_t x, std::string_view u) {
        const model::Scaled s = model::scale(x, u, unit);
        return s.unit == unit && s.value <= lov;
      };
    }
    return nullptr;
  }
  if (filter != tokens[0].text + ":" + tokens[1].text) return nullptr;
  if (!parse_int64(tokens[1].digits, &v)) {
    *overflow = true;
    return nullptr;
  }
  const model::Scaled hi = model::scale(v, tokens[1].unit, unit);
  if (hi.unit != unit) return nullptr;
  const double hiv = hi.value;
  return [=](int64_t x, std::string_view u) {
    const model::Scaled s = model::scale(x, u, unit);
    return s.unit == unit && s.value >= lov && s.value <= hiv;
  };
}

}  // namespace

std::map<std::string, std::string, std::less<>> num_label_units(const model::Profile& p) {
  std::map<std::string, std::string, std::less<>> units;
  for (const model::Label& l : p.labels) {
    if (l.str != model::kEmptyStr) continue;
    auto [it, inserted] = units.try_emplace(std::string(p.str(l.key)));
    if (it->second.empty() && l.num_unit != model::kEmptyStr) it->second = p.str(l.num_unit);
  }
  for (auto& [key, unit] : units) {
    if (unit.empty()) unit = (key == "request" || key == "alignment") ? "bytes" : key;
  }
  return units;
}

Result<SamplePredicate> compile_tag_filter(const model::Profile& p, std::string_view option,
                                           std::string_view expr, std::string* note) {
  std::string_view want_key;
  std::string_view value = expr;
  if (size_t eq = expr.find('='); eq != std::string_view::npos) {
    want_key = expr.substr(0, eq);
    value = expr.substr(eq + 1);
  }
  const model::Profile* pp = &p;
  bool overflow = false;
  if (NumPredicate range = parse_range(value, &overflow)) {
    *note = fmt::format("{}: interpreted '{}' as a range, not a regexp", option, value);
    auto units = std::make_shared<std::map<std::string, std::string, std::less<>>>(num_label_units(p));
    auto unit_of = [units](std::string_view key) -> std::string_view {
      auto it = units->find(key);
      return it == units->end() ? std::string_view() : std::string_view(it->second);
    };
    const std::string key(want_key);
    return SamplePredicate([pp, range, unit_of, key](const model::Sample& s) {
      for (const model::Label& l : pp->sample_labels(s)) {
        if (l.str != model::kEmptyStr) continue;
        const std::string_view k = pp->str(l.key);
        if (!key.empty() && k != key) continue;
        if (range(l.num, unit_of(k))) return true;
      }
      return false;
    });
  }
  if (overflow) return Error{fmt::format("parsing {}: number out of range in \"{}\"", option, value)};

  auto regexes = std::make_shared<std::vector<std::shared_ptr<const RE2>>>();
  size_t start = 0;
  while (true) {
    size_t comma = value.find(',', start);
    std::string_view part = value.substr(start, comma == std::string_view::npos ? value.npos : comma - start);
    auto re = compile_regex(part);
    if (!re) return Error{fmt::format("parsing {} regexp: {}", option, re.error().message)};
    regexes->push_back(std::move(*re));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (want_key.empty()) {
    // Every regex must match some string label "key:value".
    return SamplePredicate([pp, regexes](const model::Sample& s) {
      std::string kv;
      for (const auto& re : *regexes) {
        bool matched = false;
        for (const model::Label& l : pp->sample_labels(s)) {
          if (l.str == model::kEmptyStr) continue;
          kv.assign(pp->str(l.key));
          kv += ':';
          kv += pp->str(l.str);
          if (RE2::PartialMatch(kv, *re)) {
            matched = true;
            break;
          }
        }
        if (!matched) return false;
      }
      return true;
    });
  }
  const std::string key(want_key);
  return SamplePredicate([pp, regexes, key](const model::Sample& s) {
    for (const model::Label& l : pp->sample_labels(s)) {
      if (l.str == model::kEmptyStr || pp->str(l.key) != key) continue;
      for (const auto& re : *regexes) {
        if (RE2::PartialMatch(pp->str(l.str), *re)) return true;
      }
    }
    return false;
  });
}

}  // namespace pprofx::fold
