// Folded stacks ("root;...;leaf count" per line, flamegraph.pl's format) in
// and out of a StackTrie, and straight from a View. Declared over incomplete
// types so stack_trie.h can include this header: include stack_trie.h to call.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pprofx/base/result.h"
#include "pprofx/base/sink.h"

namespace pprofx::fold {

class StackTrie;
struct TrieOptions;
struct View;

// Reads folded stacks ("root;...;leaf count" per line). Blank lines and lines
// starting with '#' are skipped. Errors name the line: "x.folded: line 3: ...".
Result<StackTrie> parse_folded(std::string_view text, std::string_view name, bool reverse);

// Folded stacks, one line per distinct stack with a positive value, sorted
// bytewise as flamegraph.pl sorts them. Frame names have ';' replaced by ':'
// and line breaks by spaces, as the format cannot hold them.
std::string to_folded(const StackTrie& trie);

// The same lines handed to `sink` as they are made: in depth-first order,
// which is already sorted unless frame names collide (a name followed by a
// space starting another name, or two names equal once sanitized); then the
// lines are sorted in memory first.
void write_folded(const StackTrie& trie, const ByteSink& sink);

// The same lines straight from a view, without building the tree: the
// samples' paths sorted in the lines' order and merged (a deep profile's 20
// million path frames need no 20 million nodes). Falls back to the tree when
// frame names collide. Paths with a negative net value are left out, counted.
struct FoldStats {
  uint64_t negative_stacks = 0;
  int64_t negative_total = 0;
};
FoldStats write_folded(const View& view, const TrieOptions& options, const ByteSink& sink);

}  // namespace pprofx::fold
