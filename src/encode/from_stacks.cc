#include "pprofx/encode/from_stacks.h"

#include <unordered_map>
#include <vector>

namespace pprofx::encode {

model::Profile profile_from_trie(const fold::StackTrie& trie, std::string_view type, std::string_view unit) {
  model::Profile p;
  p.sample_types.push_back({p.strings.intern(type), p.strings.intern(unit)});
  p.period_type = p.sample_types[0];
  p.period = 1;
  // Trie frame -> location (one line); functions shared by name and file.
  IdVector<fold::FrameId, model::LocationId> location_of(trie.frames.size(), model::kNone);
  std::unordered_map<uint64_t, model::FunctionId> function_of;  // (name id << 32 | file id) in p.strings
  auto location = [&](fold::FrameId frame) {
    if (location_of[frame] != model::kNone) return location_of[frame];
    const fold::FrameInfo& f = trie.frames[frame];
    const model::StrId name = p.strings.intern(trie.names.str(f.name));
    const model::StrId file = p.strings.intern(trie.names.str(f.file));
    auto [it, added] = function_of.emplace(uint64_t{name.value()} << 32 | file.value(), p.functions.next_id());
    if (added) {
      model::Function fn;
      fn.file_id = p.functions.size() + 1;
      fn.name = name;
      fn.system_name = name;
      fn.filename = file;
      p.functions.push_back(fn);
    }
    model::Location loc;
    loc.file_id = p.locations.size() + 1;
    loc.lines_begin = static_cast<uint32_t>(p.lines.size());
    loc.lines_count = 1;
    p.lines.push_back({it->second, f.line, 0});
    location_of[frame] = p.locations.next_id();
    p.locations.push_back(loc);
    return location_of[frame];
  };
  // Nodes come after their parents: walk them in order, keeping each node's
  // stack length; a sample's stack is read off the parent chain, leaf first.
  for (uint32_t i = 1; i < trie.nodes.size(); ++i) {
    const fold::TrieNode& n = trie.nodes[i];
    if (n.self <= 0) continue;
    model::Sample s;
    s.locations_begin = static_cast<uint32_t>(p.sample_locations.size());
    for (fold::NodeId at(i); at != fold::kRootNode; at = trie.nodes[at].parent) {
      p.sample_locations.push_back(location(trie.nodes[at].frame));
    }
    s.locations_count = static_cast<uint32_t>(p.sample_locations.size()) - s.locations_begin;
    p.samples.push_back(s);
    p.values.push_back(n.self);
  }
  return p;
}

}  // namespace pprofx::encode
