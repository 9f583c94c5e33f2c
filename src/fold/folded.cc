#include "pprofx/fold/folded.h"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <functional>
#include <iterator>
#include <string>
#include <unordered_map>
#include <vector>

#include "pprofx/base/strings.h"
#include "pprofx/fold/stack_trie.h"
#include "trie_paths.h"

namespace pprofx::fold {

using detail::Paths;

Result<StackTrie> parse_folded(std::string_view text, std::string_view name, bool reverse) {
  StackTrie trie;
  std::unordered_map<std::string_view, FrameId> frame_ids;
  std::vector<FrameId> path;
  size_t line_no = 0, pos = 0, stacks = 0;
  int64_t total_count = 0;
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
    // As for profiles: if all counts add up within int64, every sum formed later does too.
    if (count > INT64_MAX - total_count) {
      return Error{fmt::format("{}: line {}: the counts add up past the int64 range", name, line_no)};
    }
    total_count += count;
    path.clear();
    size_t f = 0;
    while (f <= stack.size()) {
      size_t semi = stack.find(';', f);
      if (semi == std::string_view::npos) semi = stack.size();
      const std::string_view frame = stack.substr(f, semi - f);
      auto [it, inserted] = frame_ids.try_emplace(frame, kRootFrame);
      if (inserted) {
        FrameInfo fi;
        fi.name = trie.names.intern(frame);
        it->second = trie.add_frame(fi);
      }
      path.push_back(it->second);
      f = semi + 1;
    }
    if (reverse) std::reverse(path.begin(), path.end());
    NodeId node = kRootNode;
    for (FrameId id : path) node = trie.child(node, id);
    trie.nodes[node].self += count;
    ++stacks;
  }
  if (stacks == 0) return Error{fmt::format("{}: no stacks found (expected folded lines \"a;b;c 42\")", name)};
  trie.finish();
  return trie;
}

namespace {

// A frame name as the folded format can hold it: ';' becomes ':', and every
// line break a line-splitting reader knows (\n \r \v \f \x1c \x1d \x1e, and
// U+0085, U+2028, U+2029 in UTF-8, as Python's str.splitlines) one space.
void append_sanitized(std::string& out, std::string_view name) {
  for (size_t k = 0; k < name.size(); ++k) {
    const char c = name[k];
    if (c == ';') {
      out += ':';
    } else if (c == '\n' || c == '\r' || c == '\v' || c == '\f' || (c >= '\x1c' && c <= '\x1e')) {
      out += ' ';
    } else if (c == '\xc2' && k + 1 < name.size() && name[k + 1] == '\x85') {
      out += ' ';
      k += 1;
    } else if (c == '\xe2' && k + 2 < name.size() && name[k + 1] == '\x80' &&
               (name[k + 2] == '\xa8' || name[k + 2] == '\xa9')) {
      out += ' ';
      k += 2;
    } else {
      out += c;
    }
  }
}

// Streaming in depth-first order gives bytewise-sorted lines when, among
// siblings, no name + ' ' is a prefix of another name and no two names
// sanitize alike; then each sibling's own line (key name + ' ') and subtree
// (key name + ';') sort by those keys alone. Checked over the distinct names.
bool depth_first_is_sorted(const StackTrie& trie) {
  std::vector<std::string> names;
  names.reserve(trie.frames.size());
  for (const FrameInfo& f : trie.frames) {
    names.emplace_back();
    append_sanitized(names.back(), trie.names.str(f.name));
  }
  std::sort(names.begin(), names.end());
  for (size_t i = 0; i + 1 < names.size(); ++i) {
    if (names[i] == names[i + 1]) {
      // Equal after sanitizing: fine only if they were the same frame name.
      // (Distinct frames with one display name, e.g. two files' "main", stay
      // separate nodes; their lines interleave.)
      return false;
    }
  }
  for (const std::string& n : names) {
    const std::string key = n + " ";
    auto it = std::lower_bound(names.begin(), names.end(), key);
    if (it != names.end() && it->compare(0, key.size(), key) == 0) return false;
  }
  return true;
}

void folded_sorted_in_memory(const StackTrie& trie, const ByteSink& sink) {
  std::vector<std::string> lines;
  std::string path;
  struct Item {
    NodeId node;
    size_t path_len;
  };
  std::vector<Item> todo;
  for (NodeId c = trie.nodes[kRootNode].first_child; c != kNoNode; c = trie.nodes[c].next_sibling) {
    todo.push_back({c, 0});
  }
  while (!todo.empty()) {
    const Item item = todo.back();
    todo.pop_back();
    const TrieNode& n = trie.nodes[item.node];
    path.resize(item.path_len);
    if (item.path_len != 0) path += ';';
    append_sanitized(path, trie.name(n));
    if (n.self > 0) lines.push_back(fmt::format("{} {}\n", path, n.self));
    for (NodeId c = n.first_child; c != kNoNode; c = trie.nodes[c].next_sibling) todo.push_back({c, path.size()});
  }
  std::sort(lines.begin(), lines.end());
  for (const std::string& l : lines) sink(l);
}

}  // namespace

