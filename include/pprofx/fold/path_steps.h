// The steps of a set of paths, compact: paths of a large profile hold tens of
// millions of steps (a million samples 64 frames deep), so each step's frame
// takes 2 bytes when every frame id fits in 16 bits (else 4), and how it was
// reached takes 1 bit. Used by the path passes of fold (trie_paths.h) and the
// merged paths of the differential graph (merged_trie.h).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "pprofx/fold/stack_trie.h"

namespace pprofx::fold {

// One trie frame per step.
class StepFrames {
 public:
  // Before the first step: every frame id pushed will be below 2^16.
  void set_narrow(bool narrow) { narrow_ = narrow; }
  bool narrow() const { return narrow_; }
  size_t size() const { return narrow_ ? narrow_ids_.size() : wide_ids_.size(); }
  bool empty() const { return size() == 0; }
  void reserve(size_t n) { narrow_ ? narrow_ids_.reserve(n) : wide_ids_.reserve(n); }
  FrameId operator[](size_t i) const { return narrow_ ? FrameId(narrow_ids_[i]) : wide_ids_[i]; }
  void set(size_t i, FrameId f) {
    if (narrow_) {
      narrow_ids_[i] = static_cast<uint16_t>(f.value());
    } else {
      wide_ids_[i] = f;
    }
  }
  void push_back(FrameId f) {
    if (narrow_) {
      narrow_ids_.push_back(static_cast<uint16_t>(f.value()));
    } else {
      wide_ids_.push_back(f);
    }
  }
  void resize(size_t n) { narrow_ ? narrow_ids_.resize(n) : wide_ids_.resize(n); }
  void reverse(size_t begin, size_t end) {
    if (narrow_) {
      std::reverse(narrow_ids_.begin() + begin, narrow_ids_.begin() + end);
    } else {
      std::reverse(wide_ids_.begin() + begin, wide_ids_.begin() + end);
    }
  }
  void erase(size_t begin, size_t end) {
    if (narrow_) {
      narrow_ids_.erase(narrow_ids_.begin() + begin, narrow_ids_.begin() + end);
    } else {
      wide_ids_.erase(wide_ids_.begin() + begin, wide_ids_.begin() + end);
    }
  }
  // Steps [a, a + n) and [b, b + n) hold the same frames.
  bool equal(size_t a, size_t b, size_t n) const {
    return narrow_ ? std::equal(narrow_ids_.begin() + a, narrow_ids_.begin() + a + n, narrow_ids_.begin() + b)
                   : std::equal(wide_ids_.begin() + a, wide_ids_.begin() + a + n, wide_ids_.begin() + b);
  }
  // To 4 bytes a step, in place of 2 (before ids of 2^16 or more are set).
  void make_wide() {
    if (!narrow_) return;
    wide_ids_.reserve(narrow_ids_.size());
    for (uint16_t f : narrow_ids_) wide_ids_.push_back(FrameId(f));
    std::vector<uint16_t>().swap(narrow_ids_);
    narrow_ = false;
  }
  // To 2 bytes a step (every id must be below 2^16), in place of 4.
  void make_narrow() {
    if (narrow_) return;
    narrow_ids_.reserve(wide_ids_.size());
    for (FrameId f : wide_ids_) narrow_ids_.push_back(static_cast<uint16_t>(f.value()));
    std::vector<FrameId>().swap(wide_ids_);
    narrow_ = true;
  }

 private:
  bool narrow_ = false;
  std::vector<uint16_t> narrow_ids_;
  std::vector<FrameId> wide_ids_;
};

// How each step was reached: kReachedInlined or kReachedByCall (exactly one),
// one bit a step.
class StepFlags {
 public:
  size_t size() const { return size_; }
  void reserve(size_t n) { words_.reserve((n + 63) / 64); }
  uint8_t operator[](size_t i) const { return bit(i) ? kReachedInlined : kReachedByCall; }
  void push_back(uint8_t flag) {
    if (size_ % 64 == 0) words_.push_back(0);
    ++size_;
    set_bit(size_ - 1, flag == kReachedInlined);
  }
  // Shorter only. (Bits past size() are stale; push_back sets each bit it adds.)
  void resize(size_t n) {
    size_ = std::min(n, size_);
    words_.resize((size_ + 63) / 64);
  }
  void reverse(size_t begin, size_t end) {
    for (size_t a = begin, b = end; a + 1 < b; ++a, --b) {
      const bool x = bit(a), y = bit(b - 1);
      set_bit(a, y);
      set_bit(b - 1, x);
    }
  }
  void erase(size_t begin, size_t end) {
    const size_t n = end - begin;
    for (size_t i = end; i < size_; ++i) set_bit(i - n, bit(i));
    resize(size_ - n);
  }

 private:
  bool bit(size_t i) const { return (words_[i >> 6] >> (i & 63)) & 1; }
  void set_bit(size_t i, bool on) {
    const uint64_t m = uint64_t{1} << (i & 63);
    words_[i >> 6] = on ? words_[i >> 6] | m : words_[i >> 6] & ~m;
  }
  std::vector<uint64_t> words_;
  size_t size_ = 0;
};

// Every sample's path, root first (or leaf first with reverse), flat.
struct Paths {
  StepFrames frames;  // 2 bytes a step when the trie's frame ids allow
  StepFlags flags;    // InlineFlags per step, a bit each
  struct Sample {
    uint32_t begin, length;
    int64_t value;
  };
  std::vector<Sample> samples;
};

}  // namespace pprofx::fold
