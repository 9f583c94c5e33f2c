// Strong ids: a dense 32-bit index into one kind of array, as a distinct type
// per kind (Id<MappingTag>, Id<FunctionTag>, ...), so an id of one kind does not
// convert to another kind or to an integer, and swapped arguments do not compile.
// Zero cost: one uint32_t, trivially copyable, every accessor inline.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <type_traits>
#include <vector>

namespace pprofx {

// "No id", comparable with and convertible to an id of any kind (the value
// 0xffffffff, which no dense array reaches).
struct NoId {};
inline constexpr NoId kNoId{};

template <class Tag>
class Id {
 public:
  static constexpr uint32_t kNoneValue = 0xffffffffu;

  Id() = default;  // uninitialized like a uint32_t; Id{} is 0
  constexpr explicit Id(uint32_t v) : v_(v) {}
  constexpr Id(NoId) : v_(kNoneValue) {}  // NOLINT: implicit by design

  constexpr uint32_t value() const { return v_; }
  constexpr bool is_none() const { return v_ == kNoneValue; }

  friend constexpr bool operator==(Id a, Id b) { return a.v_ == b.v_; }
  friend constexpr auto operator<=>(Id a, Id b) { return a.v_ <=> b.v_; }
  friend constexpr bool operator==(Id a, NoId) { return a.v_ == kNoneValue; }

 private:
  uint32_t v_;
};

// Whether the runs a[0, n) and b[0, n) hold the same ids, compared as bytes:
// what std::equal does for uint32_t (one memcmp); for a class type such as
// Id it would compare element by element.
template <class Tag>
bool equal_ids(const Id<Tag>* a, const Id<Tag>* b, size_t n) {
  return n == 0 || std::memcmp(a, b, n * sizeof(Id<Tag>)) == 0;
}

// The id of element i of an array (i fits in 32 bits: the decoder's limits).
template <class I>
constexpr I id_at(size_t i) {
  return I(static_cast<uint32_t>(i));
}

// The ids 0 .. n-1, for `for (LocationId l : ids<LocationId>(n))`.
template <class I>
class IdRange {
 public:
  class iterator {
   public:
    constexpr explicit iterator(uint32_t v) : v_(v) {}
    constexpr I operator*() const { return I(v_); }
    constexpr iterator& operator++() {
      ++v_;
      return *this;
    }
    constexpr bool operator==(const iterator&) const = default;

   private:
    uint32_t v_;
  };
  constexpr explicit IdRange(size_t n) : n_(static_cast<uint32_t>(n)) {}
  constexpr iterator begin() const { return iterator(0); }
  constexpr iterator end() const { return iterator(n_); }

 private:
  uint32_t n_;
};

template <class I>
constexpr IdRange<I> ids(size_t n) {
  return IdRange<I>(n);
}

// A vector indexed by one kind of id (and, for loops over all of it, by plain
// positions); the id of the next push_back is next_id().
template <class I, class T>
class IdVector : public std::vector<T> {
  using Base = std::vector<T>;

 public:
  using Base::Base;
  using Base::operator[];
  typename Base::reference operator[](I i) { return Base::operator[](i.value()); }
  typename Base::const_reference operator[](I i) const { return Base::operator[](i.value()); }
  I next_id() const { return id_at<I>(this->size()); }
  IdRange<I> ids() const { return IdRange<I>(this->size()); }
};

}  // namespace pprofx

template <class Tag>
struct std::hash<pprofx::Id<Tag>> {
  size_t operator()(pprofx::Id<Tag> id) const noexcept { return std::hash<uint32_t>{}(id.value()); }
};
