// check's findings (one per cause, led by the project's own frame), its warn
// and fail tiers, and the reports written from them.
#include <doctest/doctest.h>
#include <re2/re2.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "pprofx/diff/ops.h"
#include "pprofx/diff/tables.h"
#include "pprofx/fold/prepare.h"
#include "pprofx/report/check.h"
#include "stacks.h"

using namespace pprofx;
using testing::stacks_profile;

namespace {

report::CheckResult check(const std::vector<const model::Profile*>& bases, const model::Profile& next,
                          const report::CheckThresholds& t = {}) {
  auto r = report::run_check(bases, next, {}, t);
  REQUIRE(r.ok());
  return std::move(*r);
}

model::Profile samples(const std::vector<testing::StackValues>& stacks) {
  return stacks_profile({{"samples", "count"}}, stacks);
}

// A service whose handler hashes through the standard library: hash's share is
// `hash` of 10000 samples, the rest in main.serve's other work.
model::Profile service(int64_t hash, int64_t other_hash = 0) {
  std::vector<testing::StackValues> s = {
      {"main.main;main.serve;main.hashAll;crypto/sha256.Sum256;crypto/sha256.block", {hash}},
      {"main.main;main.serve;main.render;strings.Repeat;runtime.memmove", {1000 + other_hash}},
      {"main.main;main.serve;main.decode", {9000 - hash - other_hash}}};
  return samples(s);
}

}  // namespace

TEST_CASE("check findings: one change seen at five depths is one finding, led by the project's frame") {
  const auto base = service(1000), next = service(2500);
  const auto r = check({&base}, next);
  // block (flat), Sum256, hashAll (cum) regressed; serve's cum stays 100%.
  size_t regressed = 0;
  for (const auto& f : r.judged) regressed += f.verdict == report::Verdict::kFail;
  CHECK(regressed == 3);
  REQUIRE(r.findings.size() == 1);
  const report::Finding& g = r.findings[0];
  CHECK(g.lead == "main.hashAll");  // the deepest frame of the project's own code on the path
  CHECK(g.path == std::vector<std::string>{"main.hashAll", "crypto/sha256.Sum256", "crypto/sha256.block"});
  CHECK(g.path_increase == doctest::Approx(15));
  CHECK(r.judged[g.headline].name == "main.hashAll");  // the lead's own change is quoted
  CHECK(r.judged[g.headline].measure == report::Measure::kCum);
  CHECK(g.members.size() == 3);
  CHECK(r.failures() == 1);
  // main.decode lost the share: an improvement, not a finding.
  CHECK(r.improvements() == 1);

  // --own-code: the standard library is the project (say, when checking Go itself).
  report::CheckThresholds t;
  t.own_code = "^crypto/";
  const auto own = check({&base}, next, t);
  REQUIRE(own.findings.size() == 1);
  CHECK(own.findings[0].lead == "crypto/sha256.block");
  CHECK(own.findings[0].path == std::vector<std::string>{"crypto/sha256.block"});
  CHECK(own.judged[own.findings[0].headline].measure == report::Measure::kFlat);
  t.own_code = "(";
  CHECK(report::run_check({&base}, next, {}, t).error().message.find("parsing own-code regexp") == 0);
}

TEST_CASE("check findings: two independent regressions stay two findings") {
  const auto base = service(1000), next = service(2500, 1500);  // render's path grows as well
  const auto r = check({&base}, next);
  REQUIRE(r.findings.size() == 2);
  const bool render_first = r.findings[0].lead == "main.render";
  const report::Finding& render = r.findings[render_first ? 0 : 1];
  CHECK(render.lead == "main.render");
  CHECK(r.findings[render_first ? 1 : 0].lead == "main.hashAll");
  CHECK(render.path == std::vector<std::string>{"main.render", "strings.Repeat", "runtime.memmove"});
  for (const report::Finding& g : r.findings) {
    for (size_t m : g.members) {
      const std::string& name = r.judged[m].name;
      const bool hash_side = name.find("sha256") != std::string::npos || name == "main.hashAll";
      CHECK(hash_side == (g.lead == "main.hashAll"));
    }
  }
}

