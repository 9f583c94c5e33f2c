// Small profiles for report tests, written as folded stacks (root first, ';'-joined),
// built through ProfileBuilder so they go through the real decoder.
#pragma once

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "pprofx/decode/decode.h"
#include "pprofx/model/profile.h"
#include "profile_builder.h"

namespace pprofx::testing {

struct StackValues {
  std::string stack;            // "main;work;leaf", root first
  std::vector<int64_t> values;  // one per sample type
};

// types: {type, unit} pairs. Each distinct frame name is one function and one location.
inline model::Profile stacks_profile(const std::vector<std::pair<std::string, std::string>>& types,
                                     const std::vector<StackValues>& samples, int64_t duration_nanos = 0,
                                     const std::string& name = "t.pb") {
  ProfileBuilder b;
  for (const auto& [type, unit] : types) b.sample_type(type, unit);
  std::map<std::string, uint64_t> loc;
  for (const StackValues& s : samples) {
    std::vector<uint64_t> stack;  // leaf first
    size_t start = 0;
    while (start <= s.stack.size()) {
      size_t end = s.stack.find(';', start);
      if (end == std::string::npos) end = s.stack.size();
      const std::string frame = s.stack.substr(start, end - start);
      auto [it, added] = loc.try_emplace(frame, 0);
      if (added) it->second = b.frame(frame);
      stack.insert(stack.begin(), it->second);
      start = end + 1;
    }
    b.sample(stack, s.values);
  }
  if (duration_nanos != 0) b.proto().set_duration_nanos(duration_nanos);
  auto p = decode::decode_profile(b.bytes(), name);
  REQUIRE(p.ok());
  return std::move(*p);
}

}  // namespace pprofx::testing
