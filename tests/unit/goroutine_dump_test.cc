// Go's goroutine dumps: debug=2 text (decode/goroutine_dump.h) and the "#"
// lines of debug=1 count profiles (legacy/go_dump.cc), on hand-made dumps in
// the shapes Go 1.19-1.23 print.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "pprofx/decode/decode.h"
#include "pprofx/decode/goroutine_dump.h"
#include "pprofx/decode/sniff.h"
#include "pprofx/legacy/legacy.h"

namespace pprofx {
namespace {

model::Profile dump(const std::string& text) {
  auto r = decode::decode_any(text, "d.txt");
  INFO((r ? std::string() : r.error().message));
  REQUIRE(r.ok());
  return std::move(*r);
}

std::string dump_error(const std::string& text) {
  auto r = decode::decode_any(text, "d.txt");
  REQUIRE_FALSE(r.ok());
  return r.error().message;
}

// "leaf@file:line;...;root" per sample, the value after " ".
std::string stack_text(const model::Profile& p, size_t s) {
  std::string out;
  for (model::LocationId l : p.stack(p.samples[s])) {
    for (const model::Line& line : p.location_lines(p.locations[l])) {
      if (!out.empty()) out += ';';
      out += std::string(p.str(p.functions[line.function].name)) + "@" +
             std::string(p.str(p.functions[line.function].filename)) + ":" + std::to_string(line.line);
    }
    if (p.locations[l].lines_count == 0) out += (out.empty() ? "" : ";") + std::to_string(p.locations[l].address);
  }
  return out;
}

std::map<std::string, std::string> labels(const model::Profile& p, size_t s) {
  std::map<std::string, std::string> out;
  for (const model::Label& l : p.sample_labels(p.samples[s])) {
    out[std::string(p.str(l.key))] = l.str != model::kEmptyStr ? std::string(p.str(l.str))
                                                                : std::to_string(l.num) + std::string(p.str(l.num_unit));
  }
  return out;
}

const char* const kDump = R"(goroutine 1 [running]:
main.main()
	/app/main.go:30 +0x1d

goroutine 18 [chan receive, 5 minutes]:
main.leakedWaiter(0xc000012345)
	/app/main.go:12 +0x45
created by main.main in goroutine 1
	/app/main.go:25 +0x85

goroutine 19 [chan receive, 5 minutes]:
main.leakedWaiter(0xc000099999)
	/app/main.go:12 +0x45
created by main.main in goroutine 1
	/app/main.go:25 +0x85

goroutine 20 [chan receive]:
main.leakedWaiter(...)
	/app/main.go:12
created by main.main
	/app/main.go:25 +0x85

goroutine 7 gp=0xc000007c00 m=nil [select, 12 minutes, locked to thread]:
runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)
	/usr/lib/go/src/runtime/proc.go:363 +0xd6 fp=0xc1 sp=0xc2 pc=0x43
main.(*Pool).work[...](0xc0000a0000, {0x1, 0x2})
	C:/Program Files/app/pool.go:40 +0x29
created by main.startPool
	/app/pool.go:30 +0x5a
)";

}  // namespace

TEST_CASE("a debug=2 dump: one sample per stack and labels, counted, created by as the root") {
  CHECK(decode::sniff(kDump).kind == decode::InputKind::kGoroutineDump);
  const model::Profile p = dump(kDump);
  REQUIRE(p.samples.size() == 4);
  CHECK(p.str(p.sample_types[0].type) == "goroutine");
  CHECK(p.str(p.sample_types[0].unit) == "count");
  CHECK(stack_text(p, 0) == "main.main@/app/main.go:30");
  // Goroutines 18 and 19 differ only in their arguments: one group; 20 waits no minute: another.
  CHECK(stack_text(p, 1) == "main.leakedWaiter@/app/main.go:12;created by main.main@/app/main.go:25");
  CHECK(p.sample_values(1)[0] == 2);
  CHECK(labels(p, 1) == std::map<std::string, std::string>{{"state", "chan receive"}, {"wait", "5minutes"}});
  CHECK(stack_text(p, 2) == stack_text(p, 1));
  CHECK(p.sample_values(2)[0] == 1);
  CHECK(labels(p, 2) == std::map<std::string, std::string>{{"state", "chan receive"}});
  CHECK(stack_text(p, 3) == "runtime.gopark@/usr/lib/go/src/runtime/proc.go:363;"
                            "main.(*Pool).work[...]@C:/Program Files/app/pool.go:40;"
                            "created by main.startPool@/app/pool.go:30");
  CHECK(labels(p, 3) == std::map<std::string, std::string>{
                            {"state", "select"}, {"wait", "12minutes"}, {"locked_to_thread", "true"}});
  CHECK(p.comments.empty());
}

TEST_CASE("a crash's GOTRACEBACK=all output reads, its panic lines kept as comments") {
  const model::Profile p = dump("panic: boom [recovered]\n\tpanic: again\n\n[signal SIGSEGV: segmentation violation]\n\n"
                                "goroutine 1 [running]:\nmain.main()\n\t/app/main.go:5 +0x1d\n"
                                "exit status 2\n\ngoroutine 2 [running]:\n\tgoroutine running on other thread; stack "
                                "unavailable\ncreated by main.main\n\t/app/main.go:4 +0x2a\n");
  REQUIRE(p.comments.size() == 3);
  CHECK(p.str(p.comments[0]) == "panic: boom [recovered]");
  CHECK(p.str(p.comments[2]) == "[signal SIGSEGV: segmentation violation]");
  REQUIRE(p.samples.size() == 2);
  CHECK(stack_text(p, 0) == "main.main@/app/main.go:5");  // "exit status 2" ends the stack
  CHECK(stack_text(p, 1) == "(stack unavailable: running on another thread)@:0;created by main.main@/app/main.go:4");
}