TEST_CASE("check findings: a frame with no own code on its path is led by its topmost regression") {
  const auto base =
      samples({{"runtime.gcBgMarkWorker;runtime.gcDrain;runtime.scanobject", {1000}}, {"main.main;main.work", {9000}}});
  const auto next =
      samples({{"runtime.gcBgMarkWorker;runtime.gcDrain;runtime.scanobject", {3000}}, {"main.main;main.work", {7000}}});
  const auto r = check({&base}, next);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].lead == "runtime.gcBgMarkWorker");
  CHECK(r.findings[0].path.back() == "runtime.scanobject");
}

TEST_CASE("check: whose code is it") {
  using diff::is_own_code;
  CHECK(is_own_code("main.hashAll", "/src/app/main.go"));
  CHECK(is_own_code("github.com/acme/svc.(*Server).Handle", "/home/u/svc/server.go"));
  CHECK(is_own_code("golang.org/x/net/http2.(*Framer).ReadFrame", ""));  // a module: not the standard library
  CHECK(!is_own_code("crypto/sha256.(*digest).Write", "/usr/lib/go-1.19/src/crypto/sha256/sha256.go"));
  CHECK(!is_own_code("crypto/sha256.block", "/usr/lib/go-1.19/src/crypto/sha256/sha256block_amd64.s"));
  CHECK(!is_own_code("runtime.mallocgc", ""));
  CHECK(!is_own_code("runtime/pprof.runtime_goroutineProfileWithLabels", "/usr/lib/go-1.19/src/runtime/mprof.go"));
  CHECK(!is_own_code("vendor/golang.org/x/net/dns/dnsmessage.(*Parser).Question", ""));
  // A local module without a dot in its path: its files are not under GOROOT/src/PKG.
  CHECK(is_own_code("workload/store.(*DB).Get", "/home/u/workload/store/db.go"));
  CHECK(!is_own_code("std::vector<int>::push_back", "/usr/include/c++/12/bits/stl_vector.h"));
  CHECK(!is_own_code("__memmove_avx_unaligned_erms", ""));
  CHECK(!is_own_code("malloc", "./malloc/malloc.c"));
  CHECK(!is_own_code("[libc.so.6]", ""));
  CHECK(is_own_code("Server::handle(Request const&)", "/src/server.cc"));
  CHECK(!is_own_code("java.util.HashMap.get", ""));
  CHECK(is_own_code("__init__", "/srv/app/models.py"));  // a Python method, not a C runtime name
  CHECK(!is_own_code("_read", "/usr/lib/python3.11/socket.py"));
  CHECK(is_own_code("get", "/venv/lib/python3.11/site-packages/requests/api.py"));  // a dependency, as Go modules
  CHECK(!is_own_code("processTicksAndRejections", "node:internal/process/task_queues"));
  CHECK(is_own_code("handler", "/srv/app/index.js"));
  CHECK(!is_own_code("core::ptr::drop_in_place<alloc::vec::Vec<u8>>", ""));
  CHECK(is_own_code("myapp::server::handle", "/src/server.rs"));
  auto re = re2::RE2("^main\\.");
  CHECK(is_own_code("main.x", "", &re));
  CHECK(!is_own_code("github.com/acme/svc.F", "", &re));
}

