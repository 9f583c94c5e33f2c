#include <doctest/doctest.h>

#include "pprofx/report/diff_report.h"

using namespace pprofx;

TEST_CASE("the share noise bound is 3 standard errors of a difference of proportions") {
  // p = 10% on both sides, 1000 samples each: se = sqrt(0.1 * 0.9 * (1/1000 + 1/1000)) = 1.3416 pt.
  CHECK(diff::share_noise_points(10, 10, 1000, 1000) == doctest::Approx(3 * 1.3416).epsilon(0.001));
  // More samples, tighter bound; no samples, no bound.
  CHECK(diff::share_noise_points(10, 10, 100000, 100000) < 0.5);
  CHECK(diff::share_noise_points(10, 10, 0, 1000) == 0);
  // Pooled share: 5% of 1000 and 15% of 1000 pool to 10%.
  CHECK(diff::share_noise_points(5, 15, 1000, 1000) == doctest::Approx(3 * 1.3416).epsilon(0.001));
}

TEST_CASE("absolute changes: Poisson noise on sampled values, none on exact counts") {
  diff::DiffTable t;
  t.type = "inuse_space";
  t.base_total = t.new_total = 1000 * 512;  // 1000 samples of 512 bytes each side
  t.base_count = t.new_count = 1000;
  // 100 samples -> 110 samples of one function: se = 512 * sqrt(210) = 7420 bytes; 10 samples = 5120 < 3 se.
  CHECK(diff::value_within_noise(100 * 512, 110 * 512, t));
  CHECK_FALSE(diff::value_within_noise(100 * 512, 200 * 512, t));
  t.type = "goroutine";
  CHECK_FALSE(diff::value_within_noise(100, 101, t));  // goroutines are counted, not sampled
  CHECK_FALSE(diff::value_within_noise(100, 100, t));  // unchanged, not "within noise": there is none
  t.type = "inuse_space";
  CHECK(diff::value_within_noise(100, 100, t));
}

TEST_CASE("share changes: no sampling noise on exact counts (goroutines, threads)") {
  diff::DiffTable t;
  t.type = "cpu";
  CHECK(diff::share_noise_points(t, 10, 12, 1000, 1000) == diff::share_noise_points(10, 12, 1000, 1000));
  CHECK(diff::share_noise_points(t, 10, 12, 1000, 1000) > 0);
  for (const char* exact : {"goroutine", "threadcreate"}) {
    t.type = exact;
    CHECK(diff::exact_counts(t.type));
    CHECK(diff::share_noise_points(t, 10, 12, 1000, 1000) == 0);
  }
  CHECK_FALSE(diff::exact_counts("inuse_space"));
}
