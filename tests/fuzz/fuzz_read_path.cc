// Fuzz target: the whole read path on arbitrary bytes, as `pprofx flame` and
// `pprofx top` run it: inflate (capped) -> decode -> validate -> filter ->
// graph and top table -> stack trie -> flame layout -> SVG.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pprofx/decode/decode.h"
#include "pprofx/fold/stack_trie.h"
#include "pprofx/fold/view.h"
#include "pprofx/io/input.h"
#include "pprofx/render/flame.h"
#include "pprofx/report/top.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pprofx;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string inflated;
  if (io::is_gzip(bytes)) {
    auto r = io::gunzip(bytes, 64 << 20);
    if (!r) return 0;
    inflated = std::move(*r);
    bytes = inflated;
  }
  auto profile = decode::decode_any(bytes, "fuzz");
  if (!profile) return 0;
  report::TopOptions top;
  top.granularity = fold::Granularity::kLines;
  (void)report::top_table(*profile, top);
  auto value = fold::choose_value(*profile, "", false);
  if (!value) return 0;
  fold::Filters filters;
  filters.hide = "runtime";
  auto view = fold::build_view(*profile, filters);
  if (!view) return 0;
  const fold::StackTrie trie = fold::build_trie(*view, {.value = *value, .min_fraction = 0.0001});
  const render::Layout layout = render::layout(trie, {});
  render::FlameStyle style;
  style.unit = value->unit;
  (void)render::render_svg(trie, layout, style);
  return 0;
}