TEST_CASE("check tiers: warnings pass with exit 0, failures fail; the most specific rule wins") {
  const auto base = service(1000), next = service(1500);  // hashAll +5 pt cum, block +5 pt flat
  report::CheckThresholds t;
  t.max_flat_increase = 10;
  t.max_cum_increase = 10;
  t.max_relative_increase = INFINITY;
  auto warn = report::parse_threshold_rule("flat=2,cum=4", true);
  REQUIRE(warn.ok());
  t.rules = {*warn};
  auto r = check({&base}, next, t);
  CHECK(!r.regressed());
  CHECK(r.warnings() == 1);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].verdict == report::Verdict::kWarn);
  CHECK(r.judged[r.findings[0].headline].reason.find("warn threshold 4.00 pt") != std::string::npos);

  // A fail rule for these functions beats the general warn rule: they fail.
  auto fail = report::parse_threshold_rule("flat=3,cum=4,function=hash|sha256", false);
  REQUIRE(fail.ok());
  t.rules.push_back(*fail);
  r = check({&base}, next, t);
  CHECK(r.regressed());
  CHECK(r.findings[0].verdict == report::Verdict::kFail);

  // Each tier resolves on its own: a function's higher fail limit leaves the general warn limit.
  t.rules = {*warn, *report::parse_threshold_rule("flat=10,cum=10,function=sha256|hash", false)};
  r = check({&base}, next, t);
  CHECK(r.warnings() == 1);
  CHECK(!r.regressed());
  // --allow says the function may grow so much: neither tier flags it (flat: allow's 10 points;
  // cum: the general 10-point fail limit, and a warn limit for cum set for these functions only).
  t.allow = {{"sha256|hash", 10.0}};
  t.rules = {*warn, *report::parse_threshold_rule("cum=10,function=sha256|hash", true)};
  r = check({&base}, next, t);
  CHECK(r.warnings() == 0);
  CHECK(!r.regressed());
  t.allow.clear();
  // Per sample type: a rule for another type changes nothing.
  t.rules = {*report::parse_threshold_rule("type=alloc_space,flat=1,cum=1", false)};
  CHECK(!check({&base}, next, t).regressed());
  t.rules = {*report::parse_threshold_rule("type=samples,flat=1,cum=1", false)};
  CHECK(check({&base}, next, t).regressed());

  // The total's tiers.
  const auto small = samples({{"main.main;main.a", {100}}}), big = samples({{"main.main;main.a", {112}}});
  report::CheckThresholds tt;
  tt.rules = {*report::parse_threshold_rule("total=10", true)};
  r = check({&small}, big, tt);
  CHECK(r.total == report::Verdict::kWarn);
  CHECK(r.total_warn_threshold == 10);
  CHECK(r.warnings() == 1);
  CHECK(!r.regressed());
}

TEST_CASE("check tiers: parsing a rule") {
  auto r = report::parse_threshold_rule("cum=6,type=alloc_space,relative=off,function=^a{1,2}$,x", false);
  REQUIRE(r.ok());
  CHECK(*r->cum == 6);
  CHECK(r->type == "alloc_space");
  CHECK(std::isinf(*r->relative));
  CHECK(r->function == "^a{1,2}$,x");  // the rest of the text, commas and all
  CHECK(!r->flat);
  for (const char* bad : {"", "flat", "flat=", "flat=-1", "flat=1x", "flat= 1", "speed=1",
                          "type=", "function=", "total=5,function=main", "type=cpu"}) {
    INFO(bad);
    auto e = report::parse_threshold_rule(bad, true);
    REQUIRE(!e.ok());
    CHECK(e.error().message.find("--warn-threshold \"") == 0);
  }
}

TEST_CASE("check --flame: the median of the baselines' call trees") {
  const auto a = samples({{"main;x", {10}}, {"main;y", {90}}}), b = samples({{"main;x", {40}}, {"main;y", {160}}}),
             c = samples({{"main;x", {30}}, {"main;y", {270}}, {"main;z", {300}}});
  std::vector<fold::FoldedProfile> folded;
  for (const model::Profile* p : {&a, &b, &c}) {
    auto f = fold::fold_profile(*p, "t", {}, {});
    REQUIRE(f.ok());
    folded.push_back(std::move(*f));
  }
  auto m = diff::median_trie({&folded[0].trie, &folded[1].trie, &folded[2].trie});
  REQUIRE(m.ok());
  // Shares: x 10%, 20%, 5% -> 10%; y 90%, 80%, 45% -> 80%; z 0, 0, 50% -> 0; times the median total 200.
  std::map<std::string, int64_t> self;
  for (const auto& n : m->nodes) self[std::string(m->name(n))] += n.self;
  CHECK(self["x"] == 20);
  CHECK(self["y"] == 160);
  CHECK(self["z"] == 0);
  CHECK(m->total() == 180);
}