void write_folded(const StackTrie& trie, const ByteSink& sink) {
  if (!depth_first_is_sorted(trie)) return folded_sorted_in_memory(trie, sink);
  // Sanitized frame names, once.
  IdVector<FrameId, std::string> names(trie.frames.size());
  for (size_t f = 0; f < trie.frames.size(); ++f) append_sanitized(names[f], trie.names.str(trie.frames[f].name));
  // Work items: a node's own line, or its children (entered with the path).
  struct Item {
    NodeId node;
    bool own;         // the node's own line; else its subtree below it
    size_t path_len;  // length of the parent path, ';' included
  };
  std::vector<Item> todo;
  std::vector<Item> level;
  std::string path, line;
  auto push_children = [&](NodeId parent, size_t path_len) {
    level.clear();
    for (NodeId c = trie.nodes[parent].first_child; c != kNoNode; c = trie.nodes[c].next_sibling) {
      if (trie.nodes[c].self > 0) level.push_back({c, true, path_len});
      if (trie.nodes[c].first_child != kNoNode) level.push_back({c, false, path_len});
    }
    // By key name + (' ' for the own line, ';' for the subtree).
    std::sort(level.begin(), level.end(), [&](const Item& a, const Item& b) {
      const std::string& na = names[trie.nodes[a.node].frame];
      const std::string& nb = names[trie.nodes[b.node].frame];
      if (na != nb) {
        const size_t common = std::min(na.size(), nb.size());
        const int c = na.compare(0, common, nb, 0, common);
        if (c != 0) return c < 0;
        const char ca = na.size() > common ? na[common] : (a.own ? ' ' : ';');
        const char cb = nb.size() > common ? nb[common] : (b.own ? ' ' : ';');
        return static_cast<unsigned char>(ca) < static_cast<unsigned char>(cb);
      }
      return a.own && !b.own;
    });
    todo.insert(todo.end(), level.rbegin(), level.rend());
  };
  push_children(kRootNode, 0);
  while (!todo.empty()) {
    const Item item = todo.back();
    todo.pop_back();
    const TrieNode& n = trie.nodes[item.node];
    path.resize(item.path_len);
    path += names[n.frame];
    if (item.own) {
      sink(path);  // not copied into a line: paths of deep stacks are 100+ kB
      line.clear();
      fmt::format_to(std::back_inserter(line), " {}\n", n.self);
      sink(line);
    } else {
      path += ';';
      push_children(item.node, path.size());
    }
  }
}

std::string to_folded(const StackTrie& trie) {
  std::string out;
  write_folded(trie, [&out](std::string_view s) { out.append(s); });
  return out;
}

FoldStats write_folded(const View& view, const TrieOptions& options, const ByteSink& sink) {
  StackTrie frames;  // names the frames; no nodes
  const Paths paths = detail::collect_paths(view, options, frames);
  FoldStats stats;
  if (!depth_first_is_sorted(frames)) {  // colliding names: through the tree and its in-memory sort
    detail::build_from_paths(frames, paths, 0);
    frames.finish();
    write_folded(frames, sink);
    stats.negative_stacks = frames.negative_stacks;
    stats.negative_total = frames.negative_total;
    return stats;
  }
  IdVector<FrameId, std::string> names(frames.frames.size());
  for (size_t f = 0; f < frames.frames.size(); ++f) append_sanitized(names[f], frames.names.str(frames.frames[f].name));
  // Paths in the bytewise order of their lines: at the first frame where two
  // differ, their names decide, a name that is a prefix of the other being
  // followed by ';' if its path goes on, else by ' ' (the count).
  std::vector<uint32_t> order(paths.samples.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  auto before = [&](uint32_t a, uint32_t b) {
    const Paths::Sample& x = paths.samples[a];
    const Paths::Sample& y = paths.samples[b];
    const uint32_t n = std::min(x.length, y.length);
    uint32_t i = 0;
    while (i < n && paths.frames[x.begin + i] == paths.frames[y.begin + i]) ++i;
    if (i == n) return x.length < y.length;  // a prefix comes first (' ' < ';')
    const std::string& na = names[paths.frames[x.begin + i]];
    const std::string& nb = names[paths.frames[y.begin + i]];
    const size_t common = std::min(na.size(), nb.size());
    if (const int c = na.compare(0, common, nb, 0, common); c != 0) return c < 0;
    const char ca = na.size() > common ? na[common] : (i + 1 < x.length ? ';' : ' ');
    const char cb = nb.size() > common ? nb[common] : (i + 1 < y.length ? ';' : ' ');
    return static_cast<unsigned char>(ca) < static_cast<unsigned char>(cb);
  };
  std::sort(order.begin(), order.end(), before);
  auto same = [&](const Paths::Sample& x, const Paths::Sample& y) {
    return x.length == y.length && paths.frames.equal(x.begin, y.begin, x.length);
  };
  // One line per distinct path; consecutive lines share their prefix.
  std::string line, count;
  std::vector<size_t> ends;  // ends[d]: line length after d + 1 frames
  const Paths::Sample* previous = nullptr;
  for (size_t k = 0; k < order.size();) {
    const Paths::Sample& s = paths.samples[order[k]];
    int64_t value = 0;
    size_t run = k;
    while (run < order.size() && same(paths.samples[order[run]], s)) value += paths.samples[order[run++]].value;
    k = run;
    if (value <= 0) {
      if (value < 0) {
        ++stats.negative_stacks;
        stats.negative_total += value;
      }
      continue;
    }
    uint32_t shared = 0;
    if (previous != nullptr) {
      const uint32_t n = std::min(previous->length, s.length);
      while (shared < n && paths.frames[previous->begin + shared] == paths.frames[s.begin + shared]) ++shared;
    }
    line.resize(shared == 0 ? 0 : ends[shared - 1]);
    ends.resize(shared);
    for (uint32_t d = shared; d < s.length; ++d) {
      if (d > 0) line += ';';
      line += names[paths.frames[s.begin + d]];
      ends.push_back(line.size());
    }
    sink(line);
    count.clear();
    fmt::format_to(std::back_inserter(count), " {}\n", value);
    sink(count);
    previous = &s;
  }
  return stats;
}

}  // namespace pprofx::fold