TEST_CASE("runtime.Stack output cut by its buffer keeps what was read; ancestors are not the goroutine's stack") {
  const model::Profile p = dump("goroutine 5 [sleep]:\ntime.Sleep(0x3b9aca00)\n\t/go/src/runtime/time.go:195 +0x135\n"
                                "[originating from goroutine 1]:\nmain.main(...)\n\t/app/main.go:9 +0x1\n\n"
                                "goroutine 6 [sleep]:\nmain.f(0x1)\n\t/app/f.go:3 +0x1\nmain.g(");
  REQUIRE(p.samples.size() == 2);
  CHECK(stack_text(p, 0) == "time.Sleep@/go/src/runtime/time.go:195");
  CHECK(stack_text(p, 1) == "main.f@/app/f.go:3");
}

TEST_CASE("a damaged dump is refused with its line number") {
  CHECK(dump_error("goroutine 1 [running]:\nmain.main()\nmain.g()\n\t/a.go:1\n") ==
        "d.txt: line 3: expected the file line of main.main() (line 2): TAB FILE:LINE, as Go prints it");
  CHECK(dump_error("goroutine 1 [running]:\nmain.main()\n\t/a.go:1 +0x1\n\t/b.go:2 +0x1\n") ==
        "d.txt: line 4: a file line with no function line before it");
  CHECK(dump_error("goroutine 1 [running]:\nmain.main()\n\t/a.go:99999999999999999999 +0x1\n").find("line 3:") !=
        std::string::npos);
  // Function names from the input are escaped in the one-line error.
  const std::string hostile = dump_error("goroutine 1 [running]:\nmain.\x7f[31mx()\nmore()\n");
  CHECK(hostile.find("main.\\x7f[31mx()") != std::string::npos);
  auto r = decode::decode_profile(kDump, "d.txt");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "d.txt: this is a Go goroutine dump, not profile.proto");
}

TEST_CASE("text that only mentions goroutines is not a dump") {
  CHECK_FALSE(decode::looks_like_goroutine_dump("main;goroutine 1 [running]: 3\n"));
  CHECK_FALSE(decode::looks_like_goroutine_dump("goroutine 1 [running]:\nnot a frame\n"));
  CHECK(decode::sniff("a;b;c 3\nd 4\n").kind == decode::InputKind::kFolded);
}

namespace {

const char* const kDebug1 =
    "goroutine profile: total 4\n"
    "3 @ 0x103b125 0x106cd1f 0x13ac44a 0x106fd81\n"
    "# labels: {\"job\":\"a\\\"b\\u00e9\", \"shard\":\"7\"}\n"
    "#\t0x106cd1e\ttime.Sleep+0xbe\t\t\t/go/src/runtime/time.go:188\n"
    "#\t0x13ac449\tmain.inner+0x29\t/app/main.go:165\n"
    "#\t0x13ac449\tmain.outer+0x29\t/app/main.go:170\n"
    "\n"
    "1 @ 0x103b125 0x1000001 0x106cd1f 0x106fd81\n"
    "#\t0x1000000\n"
    "#\t0x106cd1e\tmain.wrong+0x1\t/app/wrong.go:1\n";

}  // namespace

TEST_CASE("a debug=1 dump names its frames by its # lines, hidden runtime frames left out") {
  auto r = legacy::parse_legacy(kDebug1, "d1.txt");
  REQUIRE(r.has_value());
  REQUIRE(r->ok());
  const model::Profile& p = **r;
  REQUIRE(p.samples.size() == 2);
  // 0x103b125 (runtime.gopark) and 0x106fd81 (runtime.goexit) are named by no "#" line: Go hid them.
  CHECK(stack_text(p, 0) == "time.Sleep@/go/src/runtime/time.go:188;main.inner@/app/main.go:165;"
                            "main.outer@/app/main.go:170");
  CHECK(p.sample_values(0)[0] == 3);
  CHECK(labels(p, 0) == std::map<std::string, std::string>{{"job", "a\"b\xc3\xa9"}, {"shard", "7"}});
  // "#\t0xPC" without a name stays an address; an address named by an earlier block keeps that name.
  CHECK(stack_text(p, 1) == "16777216;time.Sleep@/go/src/runtime/time.go:188");
  CHECK(labels(p, 1).empty());
}

TEST_CASE("with a binary given, a debug=1 dump is read as pprof reads it: addresses only") {
  auto r = legacy::parse_legacy(kDebug1, "d1.txt", false);
  REQUIRE(r.has_value());
  REQUIRE(r->ok());
  const model::Profile& p = **r;
  CHECK(stack_text(p, 0) == "17019172;17222942;20628553;17235328");
  CHECK(p.functions.empty());
  CHECK(labels(p, 0).empty());
}

}  // namespace pprofx