TEST_CASE("check per operation: a uniformly slower benchmark fails on the total; shares alone cannot see it") {
  const auto base = service(1000);
  const auto same = service(1000);  // the same profile: a fixed-time benchmark doing 20% fewer operations
  CHECK(!check({&base}, same).regressed());
  report::CheckSides sides{.names = {"base"}, .base_ops = {1000}, .new_ops = 800};
  auto r = report::run_check({&base}, same, {}, {}, sides);
  REQUIRE(r.ok());
  CHECK(r->per_op);
  CHECK(r->total_change_percent == doctest::Approx(25));  // 1000 ops -> 800 ops: +25% per op
  CHECK(r->total == report::Verdict::kFail);
  CHECK(r->baselines[0].ops == 1000);
  // Every function's share of the baselines' per-op total grew by a quarter of itself.
  for (const auto& f : r->judged) CHECK(f.new_cum == doctest::Approx(f.base_cum * 1.25));
  CHECK(report::format_check_text(*r).find("Total per operation +25.0% (threshold +15%)  REGRESSION") !=
        std::string::npos);
  // As many operations: the same as by share.
  sides.new_ops = 1000;
  r = report::run_check({&base}, same, {}, {}, sides);
  REQUIRE(r.ok());
  CHECK(!r->regressed());
  sides.base_ops.clear();
  CHECK(!report::run_check({&base}, same, {}, {}, sides).ok());
}

TEST_CASE("operation counts: --ops and go test -bench output") {
  auto ops = diff::parse_ops("1000,1200", "--ops");
  REQUIRE(ops.ok());
  CHECK(*ops == std::vector<int64_t>{1000, 1200});
  for (const char* bad : {"", "1,", ",1", "0", "-3", "+3", "1.5", "1e3", "x", "99999999999999999999"}) {
    INFO(bad);
    CHECK(!diff::parse_ops(bad, "--ops").ok());
  }
  const std::string out =
      "goos: linux\ngoarch: amd64\npkg: example.com/srv\ncpu: Intel(R) Xeon(R)\n"
      "BenchmarkServer-8   \t   12345\t     98765 ns/op\t    1024 B/op\t      12 allocs/op\n"
      "BenchmarkServer-8   \t   10000\t     99000 ns/op\n"
      "PASS\nok  \texample.com/srv\t3.012s\n";
  auto n = diff::bench_ops(out, "b.txt");
  REQUIRE(n.ok());
  CHECK(*n == 22345);  // the runs of -count 2, summed
  auto two = diff::bench_ops("BenchmarkA 10 5 ns/op\nBenchmarkB-2 20 5 ns/op\n", "b.txt");
  REQUIRE(!two.ok());
  CHECK(two.error().message ==
        "b.txt: results of 2 benchmarks (BenchmarkA, BenchmarkB): a profile per benchmark is "
        "needed to compare per operation (go test -bench '^BenchmarkX$')");
  CHECK(diff::bench_ops("PASS\n", "b.txt").error().message.find("b.txt: no benchmark result") == 0);
  CHECK(!diff::bench_ops("BenchmarkA 10 5 MB/s\n", "b.txt").ok());  // not an ns/op line
  CHECK(!diff::bench_ops("BenchmarkA 9223372036854775807 5 ns/op\nBenchmarkA 1 5 ns/op\n", "b.txt").ok());
}

TEST_CASE("check: the total must clear the baselines' spread (CPU per second moves with the machine's load)") {
  auto run = [](int64_t samples, int64_t seconds) {
    return stacks_profile({{"samples", "count"}}, {{"main.main;main.work", {samples}}}, seconds * 1'000'000'000);
  };
  // Per second: 100, 80 and 120 (a loaded machine's runs); MAD 20 of 100 -> 3 x 1.4826 x 20% = 88.96%.
  const auto b1 = run(1000, 10), b2 = run(800, 10), b3 = run(1200, 10);
  const auto next = run(1300, 10);  // +30%: past the 15% threshold, within the spread
  auto r = check({&b1, &b2, &b3}, next);
  CHECK(r.total_change_percent == doctest::Approx(30));
  CHECK(r.total_noise == doctest::Approx(88.956).epsilon(1e-4));
  CHECK(r.total == report::Verdict::kOk);
  CHECK(report::format_check_text(r).find("Total per second +30.0% (threshold +15%, noise 89.0%)\n") !=
        std::string::npos);
  // Steady baselines: the same +30% fails.
  const auto c1 = run(1000, 10), c2 = run(1010, 10), c3 = run(990, 10);
  r = check({&c1, &c2, &c3}, next);
  CHECK(r.total_noise == doctest::Approx(4.4478).epsilon(1e-3));
  CHECK(r.total == report::Verdict::kFail);
  // One baseline: no spread to measure.
  r = check({&b1}, next);
  CHECK(r.total_noise == 0);
  CHECK(r.total == report::Verdict::kFail);
}
