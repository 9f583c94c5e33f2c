// report::cross_table: a CPU, a heap and a mutex profile of one program joined per
// function; shares, hot axes (bytes and objects allocated count once), ranking,
// delay charged past wait primitives, errors.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "pprofx/report/cross.h"
#include "stacks.h"

using namespace pprofx;
using testing::stacks_profile;

namespace {

struct Profiles {
  model::Profile cpu = stacks_profile({{"samples", "count"}, {"cpu", "nanoseconds"}},
                                      {{"main;work", {6, 60}}, {"main;parse", {4, 40}}});
  model::Profile heap = stacks_profile({{"alloc_objects", "count"}, {"alloc_space", "bytes"}},
                                       {{"main;work", {1, 10}}, {"main;alloc", {9, 990}}});
  // No "mutex" in its name: told apart from a block profile by its stacks ending in Unlock.
  model::Profile mutex = stacks_profile({{"contentions", "count"}, {"delay", "nanoseconds"}},
                                        {{"main;work;sync.(*Mutex).Unlock", {2, 100}}});
  std::vector<report::CrossInput> inputs() const {
    return {{&cpu, "cpu.pb.gz", ""}, {&heap, "heap.pb.gz", ""}, {&mutex, "contention.pb.gz", ""}};
  }
};

const report::CrossRow* row(const report::CrossTable& t, const std::string& name) {
  for (const auto& r : t.rows) {
    if (r.function == name) return &r;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("cross: columns per axis, flat values and shares, hot counts, ranking") {
  const Profiles p;
  auto t = report::cross_table(p.inputs(), {});
  REQUIRE(t.ok());
  REQUIRE(t->columns.size() == 4);
  CHECK(t->columns[0].axis == report::Axis::kCpu);
  CHECK(t->columns[0].sample_type == "cpu");
  CHECK(t->columns[0].total == 100);
  CHECK(t->columns[1].axis == report::Axis::kAllocSpace);
  CHECK(t->columns[1].total == 1000);
  CHECK(t->columns[2].axis == report::Axis::kAllocObjects);
  CHECK(t->columns[2].total == 10);
  CHECK(t->columns[3].axis == report::Axis::kLockDelay);
  CHECK(t->columns[3].file == "contention.pb.gz");
  CHECK(t->columns[3].total == 100);
  // main has no flat value anywhere and Unlock's delay goes to its caller: 3 functions.
  CHECK(t->functions == 3);
  REQUIRE(t->rows.size() == 3);
  // work: hot on cpu (60%), allocations (objects 10%; bytes 1% is not), lock delay (100%).
  CHECK(t->rows[0].function == "work");
  CHECK(t->rows[0].values == std::vector<int64_t>{60, 10, 1, 100});
  CHECK(t->rows[0].hot == std::vector<bool>{true, false, true, true});
  CHECK(t->rows[0].hot_count == 3);
  CHECK(t->rows[0].share_sum == doctest::Approx(0.6 + 0.01 + 0.1 + 1.0));
  // alloc: hot on bytes and objects, one resource; share sum 1.89 ranks it over parse's 0.4.
  CHECK(t->rows[1].function == "alloc");
  CHECK(t->rows[1].values == std::vector<int64_t>{0, 990, 9, 0});
  CHECK(t->rows[1].hot_count == 1);
  CHECK(t->rows[1].share_sum == doctest::Approx(1.89));
  CHECK(t->rows[2].function == "parse");
  CHECK(t->rows[2].shares[0] == doctest::Approx(0.4));
  CHECK(t->rows[2].hot_count == 1);

  report::CrossOptions o;
  o.max_rows = 1;
  t = report::cross_table(p.inputs(), o);
  REQUIRE(t.ok());
  CHECK(t->functions == 3);
  REQUIRE(t->rows.size() == 1);
  CHECK(t->rows[0].function == "work");

  o = {};
  o.hot = 0.5;  // only work's cpu and lock delay, and alloc's two allocation axes
  t = report::cross_table(p.inputs(), o);
  REQUIRE(t.ok());
  CHECK(row(*t, "work")->hot_count == 2);
  CHECK(row(*t, "parse")->hot_count == 0);
  CHECK(row(*t, "alloc")->hot_count == 1);
}

TEST_CASE("cross: cum values; delay charged to the leaf without wait primitives") {
  const Profiles p;
  report::CrossOptions o;
  o.cum = true;
  auto t = report::cross_table(p.inputs(), o);
  REQUIRE(t.ok());
  CHECK(t->functions == 5);
  CHECK(t->rows[0].function == "main");
  CHECK(t->rows[0].values == std::vector<int64_t>{100, 1000, 10, 100});
  CHECK(t->rows[0].hot_count == 3);
  CHECK(t->rows[0].share_sum == doctest::Approx(4));
  REQUIRE(row(*t, "sync.(*Mutex).Unlock") != nullptr);
  CHECK(row(*t, "sync.(*Mutex).Unlock")->values == std::vector<int64_t>{0, 0, 0, 100});

  o = {};
  o.wait_primitives = "";  // pprof's flat: the leaf
  t = report::cross_table(p.inputs(), o);
  REQUIRE(t.ok());
  CHECK(row(*t, "work")->values == std::vector<int64_t>{60, 10, 1, 0});
  CHECK(row(*t, "sync.(*Mutex).Unlock")->values == std::vector<int64_t>{0, 0, 0, 100});
}

TEST_CASE("cross: kinds detected or named, and the errors") {
  const Profiles p;
  // Named as a block profile, the same delay is block delay.
  auto t = report::cross_table({{&p.mutex, "contention.pb.gz", "block"}}, {});
  REQUIRE(t.ok());
  CHECK(t->columns[0].axis == report::Axis::kBlockDelay);
  // Its file name decides before its stacks do.
  t = report::cross_table({{&p.mutex, "x.block.pb.gz", ""}}, {});
  REQUIRE(t.ok());
  CHECK(t->columns[0].axis == report::Axis::kBlockDelay);

  t = report::cross_table({{&p.cpu, "a.pb.gz", ""}, {&p.cpu, "b.pb.gz", ""}}, {});
  REQUIRE(!t.ok());
  CHECK(t.error().message == "a.pb.gz and b.pb.gz both give cpu: merge them first (pprofx merge) or pass one");

  const auto odd = stacks_profile({{"widgets", "count"}}, {{"main", {1}}});
  t = report::cross_table({{&odd, "odd.pb", ""}}, {});
  REQUIRE(!t.ok());
  CHECK(t.error().message.find("odd.pb: cannot tell which axis this profile is (sample types: widgets/count)") == 0);

  report::CrossOptions o;
  o.wait_primitives = "(";
  t = report::cross_table(p.inputs(), o);
  REQUIRE(!t.ok());
  CHECK(t.error().message.find("--wait-primitives: ") == 0);
}
