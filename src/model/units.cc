#include "pprofx/model/units.h"

#include <cstdint>

#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <vector>

namespace pprofx::model {
namespace {

struct Unit {
  const char* name;
  std::vector<std::string_view> aliases;
  double factor;
};

struct UnitType {
  Unit default_unit;
  std::vector<Unit> units;

  const Unit* find_by_alias(std::string_view alias) const {
    for (const Unit& u : units) {
      for (std::string_view a : u.aliases) {
        if (a == alias) return &u;
      }
    }
    return nullptr;
  }
  // Lower-cases and drops a plural "s" (for names longer than 2), as pprof.
  const Unit* sniff(std::string_view unit) const {
    std::string u(unit);
    for (char& c : u) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (u.size() > 2 && u.back() == 's') u.pop_back();
    return find_by_alias(u);
  }
  bool auto_scale(double value, double* out, std::string* unit) const {
    double f = 0;
    const char* name = nullptr;
    for (const Unit& u : units) {
      if (u.factor >= f && value / u.factor >= 1.0) {
        f = u.factor;
        name = u.name;
      }
    }
    if (f == 0) return false;
    *out = value / f;
    *unit = name;
    return true;
  }
  bool convert(int64_t value, std::string_view from, std::string_view to, Scaled* out) const {
    const Unit* from_unit = sniff(from);
    if (from_unit == nullptr) return false;
    const double v = static_cast<double>(value) * from_unit->factor;
    if (to == "minimum" || to == "auto") {
      if (auto_scale(v, &out->value, &out->unit)) return true;
      *out = {v / default_unit.factor, default_unit.name};
      return true;
    }
    const Unit* to_unit = sniff(to);
    if (to_unit == nullptr) {
      *out = {v / default_unit.factor, default_unit.name};
      return true;
    }
    *out = {v / to_unit->factor, to_unit->name};
    return true;
  }
};

const std::array<UnitType, 3>& unit_types() {
  static const std::array<UnitType, 3> types = {
      UnitType{{"B", {"b", "byte"}, 1},
               {{"B", {"b", "byte"}, 1},
                {"kB", {"kb", "kbyte", "kilobyte"}, double(1 << 10)},
                {"MB", {"mb", "mbyte", "megabyte"}, double(1 << 20)},
                {"GB", {"gb", "gbyte", "gigabyte"}, double(1 << 30)},
                {"TB", {"tb", "tbyte", "terabyte"}, double(uint64_t{1} << 40)},
                {"PB", {"pb", "pbyte", "petabyte"}, double(uint64_t{1} << 50)}}},
      UnitType{{"s", {}, 1e9},
               {{"ns", {"ns", "nanosecond"}, 1},
                {"us", {"\xce\xbcs", "us", "microsecond"}, 1e3},
                {"ms", {"ms", "millisecond"}, 1e6},
                {"s", {"s", "sec", "second"}, 1e9},
                {"hrs", {"hour", "hr"}, 3600e9}}},
      UnitType{{"GCU", {}, 1.0},
               {{"n*GCU", {"nanogcu"}, 1e-9},
                {"u*GCU", {"microgcu"}, 1e-6},
                {"m*GCU", {"milligcu"}, 1e-3},
                {"GCU", {"gcu"}, 1},
                {"k*GCU", {"kilogcu"}, 1e3},
                {"M*GCU", {"megagcu"}, 1e6},
                {"G*GCU", {"gigagcu"}, 1e9},
                {"T*GCU", {"teragcu"}, 1e12},
                {"P*GCU", {"petagcu"}, 1e15}}},
  };
  return types;
}

}  // namespace

Scaled scale(int64_t value, std::string_view from_unit, std::string_view to_unit) {
  // Go's `value < 0 && -value > 0`: INT64_MIN negates to itself there, so it
  // is converted as it is (no readable unit is found for it) rather than
  // negated, which would overflow (and recurse forever).
  if (value < 0 && value != INT64_MIN) {
    Scaled s = scale(-value, from_unit, to_unit);
    s.value = -s.value;
    return s;
  }
  Scaled out;
  for (const UnitType& ut : unit_types()) {
    if (ut.convert(value, from_unit, to_unit, &out)) return out;
  }
  if (to_unit == "count" || to_unit == "sample" || to_unit == "unit" || to_unit == "minimum" ||
      to_unit == "auto") {
    return {static_cast<double>(value), ""};
  }
  return {static_cast<double>(value), std::string(to_unit)};
}

std::string scaled_label(int64_t value, std::string_view from_unit, std::string_view to_unit) {
  const Scaled s = scale(value, from_unit, to_unit);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", s.value);
  std::string v = buf;
  if (v.size() >= 3 && v.compare(v.size() - 3, 3, ".00") == 0) v.resize(v.size() - 3);
  if (v == "0" || v == "-0") return "0";
  return v + s.unit;
}

int64_t divided(int64_t v, double divide_by) {
  const double ratio = 1 / divide_by;
  if (!(ratio > 0) || ratio == 1) return v;
  const double d = static_cast<double>(v) * ratio;
  if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) return INT64_MIN;
  return static_cast<int64_t>(d);
}

std::string percentage(int64_t value, int64_t total) {
  double ratio = 0;
  if (total != 0) ratio = std::fabs(static_cast<double>(value) / static_cast<double>(total)) * 100;
  char buf[64];
  if (ratio >= 99.95 && ratio <= 100.05) return "  100%";
  if (ratio >= 1.0) {
    std::snprintf(buf, sizeof buf, "%5.2f%%", ratio);
  } else {
    std::snprintf(buf, sizeof buf, "%5.2g%%", ratio);
  }
  return buf;
}

bool is_known_unit(std::string_view unit) {
  for (const UnitType& ut : unit_types()) {
    if (ut.sniff(unit) != nullptr) return true;
  }
  return false;
}

bool same_unit_kind(std::string_view a, std::string_view b) {
  if (a == b) return true;
  for (const UnitType& ut : unit_types()) {
    if (ut.sniff(a) != nullptr && ut.sniff(b) != nullptr) return true;
  }
  return false;
}

}  // namespace pprofx::model
