// report's baseline store (check --store): numbered files, the newest kept,
// other files left alone, names checked.
#include <doctest/doctest.h>

#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "pprofx/report/baseline_store.h"
#include "temp_dir.h"

using namespace pprofx;
namespace fs = std::filesystem;

namespace {

using testing::TempDir;

std::string slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> file_names(const fs::path& dir) {
  std::vector<std::string> v;
  for (const auto& e : fs::directory_iterator(dir)) v.push_back(e.path().filename().string());
  std::sort(v.begin(), v.end());
  return v;
}

std::vector<std::string> listed(const std::string& store, const std::string& name) {
  auto l = report::list_baselines(store, name);
  REQUIRE_MESSAGE(l.ok(), l.error().message);
  std::vector<std::string> v;
  for (const std::string& p : *l) v.push_back(fs::path(p).filename().string());
  return v;
}

std::string save(const std::string& store, const std::string& name, const std::string& bytes, size_t keep) {
  auto p = report::save_baseline(store, name, bytes, keep);
  REQUIRE_MESSAGE(p.ok(), p.error().message);
  return *p;
}

}  // namespace

TEST_CASE("baseline store: numbered files, the newest `keep` kept") {
  TempDir t;
  const std::string store = t.sub("store");
  CHECK(listed(store, "api").empty());  // no store yet
  const std::string first = save(store, "api", "one", 3);
  CHECK(first == (fs::path(store) / "api" / "000001.pprof").string());
  CHECK(slurp(first) == "one");
  save(store, "api", "two", 3);
  save(store, "api", "three", 3);
  CHECK(listed(store, "api") == std::vector<std::string>{"000001.pprof", "000002.pprof", "000003.pprof"});
  const std::string fourth = save(store, "api", "four", 3);
  CHECK(fs::path(fourth).filename() == "000004.pprof");
  CHECK(listed(store, "api") == std::vector<std::string>{"000002.pprof", "000003.pprof", "000004.pprof"});
  auto paths = report::list_baselines(store, "api");
  REQUIRE(paths.ok());
  CHECK(slurp(paths->front()) == "two");
  CHECK(slurp(paths->back()) == "four");
  // keep 0 keeps one: the file just saved.
  const std::string fifth = save(store, "api", "five", 0);
  CHECK(listed(store, "api") == std::vector<std::string>{"000005.pprof"});
  CHECK(slurp(fifth) == "five");
  // Numbering continues after the newest, not the count.
  CHECK(fs::path(save(store, "api", "six", 10)).filename() == "000006.pprof");
}

TEST_CASE("baseline store: files of other names are left alone and not listed") {
  TempDir t;
  const std::string store = t.sub("store");
  const fs::path dir = fs::path(store) / "web";
  fs::create_directories(dir / "000009.pprof.d");  // a directory with our suffix
  std::ofstream(dir / "notes.txt") << "mine";
  std::ofstream(dir / "00001.pprof") << "five digits";
  std::ofstream(dir / "0000a1.pprof") << "a letter";
  std::ofstream(dir / "0000001.pprof") << "seven digits";
  std::ofstream(dir / "000007.pprof.bak") << "backup";
  CHECK(listed(store, "web").empty());
  CHECK(fs::path(save(store, "web", "x", 1)).filename() == "000001.pprof");
  save(store, "web", "y", 1);
  CHECK(listed(store, "web") == std::vector<std::string>{"000002.pprof"});
  CHECK(file_names(dir) == std::vector<std::string>{"0000001.pprof", "000002.pprof", "000007.pprof.bak",
                                                    "000009.pprof.d", "00001.pprof", "0000a1.pprof", "notes.txt"});
  CHECK(report::prune_baselines(store, "web", 0).ok());
  CHECK(file_names(dir) ==
        std::vector<std::string>{"0000001.pprof", "000007.pprof.bak", "000009.pprof.d", "00001.pprof", "0000a1.pprof",
                                 "notes.txt"});
}

