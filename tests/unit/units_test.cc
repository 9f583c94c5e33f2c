#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>

#include "pprofx/model/units.h"

using namespace pprofx::model;

TEST_CASE("scaled_label prints values as pprof does") {
  CHECK(scaled_label(1500000000, "nanoseconds", "auto") == "1.50s");
  CHECK(scaled_label(240290000000, "nanoseconds", "s") == "240.29s");
  CHECK(scaled_label(10000000, "nanoseconds", "ms") == "10ms");
  CHECK(scaled_label(0, "nanoseconds", "ms") == "0");
  CHECK(scaled_label(524288, "bytes", "auto") == "512kB");
  CHECK(scaled_label(1536, "bytes", "minimum") == "1.50kB");
  CHECK(scaled_label(930, "count", "minimum") == "930");
  CHECK(scaled_label(-2048, "bytes", "auto") == "-2kB");
  CHECK(scaled_label(7200000000000, "nanoseconds", "auto") == "2hrs");
  CHECK(scaled_label(3, "microseconds", "ns") == "3000ns");
  CHECK(scaled_label(42, "requests", "minimum") == "42");
}

TEST_CASE("percentage matches pprof's formatting") {
  CHECK(percentage(1, 1) == "  100%");
  CHECK(percentage(2, 3) == "66.67%");
  CHECK(percentage(17, 100000) == "0.017%");
  CHECK(percentage(0, 10) == "    0%");
  CHECK(percentage(5, 0) == "    0%");
  CHECK(percentage(-1, 4) == "25.00%");
}

TEST_CASE("unit kinds") {
  CHECK(is_known_unit("nanoseconds"));
  CHECK(is_known_unit("bytes"));
  CHECK_FALSE(is_known_unit("count"));
  CHECK(same_unit_kind("ms", "nanoseconds"));
  CHECK_FALSE(same_unit_kind("bytes", "nanoseconds"));
}

TEST_CASE("divided: pprof's -divide_by, truncated as Go converts; ignored where pprof ignores it") {
  CHECK(divided(1999, 1000) == 1);
  CHECK(divided(-1999, 1000) == -1);  // toward zero
  CHECK(divided(7, 0.5) == 14);
  CHECK(divided(7, 1) == 7);
  CHECK(divided(7, -2) == 7);                  // 1/divide_by not positive: pprof leaves values alone
  CHECK(divided(7, std::nan("")) == 7);
  CHECK(divided(7, HUGE_VAL) == 7);            // 1/inf = 0
  CHECK(divided(INT64_MAX, 1e-12) == INT64_MIN);  // out of range: Go's int64() on amd64
}
