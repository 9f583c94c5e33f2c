#include "profile_builder.h"

#include <stdexcept>

namespace pprofx::testing {

ProfileBuilder::ProfileBuilder() { str(""); }

int64_t ProfileBuilder::str(const std::string& s) {
  for (size_t i = 0; i < strings_.size(); ++i) {
    if (strings_[i] == s) return static_cast<int64_t>(i);
  }
  strings_.push_back(s);
  p_.add_string_table(s);
  return static_cast<int64_t>(strings_.size() - 1);
}

ProfileBuilder& ProfileBuilder::sample_type(const std::string& type, const std::string& unit) {
  auto* vt = p_.add_sample_type();
  vt->set_type(str(type));
  vt->set_unit(str(unit));
  return *this;
}

uint64_t ProfileBuilder::mapping(const std::string& file, uint64_t start, uint64_t limit) {
  auto* m = p_.add_mapping();
  m->set_id(static_cast<uint64_t>(p_.mapping_size()));
  m->set_filename(str(file));
  m->set_memory_start(start);
  m->set_memory_limit(limit);
  return m->id();
}

uint64_t ProfileBuilder::function(const std::string& name, const std::string& file, int64_t start_line) {
  auto* f = p_.add_function();
  f->set_id(static_cast<uint64_t>(p_.function_size()));
  f->set_name(str(name));
  f->set_system_name(str(name));
  f->set_filename(str(file));
  f->set_start_line(start_line);
  return f->id();
}

uint64_t ProfileBuilder::location(std::vector<std::pair<uint64_t, int64_t>> lines, uint64_t mapping,
                                  uint64_t address) {
  auto* l = p_.add_location();
  l->set_id(static_cast<uint64_t>(p_.location_size()));
  l->set_mapping_id(mapping);
  l->set_address(address);
  for (auto [fn, line] : lines) {
    auto* ln = l->add_line();
    ln->set_function_id(fn);
    ln->set_line(line);
  }
  return l->id();
}

uint64_t ProfileBuilder::frame(const std::string& name, const std::string& file) {
  return location({{function(name, file), 1}});
}

perftools::profiles::Sample& ProfileBuilder::sample(std::vector<uint64_t> stack, std::vector<int64_t> values) {
  auto* s = p_.add_sample();
  for (uint64_t id : stack) s->add_location_id(id);
  for (int64_t v : values) s->add_value(v);
  return *s;
}

ProfileBuilder& ProfileBuilder::label(perftools::profiles::Sample& s, const std::string& key,
                                      const std::string& value) {
  auto* l = s.add_label();
  l->set_key(str(key));
  l->set_str(str(value));
  return *this;
}

ProfileBuilder& ProfileBuilder::num_label(perftools::profiles::Sample& s, const std::string& key, int64_t num,
                                          const std::string& unit) {
  auto* l = s.add_label();
  l->set_key(str(key));
  l->set_num(num);
  if (!unit.empty()) l->set_num_unit(str(unit));
  return *this;
}

std::string ProfileBuilder::bytes() const { return p_.SerializeAsString(); }

}  // namespace pprofx::testing