TEST_CASE("baseline store: list sorted, names sorted, prune") {
  TempDir t;
  const std::string store = t.sub("store");
  CHECK(report::baseline_names(store).ok());
  CHECK(report::baseline_names(store)->empty());
  for (int i = 0; i < 12; ++i) save(store, "svc", std::to_string(i), 100);
  auto l = listed(store, "svc");
  REQUIRE(l.size() == 12);
  CHECK(std::is_sorted(l.begin(), l.end()));
  CHECK(l.front() == "000001.pprof");
  CHECK(l.back() == "000012.pprof");
  save(store, "b-2", "x", 1);
  save(store, "a.1", "x", 1);
  std::ofstream(fs::path(store) / "loose-file") << "not a name";
  fs::create_directories(fs::path(store) / "a b");  // not a name pprofx would store under: not listed
  auto names = report::baseline_names(store);
  REQUIRE(names.ok());
  CHECK(*names == std::vector<std::string>{"a.1", "b-2", "svc"});

  CHECK(report::prune_baselines(store, "svc", 5).ok());
  CHECK(listed(store, "svc") == std::vector<std::string>{"000008.pprof", "000009.pprof", "000010.pprof",
                                                         "000011.pprof", "000012.pprof"});
  CHECK(report::prune_baselines(store, "svc", 0).ok());
  CHECK(listed(store, "svc").empty());
  CHECK(report::prune_baselines(store, "never-saved", 0).ok());
  // After pruning everything, numbering starts again.
  CHECK(fs::path(save(store, "svc", "again", 1)).filename() == "000001.pprof");
}

TEST_CASE("baseline store: invalid names are refused") {
  CHECK(report::valid_baseline_name("api-v2_x.1"));
  CHECK(report::valid_baseline_name("..."));
  for (const std::string name : {"", ".", "..", "a/b", "../x", "a b", "naïve"}) {
    INFO(name);
    CHECK(!report::valid_baseline_name(name));
  }
  TempDir t;
  for (const std::string name : {"..", "a/b", ""}) {
    INFO(name);
    const std::string message = "baseline name \"" + name + "\": use letters, digits, '-', '_' and '.'";
    auto s = report::save_baseline(t.sub("store"), name, "x", 1);
    REQUIRE(!s.ok());
    CHECK(s.error().message == message);
    auto l = report::list_baselines(t.sub("store"), name);
    REQUIRE(!l.ok());
    CHECK(l.error().message == message);
    auto p = report::prune_baselines(t.sub("store"), name, 1);
    REQUIRE(!p.ok());
    CHECK(p.error().message == message);
  }
  CHECK(!fs::exists(t.sub("store")));  // nothing created
}

TEST_CASE("baseline store: a store path that is a file is an error") {
  TempDir t;
  const std::string store = t.sub("store");
  std::ofstream(store) << "a file";
  auto s = report::save_baseline(store, "api", "x", 1);
  REQUIRE(!s.ok());
  CHECK(s.error().message.find((fs::path(store) / "api").string() + ": cannot create: ") == 0);
  CHECK(slurp(store) == "a file");
  // Listing reads nothing there.
  CHECK(listed(store, "api").empty());
  CHECK(report::baseline_names(store)->empty());
}

