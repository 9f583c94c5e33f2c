// Checked int64 arithmetic for sample values and header numbers. pprof's Go
// code wraps around silently; in C++ signed overflow is undefined, and
// pprofx refuses instead (docs/errors.md). Each function returns nullopt
// when the exact result does not fit in int64.
#pragma once

#include <cstdint>
#include <optional>

namespace pprofx {

inline std::optional<int64_t> checked_add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}

inline std::optional<int64_t> checked_sub(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) return std::nullopt;
  return r;
}

inline std::optional<int64_t> checked_mul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

// -v; nullopt for INT64_MIN.
inline std::optional<int64_t> checked_negate(int64_t v) { return checked_sub(0, v); }

// |v|; nullopt for INT64_MIN.
inline std::optional<int64_t> checked_abs(int64_t v) { return v < 0 ? checked_negate(v) : v; }

// |v| as uint64, defined for every v (INT64_MIN gives 2^63).
inline uint64_t magnitude(int64_t v) { return v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v); }

// int64(d) for a double already rounded as wanted (Go's int64(float64)
// truncates toward zero, as this does); nullopt for NaN and for values outside
// [-2^63, 2^63), where Go's conversion is implementation-defined.
inline std::optional<int64_t> checked_from_double(double d) {
  constexpr double kTwo63 = 9223372036854775808.0;
  if (!(d >= -kTwo63 && d < kTwo63)) return std::nullopt;
  return static_cast<int64_t>(d);
}

}  // namespace pprofx
