// Fuzz target: Go goroutine dumps, debug=2 text (decode/goroutine_dump.h) and
// debug=1 count profiles read by their "#" lines and by their addresses, then
// what commands do with the result: top table, tags and folded stacks.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pprofx/decode/decode.h"
#include "pprofx/decode/goroutine_dump.h"
#include "pprofx/fold/options.h"
#include "pprofx/fold/stack_trie.h"
#include "pprofx/fold/view.h"
#include "pprofx/legacy/legacy.h"
#include "pprofx/report/top.h"

namespace {

void use(const pprofx::model::Profile& p) {
  using namespace pprofx;
  (void)report::top_table(p, report::TopOptions{});
  auto value = fold::choose_value(p, "", false);
  if (!value) return;
  auto view = fold::build_view(p, fold::Filters{});
  if (!view) return;
  (void)fold::to_folded(fold::build_trie(*view, {.value = *value}));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pprofx;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (auto p = decode::parse_goroutine_dump(bytes, "fuzz")) use(*p);
  for (bool dump_symbols : {true, false}) {
    auto parsed = legacy::parse_legacy(bytes, "fuzz", dump_symbols);
    if (parsed && *parsed) use(**parsed);
  }
  return 0;
}
