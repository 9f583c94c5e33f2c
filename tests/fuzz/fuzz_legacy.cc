// Fuzz target: pprof's legacy formats (gperftools binary CPU, heap/contention/
// threadz/Go count/Java text, memory maps), then what commands do with the
// result: graph, top table and folded stacks.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pprofx/fold/options.h"
#include "pprofx/fold/stack_trie.h"
#include "pprofx/fold/view.h"
#include "pprofx/legacy/legacy.h"
#include "pprofx/report/top.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pprofx;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto parsed = legacy::parse_legacy(bytes, "fuzz");
  if (!parsed || !*parsed) return 0;
  const model::Profile& p = **parsed;
  report::TopOptions top;
  top.granularity = fold::Granularity::kAddresses;
  (void)report::top_table(p, top);
  auto value = fold::choose_value(p, "", false);
  if (!value) return 0;
  auto view = fold::build_view(p, fold::Filters{});  // applies the format's drop_frames
  if (!view) return 0;
  (void)fold::to_folded(fold::build_trie(*view, {.value = *value}));
  return 0;
}
