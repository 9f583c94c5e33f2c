// Fuzz target: folded-stacks input (`pprofx flame stacks.folded`), then
// folded output and layout of what was read.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pprofx/fold/stack_trie.h"
#include "pprofx/render/layout.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pprofx;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto trie = fold::parse_folded(text, "fuzz", size % 2 == 0);
  if (!trie) return 0;
  (void)fold::to_folded(*trie);
  render::LayoutOptions o;
  o.frame_budget = 50;
  (void)render::layout(*trie, o);
  return 0;
}
