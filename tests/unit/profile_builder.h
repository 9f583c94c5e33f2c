// Test fixtures: profiles built with the generated protobuf classes and
// serialised to real wire bytes, so the decoder is tested on what producers write.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "proto/profile.pb.h"

namespace pprofx::testing {

class ProfileBuilder {
 public:
  ProfileBuilder();
  int64_t str(const std::string& s);  // index in the string table (interned)
  ProfileBuilder& sample_type(const std::string& type, const std::string& unit);
  uint64_t mapping(const std::string& file, uint64_t start = 0x1000, uint64_t limit = 0x2000);
  uint64_t function(const std::string& name, const std::string& file = "", int64_t start_line = 0);
  // Lines innermost first: {function id, line}.
  uint64_t location(std::vector<std::pair<uint64_t, int64_t>> lines, uint64_t mapping = 0, uint64_t address = 0);
  // A location with one line of a new function named `name`.
  uint64_t frame(const std::string& name, const std::string& file = "");
  // Stack leaf first.
  perftools::profiles::Sample& sample(std::vector<uint64_t> stack, std::vector<int64_t> values);
  ProfileBuilder& label(perftools::profiles::Sample& s, const std::string& key, const std::string& value);
  ProfileBuilder& num_label(perftools::profiles::Sample& s, const std::string& key, int64_t num,
                            const std::string& unit = "");

  perftools::profiles::Profile& proto() { return p_; }
  std::string bytes() const;  // serialized, uncompressed

 private:
  perftools::profiles::Profile p_;
  std::vector<std::string> strings_;
};

}  // namespace pprofx::testing
