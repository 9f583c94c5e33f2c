#include "pprofx/model/string_table.h"

namespace pprofx::model {

StringTable::StringTable() {
  offsets_.push_back(0);
  offsets_.push_back(0);  // id 0: ""
  index_.emplace(std::string_view(), kEmptyStr);
}

StringTable::StringTable(StringTable&& other) noexcept
    : arena_(std::move(other.arena_)), offsets_(std::move(other.offsets_)) {
  rebuild_index();
  other = StringTable();
}

StringTable& StringTable::operator=(StringTable&& other) noexcept {
  if (this != &other) {
    arena_ = std::move(other.arena_);
    offsets_ = std::move(other.offsets_);
    rebuild_index();
    other.arena_.clear();
    other.offsets_.assign({0, 0});
    other.index_.clear();
    other.index_.emplace(std::string_view(), kEmptyStr);
  }
  return *this;
}

void StringTable::reserve(size_t strings, size_t bytes) {
  offsets_.reserve(strings + 2);
  index_.reserve(strings + 1);
  if (bytes > arena_.capacity()) {
    arena_.reserve(bytes);
    rebuild_index();
  }
}

void StringTable::rebuild_index() {
  index_.clear();
  index_.reserve(size());
  for (StrId id = 0; id < size(); ++id) index_.emplace(str(id), id);
}

StrId StringTable::intern(std::string_view s) {
  if (auto it = index_.find(s); it != index_.end()) return it->second;
  const char* before = arena_.data();
  arena_.append(s);
  offsets_.push_back(static_cast<uint32_t>(arena_.size()));
  const StrId id = static_cast<StrId>(size() - 1);
  if (arena_.data() != before) {
    rebuild_index();  // views moved with the arena
  } else {
    index_.emplace(str(id), id);
  }
  return id;
}

bool StringTable::find(std::string_view s, StrId* id) const {
  auto it = index_.find(s);
  if (it == index_.end()) return false;
  *id = it->second;
  return true;
}

}  // namespace pprofx::model