// Two CI jobs saving at once: each save gets its own number and its own
// bytes; none replaces another (the number is taken with link(2), which never
// overwrites). Threads stand in for the jobs: the file system does the rest.
TEST_CASE("baseline store: concurrent saves lose nothing") {
  TempDir t;
  const std::string store = t.sub("store");
  constexpr int kPerJob = 40;
  std::vector<std::string> errors[2];
  auto job = [&](int j) {
    for (int i = 0; i < kPerJob; ++i) {
      auto p = report::save_baseline(store, "api", "job" + std::to_string(j) + "-" + std::to_string(i), 1000);
      if (!p) errors[j].push_back(p.error().message);
    }
  };
  std::thread a(job, 0), b(job, 1);
  a.join();
  b.join();
  CHECK(errors[0].empty());
  CHECK(errors[1].empty());
  auto files = report::list_baselines(store, "api");
  REQUIRE(files.ok());
  CHECK(files->size() == 2 * kPerJob);
  std::vector<std::string> contents;
  for (const std::string& f : *files) contents.push_back(slurp(f));
  std::sort(contents.begin(), contents.end());
  CHECK(std::adjacent_find(contents.begin(), contents.end()) == contents.end());  // every save's own bytes
  CHECK(fs::path(files->back()).filename() == "000080.pprof");
  // No temporary file is left behind.
  CHECK(file_names(fs::path(store) / "api").size() == 2 * kPerJob);
}

TEST_CASE("baseline store: past 999999 the numbers grow a digit and stay in order") {
  TempDir t;
  const std::string store = t.sub("store");
  fs::create_directories(fs::path(store) / "api");
  std::ofstream(fs::path(store) / "api" / "999999.pprof") << "old";
  const std::string next = save(store, "api", "new", 2);
  CHECK(fs::path(next).filename() == "1000000.pprof");
  CHECK(listed(store, "api") == std::vector<std::string>{"999999.pprof", "1000000.pprof"});
  save(store, "api", "newer", 2);
  CHECK(listed(store, "api") == std::vector<std::string>{"1000000.pprof", "1000001.pprof"});
}

