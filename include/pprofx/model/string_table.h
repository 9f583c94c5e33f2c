// Interned strings: every distinct string is stored once and named by a
// 32-bit StrId. Id 0 is always the empty string.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pprofx/base/id.h"

namespace pprofx::model {

using StrId = Id<struct StrTag>;
inline constexpr StrId kEmptyStr{0};

class StringTable {
 public:
  StringTable();
  StringTable(const StringTable&) = delete;
  StringTable& operator=(const StringTable&) = delete;
  // Moves are cheap (the index holds ids, not pointers into the arena) and
  // leave `other` an empty, usable table.
  StringTable(StringTable&& other) noexcept;
  StringTable& operator=(StringTable&& other) noexcept;

  // Returns the id of s, adding it if it is new.
  StrId intern(std::string_view s);
  // Id of s if present.
  bool find(std::string_view s, StrId* id) const;

  std::string_view str(StrId id) const {
    const uint32_t i = id.value();
    return std::string_view(arena_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  size_t size() const { return offsets_.size() - 1; }
  // Room for up to `strings` more strings of `bytes` in all, without the copies
  // of geometric growth (capacity left unused is never touched, so costs no
  // memory); the hash index grows with the distinct strings only.
  void reserve(size_t strings, size_t bytes);

 private:
  static uint32_t hash(std::string_view s);
  void grow_index();
  std::string arena_;              // all strings back to back
  std::vector<uint32_t> offsets_;  // string i is arena_[offsets_[i], offsets_[i+1])
  // Open addressing over ids: slot 0 = empty, else id + 1; hashes_[id] is
  // kept so probes and growth compare hashes before strings.
  std::vector<uint32_t> slots_;
  std::vector<uint32_t> hashes_;
};

}  // namespace pprofx::model
