// The load stage: pprof's -symbolize words, the parallel load-and-merge
// (same result and same error whatever the thread count), folded vs profile
// input by content, and what loading says through Diagnostics.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "pprofx/encode/encode.h"
#include "pprofx/io/gzip.h"
#include "pprofx/load/load.h"
#include "profile_builder.h"
#include "temp_dir.h"

using namespace pprofx;
namespace fs = std::filesystem;

namespace {

using testing::TempDir;

// main -> a (va) and main -> b (vb), one sample type.
std::string two_stacks(int64_t va, int64_t vb, const std::string& type = "samples") {
  testing::ProfileBuilder b;
  b.sample_type(type, "count");
  const uint64_t main = b.frame("main"), a = b.frame("a"), bb = b.frame("b");
  b.sample({a, main}, {va});
  b.sample({bb, main}, {vb});
  return b.bytes();
}

std::string encoded(const model::Profile& p) {
  std::string out;
  encode::write_profile(p, [&](std::string_view piece) { out += piece; });
  return out;
}

int64_t total(const model::Profile& p) {
  int64_t t = 0;
  for (size_t s = 0; s < p.samples.size(); ++s) t += p.sample_values(s)[0];
  return t;
}

load::Options options(unsigned threads) {
  load::Options o;
  o.threads = threads;
  return o;
}

symbolize::Options symbolize_ok(const std::string& symbolize, const std::string& demangle = "") {
  load::Options o;
  o.symbolize = symbolize;
  o.demangle = demangle;
  auto so = load::symbolize_options(o);
  REQUIRE_MESSAGE(so.ok(), so.error().message);
  return *so;
}

std::string symbolize_error(const std::string& symbolize, const std::string& demangle = "") {
  load::Options o;
  o.symbolize = symbolize;
  o.demangle = demangle;
  auto so = load::symbolize_options(o);
  REQUIRE(!so.ok());
  return so.error().message;
}

// What fd 2 receives while f runs.
template <class F>
std::string stderr_of(F f) {
  char name[] = "/tmp/pprofx-load-stderr-XXXXXX";
  const int fd = ::mkstemp(name);
  REQUIRE(fd >= 0);
  std::fflush(stderr);
  const int saved = ::dup(2);
  ::dup2(fd, 2);
  f();
  std::fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  ::close(fd);
  std::ifstream in(name, std::ios::binary);
  std::string out{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  ::unlink(name);
  return out;
}

}  // namespace

TEST_CASE("load: pprof's -symbolize words and --demangle") {
  using symbolize::Mode;
  CHECK(symbolize_ok("auto").mode == Mode::kAuto);
  CHECK(symbolize_ok("").mode == Mode::kAuto);
  CHECK(symbolize_ok("none").mode == Mode::kNone);
  CHECK(symbolize_ok("no").mode == Mode::kNone);
  CHECK(symbolize_ok("force").mode == Mode::kForce);
  CHECK(symbolize_ok("local:force").mode == Mode::kForce);
  CHECK(symbolize_ok("fastlocal").mode == Mode::kAuto);
  // none wins over force in either order.
  CHECK(symbolize_ok("force:none").mode == Mode::kNone);
  CHECK(symbolize_ok("none:force").mode == Mode::kNone);
  auto so = symbolize_ok("demangle=full");
  CHECK(so.mode == Mode::kAuto);
  CHECK(so.demangle == symbolize::DemangleMode::kFull);
  CHECK(so.demangle_given);
  so = symbolize_ok("force:demangle=none");
  CHECK(so.mode == Mode::kForce);
  CHECK(so.demangle == symbolize::DemangleMode::kNone);
  // --demangle beats the -symbolize word; "default" is not an explicit request.
  so = symbolize_ok("demangle=full", "templates");
  CHECK(so.demangle == symbolize::DemangleMode::kTemplates);
  so = symbolize_ok("auto", "default");
  CHECK(so.demangle == symbolize::DemangleMode::kDefault);
  CHECK(!so.demangle_given);
  CHECK(!symbolize_ok("auto").demangle_given);

  CHECK(symbolize_error("remote") ==
        "--symbolize: unknown mode \"remote\" (auto, none or force; pprof's local, force and demangle=... are "
        "accepted too)");
  CHECK(symbolize_error("local:bogus").find("--symbolize: unknown mode \"bogus\"") == 0);
  CHECK(symbolize_error("auto", "pretty") ==
        "--demangle: unknown mode \"pretty\" (default, templates, full or none)");
  CHECK(symbolize_error("demangle=ugly") ==
        "--demangle: unknown mode \"ugly\" (default, templates, full or none)");

  load::Options o;
  o.binary_path = {"/opt/bin"};
  o.binary = "/opt/bin/server";
  o.threads = 3;
  auto full = load::symbolize_options(o);
  REQUIRE(full.ok());
  REQUIRE(!full->search_path.empty());
  CHECK(full->search_path.front() == "/opt/bin");
  CHECK(full->main_binary == "/opt/bin/server");
  CHECK(full->threads == 3);
  CHECK(load::thread_count(options(5)) == 5);
  CHECK(load::thread_count(options(0)) >= 1);
}

TEST_CASE("load: several profiles merge to the same result on 1 and 3 threads") {
  TempDir dir;
  const std::vector<std::string> paths = {dir.write("1.pb", two_stacks(1, 2)),
                                          dir.write("2.pb.gz", io::gzip(two_stacks(10, 20))),
                                          dir.write("3.pb", two_stacks(100, 200))};
  auto one = load::load_profiles(paths, options(1));
  REQUIRE_MESSAGE(one.ok(), one.error().message);
  auto three = load::load_profiles(paths, options(3));
  REQUIRE_MESSAGE(three.ok(), three.error().message);
  CHECK(encoded(one->profile) == encoded(three->profile));
  CHECK(total(one->profile) == 333);
  CHECK(one->profile.samples.size() == 2);  // equal stacks merged
  CHECK(one->input.name == "3 profiles");
  CHECK(one->input.gzipped);
  CHECK(one->input.raw_bytes == two_stacks(1, 2).size() + two_stacks(10, 20).size() + two_stacks(100, 200).size());
  CHECK(one->input.file_bytes == fs::file_size(paths[0]) + fs::file_size(paths[1]) + fs::file_size(paths[2]));
  CHECK(three->input.file_bytes == one->input.file_bytes);
  // The same with more threads than files.
  auto many = load::load_profiles(paths, options(8));
  REQUIRE(many.ok());
  CHECK(encoded(many->profile) == encoded(one->profile));
  // One path is load_profile: its own name.
  auto single = load::load_profiles({paths[2]}, options(3));
  REQUIRE(single.ok());
  CHECK(single->input.name == paths[2]);
  CHECK(total(single->profile) == 300);
}

TEST_CASE("load: the error names the first bad file in command-line order, on any thread count") {
  TempDir dir;
  const std::string good = dir.write("good.pb", two_stacks(1, 2));
  const std::string other = dir.write("other.pb", two_stacks(1, 2, "cpu"));
  const std::string missing = (dir.path / "missing.pb").string();
  for (unsigned threads : {1u, 3u}) {
    INFO("threads ", threads);
    auto r = load::load_profiles({good, good, other, missing}, options(threads));
    REQUIRE(!r.ok());
    CHECK(r.error().message.find(other + ": incompatible sample types") == 0);
    r = load::load_profiles({good, missing, other}, options(threads));
    REQUIRE(!r.ok());
    CHECK(r.error().message.find(missing + ": cannot open") == 0);
    r = load::load_profiles({other, good}, options(threads));
    REQUIRE(!r.ok());
    CHECK(r.error().message.find(good + ": incompatible sample types") == 0);  // the first sets the types
    CHECK(r.error().message.find("in " + other) != std::string::npos);
  }
}

TEST_CASE("load: load_input tells folded stacks from profiles by content, not by name") {
  TempDir dir;
  const std::string folded = dir.write("x.pb.gz", "main;a 3\nmain;b 4\n");
  auto in = load::load_input({folded}, {}, false);
  REQUIRE_MESSAGE(in.ok(), in.error().message);
  REQUIRE(in->folded.has_value());
  CHECK(!in->profile.has_value());
  CHECK(in->name == folded);
  CHECK(in->folded->total() == 7);
  // Gzipped folded text is folded too.
  in = load::load_input({dir.write("y.txt", io::gzip("main;a 5\n"))}, {}, false);
  REQUIRE(in.ok());
  REQUIRE(in->folded.has_value());
  CHECK(in->folded->total() == 5);
  // A profile named like folded text is a profile.
  in = load::load_input({dir.write("z.folded", two_stacks(2, 3))}, {}, false);
  REQUIRE(in.ok());
  REQUIRE(in->profile.has_value());
  CHECK(!in->folded.has_value());
  CHECK(total(*in->profile) == 5);
  // Several inputs are profiles, merged.
  in = load::load_input({dir.write("p1.pb", two_stacks(1, 1)), dir.write("p2.pb", two_stacks(2, 2))}, {}, false);
  REQUIRE(in.ok());
  REQUIRE(in->profile.has_value());
  CHECK(in->name == "2 profiles");
  CHECK(total(*in->profile) == 6);
  // An HTML page is neither, said in one line.
  auto page = load::load_input({dir.write("page.pb.gz", "<!DOCTYPE html>\n<p>hi</p>\n")}, {}, false);
  REQUIRE(!page.ok());
  CHECK(page.error().message.find("not a profile: an HTML page") != std::string::npos);
}

TEST_CASE("load: folded stacks refuse filters, --sample-index and a pivot") {
  load::LoadedInput folded;
  folded.name = "s.folded";
  auto trie = fold::parse_folded("main;a 1\n", folded.name, false);
  REQUIRE(trie.ok());
  folded.folded = std::move(*trie);
  CHECK(load::refuse_details_for_folded(folded, {}, false).ok());

  fold::Selection focus;
  focus.filters.focus = "a";
  auto s = load::refuse_details_for_folded(folded, focus, false);
  REQUIRE(!s.ok());
  CHECK(s.error().message ==
        "s.folded: folded stacks have one value and no frame details; filters and --sample-index apply to pprof "
        "profiles only");
  fold::Selection index;
  index.sample_index = "cpu";
  CHECK(!load::refuse_details_for_folded(folded, index, false).ok());
  fold::Selection tag;
  tag.filters.tag_ignore = "k=v";
  CHECK(!load::refuse_details_for_folded(folded, tag, false).ok());
  s = load::refuse_details_for_folded(folded, {}, true);
  REQUIRE(!s.ok());
  CHECK(s.error().message ==
        "s.folded: --focus-function applies to pprof profiles (convert folded stacks with pprofx convert first)");
  // A profile takes all of them.
  load::LoadedInput profile;
  profile.name = "p.pb";
  profile.profile.emplace();
  CHECK(load::refuse_details_for_folded(profile, focus, true).ok());
}

TEST_CASE("load: soft problems reach the warning callback, and nothing is printed without one") {
  TempDir dir;
  testing::ProfileBuilder b;
  b.sample_type("samples", "count");
  const uint64_t f = b.function("main");
  const uint64_t loc = b.location({{f, 0}}, 99);  // mapping 99 is not defined
  const uint64_t loc2 = b.location({{b.function("g"), 0}}, 98);
  b.sample({loc2, loc}, {4});
  const std::string path = dir.write("soft.pb", b.bytes());

  std::vector<std::string> warnings;
  load::Options o;
  o.diag.warning = [&](const std::string& w) { warnings.push_back(w); };
  auto in = load::load_input({path}, o, false);
  REQUIRE_MESSAGE(in.ok(), in.error().message);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] == path +
                           ": 2 locations refer to mappings the profile does not define (treated as unmapped, as "
                           "pprof does)");
  CHECK(load::soft_problems(path, *in->profile) == warnings[0]);

  const std::string printed = stderr_of([&] {
    auto quiet = load::load_input({path}, load::Options{}, false);
    CHECK(quiet.ok());
  });
  CHECK(printed.empty());

  // A clean profile has no soft problems.
  warnings.clear();
  auto clean = load::load_input({dir.write("clean.pb", two_stacks(1, 1))}, o, false);
  REQUIRE(clean.ok());
  CHECK(warnings.empty());
  CHECK(load::soft_problems("clean.pb", *clean->profile).empty());
}

