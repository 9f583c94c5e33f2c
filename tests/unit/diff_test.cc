// diff::diff_tables: rows joined by frame name, frames only in one profile,
// totals, sample counts for the noise bound; estimated_count.
#include <doctest/doctest.h>

#include <map>

#include "pprofx/diff/tables.h"
#include "stacks.h"

using namespace pprofx;
using testing::stacks_profile;

namespace {

std::map<std::string, diff::DiffRow> by_name(const diff::DiffTable& t) {
  std::map<std::string, diff::DiffRow> m;
  for (const diff::DiffRow& r : t.rows) CHECK(m.emplace(r.name, r).second);  // one row per frame
  return m;
}

}  // namespace

TEST_CASE("diff_tables: joined rows, rows only in BASE or only in NEW, totals and counts") {
  const auto base = stacks_profile({{"samples", "count"}},
                                   {{"main;a", {6}}, {"main;b", {4}}, {"old", {10}}}, 1'000'000'000);
  const auto next = stacks_profile({{"samples", "count"}},
                                   {{"main;a", {9}}, {"main;fresh", {1}}, {"b", {2}}}, 2'000'000'000);
  auto t = diff::diff_tables(base, next, {});
  REQUIRE(t.ok());
  CHECK(t->type == "samples");
  CHECK(t->unit == "count");
  CHECK(t->base_total == 20);
  CHECK(t->new_total == 12);
  CHECK(t->base_count == 20);  // a count type: the values are the samples
  CHECK(t->new_count == 12);
  CHECK(t->base_duration == 1'000'000'000);
  CHECK(t->new_duration == 2'000'000'000);
  const auto rows = by_name(*t);
  REQUIRE(rows.size() == 5);
  auto check_row = [&](const std::string& name, int64_t bf, int64_t bc, int64_t nf, int64_t nc) {
    INFO(name);
    REQUIRE(rows.count(name) == 1);
    const diff::DiffRow& r = rows.at(name);
    CHECK(r.base_flat == bf);
    CHECK(r.base_cum == bc);
    CHECK(r.new_flat == nf);
    CHECK(r.new_cum == nc);
  };
  check_row("main", 0, 10, 0, 10);
  check_row("a", 6, 6, 9, 9);
  check_row("b", 4, 4, 2, 2);   // under main in BASE, a root in NEW: one row by name
  check_row("old", 10, 10, 0, 0);   // only in BASE
  check_row("fresh", 0, 0, 1, 1);   // only in NEW
}

TEST_CASE("diff_tables: the sample type is NEW's default unless named, and must match in BASE") {
  const auto base = stacks_profile({{"alloc_objects", "count"}, {"alloc_space", "bytes"}},
                                   {{"main;a", {2, 200}}, {"main;b", {1, 50}}});
  const auto next = stacks_profile({{"alloc_objects", "count"}, {"alloc_space", "bytes"}},
                                   {{"main;a", {3, 600}}});
  auto t = diff::diff_tables(base, next, {});  // default: the last type
  REQUIRE(t.ok());
  CHECK(t->type == "alloc_space");
  CHECK(t->base_total == 250);
  CHECK(t->new_total == 600);
  CHECK(t->base_count == 3);  // bytes: the count type of the same family
  CHECK(t->new_count == 3);
  CHECK(by_name(*t).at("a").new_flat == 600);

  fold::Selection o;
  o.sample_index = "alloc_objects";
  t = diff::diff_tables(base, next, o);
  REQUIRE(t.ok());
  CHECK(t->base_total == 3);
  CHECK(by_name(*t).at("b").base_flat == 1);
  CHECK(by_name(*t).at("b").new_flat == 0);

  const auto cpu = stacks_profile({{"cpu", "nanoseconds"}}, {{"main", {5}}});
  t = diff::diff_tables(cpu, next, {});
  REQUIRE(!t.ok());
  CHECK(t.error().message ==
        "BASE and NEW are different kinds of profile: NEW's alloc_space (alloc_objects/count, alloc_space/bytes) is "
        "not among BASE's sample types (cpu/nanoseconds); compare profiles of one kind");
  // A type both have is named.
  const auto both = stacks_profile({{"alloc_objects", "count"}, {"cpu", "nanoseconds"}}, {{"main", {5, 1}}});
  t = diff::diff_tables(both, next, {});
  REQUIRE(!t.ok());
  CHECK(t.error().message.find("; choose a type both have with --sample-index alloc_objects") != std::string::npos);
  o.sample_index = "inuse_space";  // named: pprof's message for the missing type
  t = diff::diff_tables(cpu, next, o);
  REQUIRE(!t.ok());
  CHECK(t.error().message.find("NEW: ") == 0);
  o.sample_index = "alloc_objects";

  const auto other_unit = stacks_profile({{"alloc_space", "count"}}, {{"main", {5}}});
  t = diff::diff_tables(other_unit, next, {});
  REQUIRE(!t.ok());
  CHECK(t.error().message == "the sample type \"alloc_space\" is in count in BASE but in bytes in NEW");
}

TEST_CASE("estimated_count: counts, total / period for sampled units, else the number of samples") {
  testing::ProfileBuilder b;
  b.sample_type("samples", "count").sample_type("cpu", "nanoseconds");
  b.sample({b.frame("main")}, {2, 20'000'000});
  b.sample({b.frame("work")}, {1, -10'000'000});  // |value| counts
  auto& pt = *b.proto().mutable_period_type();
  pt.set_type(b.str("cpu"));
  pt.set_unit(b.str("nanoseconds"));
  b.proto().set_period(5'000'000);
  auto p = decode::decode_profile(b.bytes(), "cpu.pb");
  REQUIRE(p.ok());
  CHECK(diff::estimated_count(*p, 0) == 3);
  CHECK(diff::estimated_count(*p, 1) == 6);  // 30 ms / 5 ms, not the 3 of the count type

  const auto wall = stacks_profile({{"wall", "nanoseconds"}}, {{"main", {7}}, {"main;x", {9}}});
  CHECK(diff::estimated_count(wall, 0) == 2);  // no period, no count type: the samples
}

TEST_CASE("diff_tables by groups of stacks: named by the deepest own frame and the outermost, never the runtime leaf") {
  const std::string park = "runtime.goexit;main.serve;main.leakedWaiter;runtime.chanrecv1;runtime.chanrecv;runtime.gopark";
  const std::string selectWait = "runtime.goexit;main.serve;main.poller;runtime.selectgo;runtime.gopark";
  const std::string pool = "runtime.goexit;main.worker;runtime.chanrecv2;runtime.chanrecv;runtime.gopark";
  const std::string gc = "runtime.goexit;runtime.bgsweep;runtime.goparkunlock;runtime.gopark";
  const auto base = stacks_profile({{"goroutine", "count"}}, {{park, {2}}, {selectWait, {1}}, {pool, {8}}, {gc, {1}}});
  const auto next = stacks_profile({{"goroutine", "count"}}, {{park, {40}}, {selectWait, {9}}, {pool, {8}}, {gc, {1}}});
  CHECK(diff::by_stack_by_default("goroutine"));
  CHECK(!diff::by_stack_by_default("cpu"));
  auto t = diff::diff_tables(base, next, {}, {.with_edges = false, .by_stack = true, .own_code = {}});
  REQUIRE(t.ok());
  const auto rows = by_name(*t);
  REQUIRE(rows.size() == 4);
  CHECK(rows.at("main.leakedWaiter (from main.serve)").base_flat == 2);
  CHECK(rows.at("main.leakedWaiter (from main.serve)").new_flat == 40);
  CHECK(rows.at("main.leakedWaiter (from main.serve)").new_cum == 40);
  CHECK(rows.at("main.poller (from main.serve)").new_flat == 9);
  CHECK(rows.at("main.worker").new_flat == 8);  // lead and entry are one frame
  CHECK(rows.at("runtime.gopark").new_flat == 1);  // no frame of the project's: named by its leaf
  CHECK(t->base_total == 12);
  CHECK(t->new_total == 58);
  // --own-code: the serving code is not the project's here; the leaf names what is left.
  t = diff::diff_tables(base, next, {}, {.with_edges = false, .by_stack = true, .own_code = "^main\\.(leaked|worker)"});
  REQUIRE(t.ok());
  CHECK(by_name(*t).count("main.leakedWaiter") == 1);
  CHECK(by_name(*t).count("runtime.gopark") == 1);  // the poller's and the sweeper's stacks
  CHECK(by_name(*t).at("runtime.gopark").new_flat == 10);
  CHECK(!diff::diff_tables(base, next, {}, {.with_edges = false, .by_stack = true, .own_code = "("}).ok());
}
