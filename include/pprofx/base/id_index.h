// A hash index over dense ids whose entries live elsewhere (in the caller's
// own arrays): it stores one 32-bit hash per id and an open-addressing table
// of ids, and asks the caller whether an id equals the probe. De-duplication
// keyed by the stored entries themselves, without a second copy as a key.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace pprofx {

// Mixes 64-bit words into a hash (multiply-xorshift; not for adversaries).
class WordHash {
 public:
  void add(uint64_t w) {
    h_ = (h_ ^ w) * 0x9e3779b97f4a7c15ull;
    h_ ^= h_ >> 29;
  }
  uint32_t value() const {
    const uint64_t h = h_ * 0xbf58476d1ce4e5b9ull;
    return static_cast<uint32_t>(h >> 32);
  }

 private:
  uint64_t h_ = 0x243f6a8885a308d3ull;
};

class IdIndex {
 public:
  size_t size() const { return hashes_.size(); }

  // The id of the entry equal to the probe (`equal(id)` says whether entry id
  // is), or a new id (== size() before the call) with .second true; the
  // caller then appends the new entry to its arrays.
  template <class Equal>
  std::pair<uint32_t, bool> find_or_add(uint32_t hash, Equal&& equal) {
    if ((hashes_.size() + 1) * 2 > slots_.size()) grow();
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      const uint32_t slot = slots_[i];
      if (slot == 0) {
        const auto id = static_cast<uint32_t>(hashes_.size());
        slots_[i] = id + 1;
        hashes_.push_back(hash);
        return {id, true};
      }
      if (hashes_[slot - 1] == hash && equal(slot - 1)) return {slot - 1, false};
    }
  }

 private:
  void grow() {
    std::vector<uint32_t> slots(slots_.empty() ? 64 : slots_.size() * 2, 0);
    const size_t mask = slots.size() - 1;
    for (uint32_t id = 0; id < hashes_.size(); ++id) {
      size_t i = hashes_[id] & mask;
      while (slots[i] != 0) i = (i + 1) & mask;
      slots[i] = id + 1;
    }
    slots_ = std::move(slots);
  }

  std::vector<uint32_t> slots_;   // 0 = empty, else id + 1; size a power of two
  std::vector<uint32_t> hashes_;  // hashes_[id]
};

}  // namespace pprofx
