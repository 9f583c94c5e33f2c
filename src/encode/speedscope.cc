#include "pprofx/encode/speedscope.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "pprofx/base/strings.h"

namespace pprofx::encode {

std::string speedscope_unit(std::string_view u) {
  for (std::string_view known : {"nanoseconds", "microseconds", "milliseconds", "seconds", "bytes"}) {
    if (u == known) return std::string(known);
  }
  return "none";
}

namespace {

// Frames shared by all profiles, keyed by what speedscope shows of them.
class FrameTable {
 public:
  uint32_t index(const fold::StackTrie& trie, fold::FrameId frame) {
    const fold::FrameInfo& f = trie.frames[frame];
    std::string key(trie.names.str(f.name));
    key += '\0';
    key += trie.names.str(f.file);
    key += '\0';
    key += std::to_string(f.line);
    auto [it, added] = ids_.emplace(std::move(key), static_cast<uint32_t>(json_.size()));
    if (added) {
      std::string j = fmt::format("{{\"name\":\"{}\"", json_escaped(trie.names.str(f.name)));
      if (f.file != model::kEmptyStr) j += fmt::format(",\"file\":\"{}\"", json_escaped(trie.names.str(f.file)));
      if (f.line > 0) j += fmt::format(",\"line\":{}", f.line);
      j += '}';
      json_.push_back(std::move(j));
    }
    return it->second;
  }
  const std::vector<std::string>& json() const { return json_; }

 private:
  std::unordered_map<std::string, uint32_t> ids_;
  std::vector<std::string> json_;
};

struct Samples {
  std::string stacks;   // "[0,1,2],[0,1,3]"
  std::string weights;  // "10,20"
  int64_t total = 0;
};

// Depth first, children by name, no recursion (stacks may be 100k deep).
Samples collect(const fold::StackTrie& trie, FrameTable& frames) {
  Samples out;
  std::vector<uint32_t> path;  // speedscope frame indices, root first
  struct Item {
    fold::NodeId node;
    uint32_t depth;  // path length above the node
  };
  std::vector<Item> todo;
  std::vector<fold::NodeId> kids;
  auto push_children = [&](fold::NodeId parent, uint32_t depth) {
    kids.clear();
    for (fold::NodeId c = trie.nodes[parent].first_child; c != fold::kNoNode; c = trie.nodes[c].next_sibling) {
      kids.push_back(c);
    }
    std::sort(kids.begin(), kids.end(), [&](fold::NodeId a, fold::NodeId b) {
      return trie.name(trie.nodes[a]) < trie.name(trie.nodes[b]);
    });
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) todo.push_back({*it, depth});
  };
  push_children(fold::kRootNode, 0);
  while (!todo.empty()) {
    const Item item = todo.back();
    todo.pop_back();
    const fold::TrieNode& n = trie.nodes[item.node];
    path.resize(item.depth);
    path.push_back(frames.index(trie, n.frame));
    if (n.self > 0) {
      if (!out.weights.empty()) {
        out.stacks += ',';
        out.weights += ',';
      }
      out.stacks += '[';
      for (size_t i = 0; i < path.size(); ++i) {
        if (i > 0) out.stacks += ',';
        out.stacks += std::to_string(path[i]);
      }
      out.stacks += ']';
      out.weights += std::to_string(n.self);
      out.total += n.self;
    }
    push_children(item.node, item.depth + 1);
  }
  return out;
}

}  // namespace

void write_speedscope(std::span<const SpeedscopeProfile> profiles, std::string_view name, size_t active,
                      std::string_view exporter, const ByteSink& sink) {
  FrameTable frames;
  std::vector<Samples> samples;
  for (const SpeedscopeProfile& p : profiles) samples.push_back(collect(*p.trie, frames));
  sink(fmt::format("{{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\",\"name\":\"{}\","
                   "\"exporter\":\"{}\",\"activeProfileIndex\":{},\"shared\":{{\"frames\":[\n",
                   json_escaped(name), json_escaped(exporter), active));
  for (size_t i = 0; i < frames.json().size(); ++i) {
    sink(frames.json()[i]);
    sink(i + 1 < frames.json().size() ? ",\n" : "\n");
  }
  sink("]},\"profiles\":[\n");
  for (size_t i = 0; i < profiles.size(); ++i) {
    sink(fmt::format("{{\"type\":\"sampled\",\"name\":\"{}\",\"unit\":\"{}\",\"startValue\":0,\"endValue\":{},"
                     "\"samples\":[",
                     json_escaped(profiles[i].name), speedscope_unit(profiles[i].pprof_unit), samples[i].total));
    sink(samples[i].stacks);
    sink("],\"weights\":[");
    sink(samples[i].weights);
    sink(i + 1 < profiles.size() ? "]},\n" : "]}\n");
  }
  sink("]}\n");
}

}  // namespace pprofx::encode
