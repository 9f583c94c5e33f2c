#include "pprofx/model/label_frames.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <unordered_map>

#include "pprofx/model/units.h"

namespace pprofx::model {

std::vector<std::string> split_label_keys(std::string_view list) {
  std::vector<std::string> keys;
  while (true) {
    const size_t comma = list.find(',');
    if (std::string_view key = list.substr(0, comma); !key.empty()) keys.emplace_back(key);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return keys;
}

namespace {

// pprof's formatLabelValues: the string values of key, then the numeric ones
// (each in its own unit when any of the sample's values for key has one),
// joined with ",". found: the sample has a label of key.
std::string label_values(const Profile& p, std::span<const Label> labels, StrId key, std::string_view unit,
                         bool* found) {
  std::string out;
  bool has_units = false;
  for (const Label& l : labels) {
    if (l.key != key) continue;
    if (l.str != kEmptyStr) {
      if (*found) out += ',';
      out += p.str(l.str);
      *found = true;
    } else if (l.num_unit != kEmptyStr) {
      has_units = true;
    }
  }
  for (const Label& l : labels) {
    if (l.key != key || l.str != kEmptyStr) continue;
    if (*found) out += ',';
    out += has_units ? scaled_label(l.num, p.str(l.num_unit), unit) : scaled_label(l.num, "", "");
    *found = true;
  }
  return out;
}

}  // namespace

Result<LabelFrameMatches> add_label_frames(Profile& p, const LabelFrames& frames) {
  LabelFrameMatches matches;
  if (!frames.any()) return matches;
  uint64_t next_location = 0;
  uint64_t next_function = 0;
  for (const Location& l : p.locations) next_location = std::max(next_location, l.file_id);
  for (const Function& f : p.functions) next_function = std::max(next_function, f.file_id);
  ++next_location;
  ++next_function;

  // Keys in the order pprof adds their frames to a sample: the root keys last
  // first (the first one ends up outermost), then the leaf keys likewise.
  std::vector<StrId> root_keys;
  std::vector<StrId> leaf_keys;
  for (const std::string& key : split_label_keys(frames.root)) root_keys.insert(root_keys.begin(), p.strings.intern(key));
  for (const std::string& key : split_label_keys(frames.leaf)) leaf_keys.insert(leaf_keys.begin(), p.strings.intern(key));
  const uint64_t added = root_keys.size() + leaf_keys.size();

  uint64_t total = 0;
  for (const Sample& s : p.samples) total += s.locations_count + added;
  if (total > UINT32_MAX) {
    return Error{fmt::format("--tagroot/--tagleaf: {} samples with {} more frames each do not fit ({} frames in all)",
                             p.samples.size(), added, total)};
  }

  // One location per (values, key), made on first use as pprof interns them.
  std::unordered_map<uint64_t, LocationId> made;
  const auto frame = [&](StrId name, StrId key) {
    const uint64_t k = (uint64_t{name.value()} << 32) | key.value();
    auto [it, fresh] = made.try_emplace(k, kNone);
    if (!fresh) return it->second;
    const FunctionId f = p.functions.next_id();
    p.functions.push_back(Function{.file_id = next_function++, .name = name, .filename = key});
    const LineId line = p.lines.next_id();
    p.lines.push_back(Line{.function = f});
    it->second = p.locations.next_id();
    p.locations.push_back(Location{.file_id = next_location++,
                                   .lines_begin = line.value(),
                                   .lines_count = 1,
                                   .is_label_frame = true});
    return it->second;
  };

  std::vector<LocationId> stacks;
  stacks.reserve(total);
  std::vector<LocationId> roots;
  std::vector<LocationId> leaves;
  for (Sample& s : p.samples) {
    const auto labels = p.sample_labels(s);
    const auto frames_of = [&](const std::vector<StrId>& keys, std::vector<LocationId>& out, bool& matched) {
      out.clear();
      for (StrId key : keys) {
        bool found = false;
        const std::string name = label_values(p, labels, key, frames.unit, &found);
        matched = matched || found;
        out.push_back(frame(p.strings.intern(name), key));
      }
    };
    frames_of(root_keys, roots, matches.root);
    frames_of(leaf_keys, leaves, matches.leaf);
    const auto stack = p.stack(s);
    const auto begin = static_cast<uint32_t>(stacks.size());
    stacks.insert(stacks.end(), leaves.begin(), leaves.end());
    stacks.insert(stacks.end(), stack.begin(), stack.end());
    stacks.insert(stacks.end(), roots.begin(), roots.end());
    s.locations_begin = begin;
    s.locations_count = static_cast<uint32_t>(stacks.size() - begin);
  }
  p.sample_locations = std::move(stacks);
  return matches;
}

std::vector<std::string> label_frame_warnings(const LabelFrames& frames, const LabelFrameMatches& m) {
  std::vector<std::string> out;
  if (!frames.root.empty() && !m.root) out.emplace_back("TagRoot expression matched no samples");
  if (!frames.leaf.empty() && !m.leaf) out.emplace_back("TagLeaf expression matched no samples");
  return out;
}

}  // namespace pprofx::model