TEST_CASE("load: save_name_prefix is --save's name, one plain file name component") {
  TempDir dir;
  testing::ProfileBuilder b;
  b.sample_type("alloc/space", "bytes");
  b.sample_type("a:b?c *d\"e<f>g|h\\i\x01j\x7f", "count");
  b.mapping("/opt/my srv/bin/srv:8080");
  b.sample({b.frame("main")}, {1, 1});
  auto loaded = load::load_profile(dir.write("p.pb", b.bytes()), {});
  REQUIRE_MESSAGE(loaded.ok(), loaded.error().message);
  CHECK(load::save_name_prefix(loaded->profile) == "pprof.srv_8080.alloc_space.a_b_c__d_e_f_g_h_i_j_.");

  testing::ProfileBuilder plain;  // no mapping: no binary in the name; '-', '_' and '.' are kept
  plain.sample_type("samples", "count");
  plain.sample_type("cpu-time_ns.v2", "nanoseconds");
  plain.sample({plain.frame("main")}, {1, 1});
  auto p = load::load_profile(dir.write("q.pb", plain.bytes()), {});
  REQUIRE(p.ok());
  CHECK(load::save_name_prefix(p->profile) == "pprof.samples.cpu-time_ns.v2.");

  testing::ProfileBuilder long_types;  // cut to 245 bytes, before a UTF-8 continuation byte
  std::string type = "xy";
  for (int i = 0; i < 150; ++i) type += "\xc3\xa9";  // é
  long_types.sample_type(type, "count");
  long_types.sample({long_types.frame("main")}, {1});
  auto l = load::load_profile(dir.write("l.pb", long_types.bytes()), {});
  REQUIRE(l.ok());
  const std::string prefix = load::save_name_prefix(l->profile);
  CHECK(prefix.size() == 244);  // "pprof.xy" + 118 two-byte characters: 245 would split one
  CHECK(prefix.starts_with("pprof.xy\xc3\xa9"));
}
