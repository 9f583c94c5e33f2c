// Units and number formatting exactly as pprof prints them
// (internal/measurement): bytes in powers of 1024 (B kB MB GB TB PB), time
// ns us ms s hrs, GCU with SI prefixes; "%.2f" with a trailing ".00" dropped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pprofx::model {

struct Scaled {
  double value;
  std::string unit;  // "" when not worth printing (counts)
};

// Converts value in from_unit to to_unit ("minimum"/"auto" pick a readable
// unit). Unknown units pass through unchanged.
Scaled scale(int64_t value, std::string_view from_unit, std::string_view to_unit);

// "1.50s", "512kB", "0": value scaled and formatted.
std::string scaled_label(int64_t value, std::string_view from_unit, std::string_view to_unit);

// "12.34%", "  100%", "0.017%": pprof's percentage of total (absolute value).
std::string percentage(int64_t value, int64_t total);

// True if the unit is a known byte, time or GCU unit (or an alias of one).
bool is_known_unit(std::string_view unit);

// pprof's -divide_by as its reports show values: int64(v * (1 / divide_by)),
// truncated as Go converts (out of range: INT64_MIN, as on amd64); v itself
// when 1 / divide_by is not a positive number other than 1 (pprof ignores it then).
int64_t divided(int64_t v, double divide_by);

// True if a and b are both time units or both byte units (or equal).
bool same_unit_kind(std::string_view a, std::string_view b);

}  // namespace pprofx::model
