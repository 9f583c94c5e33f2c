// speedscope's file format (https://www.speedscope.app/file-format-schema.json):
// one "sampled" profile per call tree, frames shared between them.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "pprofx/base/sink.h"
#include "pprofx/fold/stack_trie.h"

namespace pprofx::encode {

struct SpeedscopeProfile {
  const fold::StackTrie* trie = nullptr;
  std::string name;       // shown in speedscope's profile selector ("cpu", "alloc_space")
  std::string pprof_unit; // "nanoseconds", "bytes", "count", ...
};

// speedscope's ValueUnit for a pprof unit: nanoseconds, microseconds,
// milliseconds, seconds, bytes; anything else (count, ...) is "none".
std::string speedscope_unit(std::string_view pprof_unit);

// Writes the JSON document: one sample per call path with a positive self
// value (weight = that value), paths in sorted depth-first order, frames
// (name, file, line where known) shared and listed in order of first use.
// `active` is the index of the profile speedscope opens first.
void write_speedscope(std::span<const SpeedscopeProfile> profiles, std::string_view name, size_t active,
                      std::string_view exporter, const ByteSink& sink);

}  // namespace pprofx::encode
