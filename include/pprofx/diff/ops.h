// Operation counts, for comparing profiles per operation (--normalize per-op):
// a benchmark that runs for a fixed time does fewer operations when it gets
// slower, while its profile's shares and CPU per second stay the same.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pprofx/base/result.h"

namespace pprofx::diff {

// "1000,1200": positive whole numbers, comma-separated (what --ops takes).
Result<std::vector<int64_t>> parse_ops(std::string_view text, std::string_view option);

// The operation count in `go test -bench` output: the N of its
// "BenchmarkName-8   N   123 ns/op ..." lines (summed over the runs of one
// benchmark with -count). An error naming `path` when there is no such line,
// or lines of several benchmarks (a profile of several cannot be divided by one count).
Result<int64_t> bench_ops(std::string_view output, std::string_view path);

}  // namespace pprofx::diff
