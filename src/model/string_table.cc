#include "pprofx/model/string_table.h"

#include <functional>

namespace pprofx::model {

StringTable::StringTable() {
  offsets_.push_back(0);
  offsets_.push_back(0);  // id 0: ""
  slots_.assign(16, 0);
  hashes_.push_back(hash({}));
  slots_[hashes_[0] & (slots_.size() - 1)] = 1;
}

StringTable::StringTable(StringTable&& other) noexcept
    : arena_(std::move(other.arena_)),
      offsets_(std::move(other.offsets_)),
      slots_(std::move(other.slots_)),
      hashes_(std::move(other.hashes_)) {
  other = StringTable();
}

StringTable& StringTable::operator=(StringTable&& other) noexcept {
  if (this != &other) {
    arena_ = std::move(other.arena_);
    offsets_ = std::move(other.offsets_);
    slots_ = std::move(other.slots_);
    hashes_ = std::move(other.hashes_);
    StringTable fresh;
    other.arena_ = std::move(fresh.arena_);
    other.offsets_ = std::move(fresh.offsets_);
    other.slots_ = std::move(fresh.slots_);
    other.hashes_ = std::move(fresh.hashes_);
  }
  return *this;
}

uint32_t StringTable::hash(std::string_view s) {
  const size_t h = std::hash<std::string_view>{}(s);
  return static_cast<uint32_t>(h ^ (h >> 32));
}

void StringTable::reserve(size_t strings, size_t bytes) {
  offsets_.reserve(strings + 2);
  hashes_.reserve(strings + 1);
  arena_.reserve(bytes);
  // The index still grows with the distinct strings: `strings` may count repeats.
}

void StringTable::grow_index() {
  slots_.assign(slots_.size() * 2, 0);
  const size_t mask = slots_.size() - 1;
  for (uint32_t id = 0; id < hashes_.size(); ++id) {
    size_t i = hashes_[id] & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = id + 1;
  }
}

StrId StringTable::intern(std::string_view s) {
  const uint32_t h = hash(s);
  const size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  for (; slots_[i] != 0; i = (i + 1) & mask) {
    const StrId id(slots_[i] - 1);
    if (hashes_[id.value()] == h && str(id) == s) return id;
  }
  arena_.append(s);
  offsets_.push_back(static_cast<uint32_t>(arena_.size()));
  const StrId id = id_at<StrId>(size() - 1);
  hashes_.push_back(h);
  slots_[i] = id.value() + 1;
  if (2 * hashes_.size() > slots_.size()) grow_index();  // at most half full
  return id;
}

bool StringTable::find(std::string_view s, StrId* id) const {
  const uint32_t h = hash(s);
  const size_t mask = slots_.size() - 1;
  for (size_t i = h & mask; slots_[i] != 0; i = (i + 1) & mask) {
    const StrId candidate(slots_[i] - 1);
    if (hashes_[candidate.value()] == h && str(candidate) == s) {
      *id = candidate;
      return true;
    }
  }
  return false;
}

}  // namespace pprofx::model
