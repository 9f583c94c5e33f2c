// Typed ids (base/id.h): the kinds do not mix, and they cost what a uint32_t costs.
// The static_asserts are the test: a swapped or mixed-up id must not compile.
#include <doctest/doctest.h>

#include <type_traits>
#include <unordered_set>

#include "pprofx/base/id.h"
#include "pprofx/fold/stack_trie.h"
#include "pprofx/model/profile.h"

namespace {

using namespace pprofx;
using model::FunctionId;
using model::LineId;
using model::LocationId;
using model::MappingId;

template <class V, class I>
concept Indexable = requires(V& v, I i) { v[i]; };

// No kind converts to another, to or from an integer.
template <class A, class B>
constexpr bool kApart = !std::is_convertible_v<A, B> && !std::is_convertible_v<B, A> &&
                        !std::is_constructible_v<A, B> && !std::is_constructible_v<B, A>;
static_assert(kApart<MappingId, FunctionId>);
static_assert(kApart<MappingId, LocationId>);
static_assert(kApart<MappingId, LineId>);
static_assert(kApart<FunctionId, LocationId>);
static_assert(kApart<FunctionId, LineId>);
static_assert(kApart<LocationId, LineId>);
static_assert(kApart<fold::NodeId, fold::FrameId>);
static_assert(kApart<fold::NodeId, LocationId>);
static_assert(kApart<model::StrId, FunctionId>);
static_assert(kApart<model::StrId, MappingId>);
static_assert(kApart<model::StrId, fold::FrameId>);
static_assert(!std::is_convertible_v<uint32_t, LocationId>);  // explicit: LocationId(7)
static_assert(std::is_constructible_v<LocationId, uint32_t>);
static_assert(!std::is_convertible_v<LocationId, uint32_t> && !std::is_convertible_v<LocationId, size_t>);

// StackTrie::child(NodeId parent, FrameId frame): swapped arguments do not compile.
static_assert(std::is_invocable_v<decltype(&fold::StackTrie::child), fold::StackTrie&, fold::NodeId, fold::FrameId>);
static_assert(!std::is_invocable_v<decltype(&fold::StackTrie::child), fold::StackTrie&, fold::FrameId, fold::NodeId>);
static_assert(!std::is_invocable_v<decltype(&fold::StackTrie::child), fold::StackTrie&, uint32_t, uint32_t>);
static_assert(!std::is_invocable_v<decltype(&fold::StackTrie::add_child), fold::StackTrie&, fold::FrameId,
                                   fold::NodeId>);

// An array is indexed by its own kind of id (or a plain position), not another kind.
static_assert(Indexable<decltype(model::Profile::functions), FunctionId>);
static_assert(Indexable<decltype(model::Profile::functions), size_t>);
static_assert(!Indexable<decltype(model::Profile::functions), LocationId>);
static_assert(!Indexable<decltype(model::Profile::locations), MappingId>);
static_assert(!Indexable<decltype(model::Profile::mappings), FunctionId>);
static_assert(!Indexable<decltype(model::Profile::lines), LocationId>);
static_assert(!Indexable<decltype(fold::StackTrie::nodes), fold::FrameId>);
static_assert(!Indexable<decltype(fold::StackTrie::frames), fold::NodeId>);
static_assert(!Indexable<decltype(model::Profile::functions), model::StrId>);

// Zero cost: one 32-bit value, copied as one.
static_assert(sizeof(LocationId) == 4 && alignof(LocationId) == alignof(uint32_t));
static_assert(std::is_trivially_copyable_v<LocationId> && std::is_trivial_v<fold::NodeId>);
static_assert(std::is_standard_layout_v<FunctionId> && sizeof(model::StrId) == 4);
static_assert(sizeof(model::Line) == 24 && sizeof(fold::TrieNode) == 40);  // as with uint32_t fields

}  // namespace

TEST_CASE("typed ids: none, order, hashing, IdVector and ids()") {
  LocationId none = model::kNone;
  CHECK(none == model::kNone);
  CHECK(none.is_none());
  CHECK(LocationId(3) != model::kNone);
  CHECK(model::Line{}.function == model::kNone);
  CHECK(model::Location{}.mapping == model::kNone);
  CHECK(LocationId(3) < LocationId(4));
  CHECK(LocationId(3).value() == 3u);

  IdVector<FunctionId, int> v;
  CHECK(v.next_id() == FunctionId(0));
  v.push_back(10);
  v.push_back(20);
  CHECK(v.next_id() == FunctionId(2));
  CHECK(v[FunctionId(1)] == 20);
  v[FunctionId(0)] = 11;
  CHECK(v[0] == 11);
  uint32_t sum = 0, count = 0;
  for (FunctionId f : v.ids()) {
    sum += f.value();
    ++count;
  }
  CHECK(count == 2);
  CHECK(sum == 1);

  const LocationId a[] = {LocationId(1), LocationId(2), LocationId(3)};
  const LocationId b[] = {LocationId(1), LocationId(2), LocationId(4)};
  CHECK(equal_ids(a, b, 2));
  CHECK_FALSE(equal_ids(a, b, 3));
  CHECK(equal_ids(a + 2, b + 2, 0));

  std::unordered_set<FunctionId> set{FunctionId(1), FunctionId(1), FunctionId(5)};
  CHECK(set.size() == 2);
  CHECK(std::hash<FunctionId>{}(FunctionId(5)) == std::hash<uint32_t>{}(5));
}
