// `pprofx cross`: profiles of one program on different axes (CPU time,
// allocated bytes and objects, lock delay, block delay, goroutines) joined per
// function, ranked by how many axes a function is hot on.
#pragma once

#include <string>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/fold/options.h"
#include "pprofx/model/profile.h"

namespace pprofx::report {

enum class Axis { kCpu, kAllocSpace, kAllocObjects, kLockDelay, kBlockDelay, kGoroutines };
std::string_view axis_name(Axis a);  // "cpu", "alloc_space", "alloc_objects", "lock_delay", "block_delay", "goroutines"

// What a profile is, from its sample types (and for contention profiles, its
// stacks: delay released at an Unlock is lock delay, else block delay).
// kind: "" to detect, or "cpu", "heap", "mutex", "block", "goroutine".
struct CrossInput {
  const model::Profile* profile = nullptr;
  std::string name;  // for messages and the legend
  std::string kind;
};

struct CrossOptions {
  bool cum = false;            // cum instead of flat values
  double hot = 0.05;           // a function is hot on an axis at this share of the axis total
  size_t max_rows = 20;        // 0: all
  fold::Filters filters;       // applied to every profile
  // Delay axes, flat: frames matching this (RE2) are skipped from the leaf,
  // so the delay lands on the code that waited or held the lock (Go's
  // sync/runtime primitives by default). "" charges the leaf, as pprof does.
  std::string wait_primitives = R"(^(sync|sync/atomic|internal/sync|internal/poll|runtime)\.)";
};

struct CrossColumn {
  Axis axis;
  std::string file;
  std::string sample_type, unit;
  int64_t total = 0;
};

struct CrossRow {
  std::string function;
  std::vector<int64_t> values;   // per column
  std::vector<double> shares;    // per column, value / column total (0 if the total is 0)
  std::vector<bool> hot;         // per column
  size_t hot_count = 0;          // resources it is hot on (bytes and objects allocated count once)
  double share_sum = 0;
};

struct CrossTable {
  std::vector<CrossColumn> columns;
  std::vector<CrossRow> rows;    // ranked: hot_count, then share_sum, then name
  size_t functions = 0;          // before max_rows
  CrossOptions options;
  std::vector<std::string> warnings;
  std::string format_value(size_t column, int64_t v) const;
};

Result<CrossTable> cross_table(const std::vector<CrossInput>& inputs, const CrossOptions& options);

std::string format_cross_text(const CrossTable& t, bool color);
std::string format_cross_markdown(const CrossTable& t);
std::string format_cross_json(const CrossTable& t);

}  // namespace pprofx::report