// Issue 21, point 8: nothing inside the store is followed. An entry that is a
// symlink (to a FIFO, a device, a file outside) is never written, read or
// removed: skipped, and mentioned.
TEST_CASE("baseline store: symlinked entries are skipped, never written, read or removed") {
  TempDir t;
  const std::string store = t.sub("store");
  save(store, "api", "one", 10);
  const fs::path dir = fs::path(store) / "api";
  const std::string outside = t.write("secret.txt", "TOKEN=hunter2");
  const std::string fifo = t.sub("fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  fs::create_symlink(outside, dir / "000002.pprof");
  fs::create_symlink(fifo, dir / "000003.pprof");
  std::vector<std::string> skipped;
  auto l = report::list_baselines(store, "api", &skipped);
  REQUIRE(l.ok());
  CHECK(l->size() == 1);
  REQUIRE(skipped.size() == 2);
  CHECK(skipped[0].find("a symlink, skipped") != std::string::npos);
  // A save takes the next free number (link(2) never replaces the links).
  const std::string p = save(store, "api", "two", 10);
  CHECK(fs::path(p).filename() == "000004.pprof");
  CHECK(slurp(outside) == "TOKEN=hunter2");
  auto read = report::read_baselines(store, "api", 1 << 20);
  REQUIRE(read.ok());
  REQUIRE(read->size() == 2);
  CHECK((*read)[0].bytes == "one");
  CHECK((*read)[1].bytes == "two");
  CHECK(report::prune_baselines(store, "api", 0).ok());
  CHECK(file_names(dir) == std::vector<std::string>{"000002.pprof", "000003.pprof"});
  CHECK(slurp(outside) == "TOKEN=hunter2");
}

TEST_CASE("baseline store: a name folder that is a symlink is refused, and what it points to left alone") {
  TempDir t;
  const std::string store = t.sub("store");
  save(store, "api", "one", 10);
  const std::string elsewhere = t.sub("elsewhere");
  fs::create_directories(elsewhere);
  t.write("elsewhere/000001.pprof", "unrelated");
  t.write("elsewhere/000002.pprof", "unrelated too");
  fs::create_symlink(elsewhere, fs::path(store) / "web");
  for (int i = 0; i < 3; ++i) {
    std::string msg;
    if (i == 0) msg = report::prune_baselines(store, "web", 0).error().message;
    if (i == 1) msg = report::save_baseline(store, "web", "x", 1).error().message;
    if (i == 2) msg = report::list_baselines(store, "web").error().message;
    CHECK(msg == (fs::path(store) / "web").string() +
                     ": a symlink, not a folder of the store: refused (pprofx follows no symlink in a store)");
  }
  CHECK(file_names(elsewhere) == std::vector<std::string>{"000001.pprof", "000002.pprof"});
  std::vector<std::string> skipped;
  auto names = report::baseline_names(store, &skipped);
  REQUIRE(names.ok());
  CHECK(*names == std::vector<std::string>{"api"});
  CHECK(skipped == std::vector<std::string>{(fs::path(store) / "web").string() + ": a symlink, skipped"});
}

// Issue 21, point 16: a save killed by SIGKILL leaves its temporary; the next save or prune removes it.
TEST_CASE("baseline store: abandoned temporaries are removed by the next save and prune") {
  TempDir t;
  const std::string store = t.sub("store");
  save(store, "api", "one", 10);
  const fs::path dir = fs::path(store) / "api";
  std::ofstream(dir / ".pprofx-Kill01") << "left by a killed save";
  save(store, "api", "two", 10);
  CHECK(file_names(dir) == std::vector<std::string>{"000001.pprof", "000002.pprof"});
  std::ofstream(dir / ".pprofx-Kill02") << "left by a killed save";
  CHECK(report::prune_baselines(store, "api", 10).ok());
  CHECK(file_names(dir) == std::vector<std::string>{"000001.pprof", "000002.pprof"});
}

TEST_CASE("baseline store: an operation count is stored beside its profile, read with it, pruned with it") {
  TempDir t;
  const std::string store = t.sub("store");
  auto p = report::save_baseline(store, "bench", "one", 10, 1234);
  REQUIRE(p.ok());
  save(store, "bench", "two", 10);  // without a count
  const fs::path dir = fs::path(store) / "bench";
  CHECK(file_names(dir) == std::vector<std::string>{"000001.ops", "000001.pprof", "000002.pprof"});
  CHECK(slurp((dir / "000001.ops").string()) == "1234\n");
  CHECK(listed(store, "bench") == std::vector<std::string>{"000001.pprof", "000002.pprof"});  // not a baseline
  auto read = report::read_baselines(store, "bench", 1 << 20);
  REQUIRE(read.ok());
  REQUIRE(read->size() == 2);
  CHECK((*read)[0].ops == 1234);
  CHECK((*read)[1].ops == 0);
  // A count that is not one, or not a regular file, is refused (never followed).
  const std::string outside = t.write("secret.txt", "77");
  fs::create_symlink(outside, dir / "000002.ops");
  auto bad = report::read_baselines(store, "bench", 1 << 20);
  REQUIRE(!bad.ok());
  CHECK(bad.error().message.find("000002.ops: cannot read: ") != std::string::npos);  // O_NOFOLLOW: ELOOP
  fs::remove(dir / "000002.ops");
  t.write("store/bench/000002.ops", "-5\n");
  bad = report::read_baselines(store, "bench", 1 << 20);
  REQUIRE(!bad.ok());
  CHECK(bad.error().message.find("000002.ops: not an operation count") != std::string::npos);
  t.write("store/bench/000002.ops", std::string(100, '7'));
  bad = report::read_baselines(store, "bench", 1 << 20);
  REQUIRE(!bad.ok());
  CHECK(bad.error().message.find("000002.ops: 100 bytes, more than an operation count takes (64)") != std::string::npos);
  fs::remove(dir / "000002.ops");
  // A stale count of the next number (a save that died between its two files) is replaced.
  t.write("store/bench/000003.ops", "999\n");
  REQUIRE(report::save_baseline(store, "bench", "three", 10, 42).ok());
  CHECK(slurp((dir / "000003.ops").string()) == "42\n");
  // Pruned with its profile.
  CHECK(report::prune_baselines(store, "bench", 1).ok());
  CHECK(file_names(dir) == std::vector<std::string>{"000003.ops", "000003.pprof"});
  CHECK(slurp(outside) == "77");
}
