#include "pprofx/fold/stack_trie.h"

#include <fmt/format.h>

#include <algorithm>

#include "pprofx/base/strings.h"
#include "pprofx/fold/frames.h"
#include "pprofx/fold/graph.h"

namespace pprofx::fold {

StackTrie::StackTrie() {
  frames.push_back({names.intern("all"), model::kEmptyStr, 0});
  nodes.push_back({});
}

uint32_t StackTrie::child(uint32_t parent, uint32_t frame) {
  const uint64_t key = (static_cast<uint64_t>(parent) << 32) | frame;
  auto [it, inserted] = children_.try_emplace(key, static_cast<uint32_t>(nodes.size()));
  if (inserted) {
    TrieNode n;
    n.frame = frame;
    n.parent = parent;
    n.next_sibling = nodes[parent].first_child;
    nodes[parent].first_child = it->second;
    nodes.push_back(n);
  }
  return it->second;
}

void StackTrie::finish() {
  for (TrieNode& n : nodes) {
    if (n.self < 0) {
      ++negative_stacks;
      negative_total += n.self;
      n.self = 0;
    }
    n.total = n.self;
  }
  for (size_t i = nodes.size(); i-- > 1;) nodes[nodes[i].parent].total += nodes[i].total;
  children_.clear();
  children_.rehash(0);
}

size_t StackTrie::depth_of(uint32_t node) const {
  size_t d = 0;
  while (node != 0) {
    node = nodes[node].parent;
    ++d;
  }
  return d;
}

StackTrie build_trie(const View& view, const TrieOptions& o) {
  const FrameIndex index = FrameIndex::build(view, o.granularity, o.noinlines);
  StackTrie trie;
  // Trie frame of each frame id, made on first use.
  std::vector<uint32_t> frame_of(index.size(), 0);
  auto trie_frame = [&](uint32_t id) {
    uint32_t& f = frame_of[id];
    if (f == 0) {
      const NodeInfo& info = index.infos[id];
      FrameInfo fi;
      fi.name = trie.names.intern(index.printable_name(info));
      const model::StrId file = info.file != model::kEmptyStr ? info.file : index.function_file[id];
      if (file != model::kEmptyStr) fi.file = trie.names.intern(index.names.str(file));
      fi.line = info.lineno;
      f = trie.add_frame(fi);
    }
    return f;
  };
  struct Step {
    uint32_t frame;
    uint8_t flag;  // InlineFlags
  };
  std::vector<Step> path;
  for_each_weighted_sample(view, o.value, [&](uint32_t, const ViewSample& s, int64_t w, int64_t) {
    if (w == 0) return;
    path.clear();
    for (size_t i = s.count; i-- > 0;) {  // root first
      auto frames = index.frames_of(s.stack[i]);
      for (size_t k = frames.size(); k-- > 0;) {
        path.push_back({trie_frame(frames[k]), k + 1 != frames.size() ? kReachedInlined : kReachedByCall});
      }
    }
    if (o.reverse) std::reverse(path.begin(), path.end());
    uint32_t node = 0;
    for (const Step& step : path) {
      node = trie.child(node, step.frame);
      trie.nodes[node].inline_flags |= step.flag;
    }
    if (node != 0) trie.nodes[node].self += w;
  });
  trie.finish();
  return trie;
}

Result<StackTrie> parse_folded(std::string_view text, std::string_view name, bool reverse) {
  StackTrie trie;
  std::unordered_map<std::string_view, uint32_t> frame_ids;
  std::vector<uint32_t> path;
  size_t line_no = 0, pos = 0, stacks = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.find_last_of(" \t");
    if (space == std::string_view::npos) {
      return Error{fmt::format("{}: line {}: no count: expected \"frame;frame;... count\"", name, line_no)};
    }
    const std::string_view count_text = line.substr(space + 1);
    std::string_view stack = line.substr(0, space);
    while (!stack.empty() && (stack.back() == ' ' || stack.back() == '\t')) stack.remove_suffix(1);
    int64_t count = 0;
    if (!parse_int64(count_text, &count) || count < 0) {
      return Error{fmt::format("{}: line {}: the count \"{}\" is not a whole non-negative number", name, line_no,
                               count_text.substr(0, 40))};
    }
    const size_t last_space = stack.find_last_of(" \t");
    int64_t ignored;
    if (last_space != std::string_view::npos && parse_int64(stack.substr(last_space + 1), &ignored) &&
        stack.find(';') < last_space) {
      return Error{fmt::format(
          "{}: line {}: two counts (differential output of difffolded.pl); pprofx flame draws one profile",
          name, line_no)};
    }
    if (stack.empty()) return Error{fmt::format("{}: line {}: empty stack", name, line_no)};
    path.clear();
    size_t f = 0;
    while (f <= stack.size()) {
      size_t semi = stack.find(';', f);
      if (semi == std::string_view::npos) semi = stack.size();
      const std::string_view frame = stack.substr(f, semi - f);
      auto [it, inserted] = frame_ids.try_emplace(frame, 0);
      if (inserted) {
        FrameInfo fi;
        fi.name = trie.names.intern(frame);
        it->second = trie.add_frame(fi);
      }
      path.push_back(it->second);
      f = semi + 1;
    }
    if (reverse) std::reverse(path.begin(), path.end());
    uint32_t node = 0;
    for (uint32_t id : path) node = trie.child(node, id);
    trie.nodes[node].self += count;
    ++stacks;
  }
  if (stacks == 0) return Error{fmt::format("{}: no stacks found (expected folded lines \"a;b;c 42\")", name)};
  trie.finish();
  return trie;
}

std::string to_folded(const StackTrie& trie) {
  // Depth-first over one path buffer: memory is the output, not nodes x depth.
  std::vector<std::string> lines;
  std::string path;
  struct Item {
    uint32_t node;
    size_t path_len;  // path length before this node's frame was appended
  };
  std::vector<Item> todo;
  for (uint32_t c = trie.nodes[0].first_child; c != 0; c = trie.nodes[c].next_sibling) todo.push_back({c, 0});
  while (!todo.empty()) {
    const Item item = todo.back();
    todo.pop_back();
    const TrieNode& n = trie.nodes[item.node];
    path.resize(item.path_len);
    if (item.path_len != 0) path += ';';
    const size_t frame_start = path.size();
    path += trie.name(n);
    for (size_t k = frame_start; k < path.size(); ++k) {
      if (path[k] == ';') path[k] = ':';
      if (path[k] == '\n' || path[k] == '\r') path[k] = ' ';
    }
    if (n.self > 0) lines.push_back(fmt::format("{} {}\n", path, n.self));
    for (uint32_t c = n.first_child; c != 0; c = trie.nodes[c].next_sibling) todo.push_back({c, path.size()});
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  size_t bytes = 0;
  for (const std::string& l : lines) bytes += l.size();
  out.reserve(bytes);
  for (const std::string& l : lines) out += l;
  return out;
}

}  // namespace pprofx::fold
