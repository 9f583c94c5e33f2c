// The heading lines flame graphs print under the title: what the graph shows
// and what was left out of it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pprofx/fold/stack_trie.h"
#include "pprofx/render/flame.h"
#include "pprofx/render/layout.h"

namespace pprofx::render {

// "cpu.pb.gz: cpu 1.50s in 10s" (file name, sample type when its unit is
// known, total, duration when known).
std::string flame_subtitle(std::string_view name, std::string_view type, std::string_view unit, int64_t total,
                           int64_t duration_nanos, const FlameStyle& style);

// What the layout left out (frames under the threshold, with their share and
// why) and the stacks with negative values not drawn; "" when nothing was.
std::string pruning_note(const fold::StackTrie& trie, const Layout& layout, const FlameStyle& style);

// Said when a graph has nothing to draw (no stack with a value): "no samples
// in NAME", or "no samples in NAME match the filters" when filters were
// given. The CLI warns with it and draws it as the graph's note.
std::string no_samples_note(std::string_view name, bool filtered);

// The differential graph's shorter form: "; N frames under X not drawn".
std::string diff_pruning_note(const Layout& layout, const FlameStyle& style);

// The function a sandwich is about: the one name the callees' roots have,
// else "functions matching REGEX".
std::string pivot_name(const fold::StackTrie& callees, std::string_view regex);

}  // namespace pprofx::render
