// io::write_output and io::OutputStream: a temporary name in the same folder renamed when
// complete, nothing left behind on failure, "-" is stdout, symlinks followed, devices
// written in place, errors naming the path.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "pprofx/io/output.h"
#include "temp_dir.h"

using namespace pprofx;
namespace fs = std::filesystem;

namespace {

using testing::TempDir;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("output: written under a temporary name in the same folder, renamed on commit") {
  TempDir d;
  const fs::path out = d.path / "out.svg";
  {
    std::ofstream(out) << "old";
  }
  auto s = io::OutputStream::open(out.string());
  REQUIRE(s.ok());
  s->write("new ");
  s->write(std::string(100'000, 'x'));  // a large piece goes straight to the file
  // Before commit: the old file intact, beside one short temporary name (.pprofx-XXXXXX).
  auto names = d.names();
  REQUIRE(names.size() == 2);
  CHECK(names[0].rfind(".pprofx-", 0) == 0);
  CHECK(names[0].size() == 14);
  CHECK(names[1] == "out.svg");
  CHECK(slurp(out) == "old");
  REQUIRE(s->commit().ok());
  CHECK(d.names() == std::vector<std::string>{"out.svg"});
  CHECK(slurp(out) == "new " + std::string(100'000, 'x'));

  REQUIRE(io::write_output(out.string(), "again").ok());
  CHECK(slurp(out) == "again");
  CHECK(d.names() == std::vector<std::string>{"out.svg"});
}

TEST_CASE("output: an uncommitted stream leaves no file, and the old one intact") {
  TempDir d;
  const fs::path out = d.path / "a.txt";
  {
    auto s = io::OutputStream::open(out.string());
    REQUIRE(s.ok());
    s->write("partial");
  }
  CHECK(d.names().empty());
  {
    std::ofstream(out) << "keep";
  }
  {
    auto s = io::OutputStream::open(out.string());
    REQUIRE(s.ok());
    s->write("partial");
  }
  CHECK(d.names() == std::vector<std::string>{"a.txt"});
  CHECK(slurp(out) == "keep");
}

TEST_CASE("output: a write that fails leaves no file behind and names the path") {
  TempDir d;
  const fs::path out = d.path / "big.txt";
  // Files over 4 kB fail with EFBIG (SIGXFSZ ignored), as a full disk would.
  rlimit old{};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &old) == 0);
  auto* previous = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = old;
  small.rlim_cur = 4096;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
  const Status st = io::write_output(out.string(), std::string(2'000'000, 'y'));
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, previous);
  REQUIRE(!st.ok());
  CHECK(st.error().message == out.string() + ": cannot write: File too large");
  CHECK(d.names().empty());
}

TEST_CASE("output: a folder that does not exist is an error naming the path") {
  TempDir d;
  const std::string out = (d.path / "no-such-dir" / "x.svg").string();
  const Status st = io::write_output(out, "data");
  REQUIRE(!st.ok());
  CHECK(st.error().message == out + ": cannot create: No such file or directory");
  CHECK(d.names().empty());
}

TEST_CASE("output: a symlink is followed: the file it points to is replaced, the link kept") {
  TempDir d;
  const fs::path target = d.path / "real.txt", link = d.path / "link.txt";
  {
    std::ofstream(target) << "old";
  }
  fs::create_symlink("real.txt", link);
  REQUIRE(io::write_output(link.string(), "through the link").ok());
  CHECK(fs::is_symlink(link));
  CHECK(fs::read_symlink(link) == "real.txt");
  CHECK(slurp(target) == "through the link");
  CHECK(d.names() == std::vector<std::string>{"link.txt", "real.txt"});
}

TEST_CASE("output: a device is written in place, and its errors reported") {
  REQUIRE(io::write_output("/dev/null", "gone").ok());
  CHECK(fs::is_character_file("/dev/null"));
  const Status st = io::write_output("/dev/full", "x");
  REQUIRE(!st.ok());
  CHECK(st.error().message == "/dev/full: cannot write: No space left on device");
}

TEST_CASE("output: \"-\" is standard output") {
  TempDir d;
  const fs::path captured = d.path / "stdout";
  std::cout.flush();
  std::fflush(stdout);
  const int saved = ::dup(STDOUT_FILENO);
  const int fd = ::open(captured.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(fd >= 0);
  ::dup2(fd, STDOUT_FILENO);
  ::close(fd);
  const Status st = io::write_output("-", "to stdout\n");
  std::fflush(stdout);
  ::dup2(saved, STDOUT_FILENO);
  ::close(saved);
  REQUIRE(st.ok());
  CHECK(slurp(captured) == "to stdout\n");
  CHECK(d.names() == std::vector<std::string>{"stdout"});  // no file named "-"
}

// Issue 21, point 19: the temporary's name must fit beside any valid name.
TEST_CASE("output: a 255-byte file name is written (the temporary name is short)") {
  TempDir d;
  for (size_t len : {245, 250, 255}) {
    const std::string name = std::string(len - 4, 'n') + ".svg";
    const Status st = io::write_output((d.path / name).string(), "long");
    REQUIRE_MESSAGE(st.ok(), st.error().message);
    CHECK(slurp(d.path / name) == "long");
  }
  CHECK(d.names().size() == 3);
}

// Issue 21, point 21: a replaced file keeps its mode and owner; a read-only one is refused.
TEST_CASE("output: a replaced file keeps its mode (and owner); a read-only target is refused") {
  TempDir d;
  const fs::path out = d.path / "keep.txt";
  std::ofstream(out) << "old";
  ::chmod(out.c_str(), 0640);
  const bool root = ::geteuid() == 0;
  if (root) REQUIRE(::chown(out.c_str(), 12345, 23456) == 0);
  REQUIRE(io::write_output(out.string(), "new").ok());
  struct stat st;
  REQUIRE(::stat(out.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  if (root) {
    CHECK(st.st_uid == 12345);
    CHECK(st.st_gid == 23456);
  }
  CHECK(slurp(out) == "new");

  const fs::path ro = d.path / "ro.txt";
  std::ofstream(ro) << "read-only";
  ::chmod(ro.c_str(), 0444);
  const Status refused = io::write_output(ro.string(), "replaced");  // refused even as root: no write bit
  REQUIRE(!refused.ok());
  CHECK(refused.error().message == ro.string() + ": cannot write: Permission denied");
  CHECK(slurp(ro) == "read-only");
  REQUIRE(::stat(ro.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0444);
  CHECK(d.names() == std::vector<std::string>{"keep.txt", "ro.txt"});
}

// Issue 21, point 16: what a SIGKILLed writer leaves is removed by the next write in the folder; a live
// writer's temporary (locked) is not.
TEST_CASE("output: abandoned temporaries are removed by the next write, live ones kept") {
  TempDir d;
  const std::string dead = d.write(".pprofx-Dead01", "abandoned");
  const std::string live = d.write(".pprofx-Live01", "being written");
  const std::string other = d.write(".pprofx-notours", "another name");
  const int fd = ::open(live.c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX) == 0);  // as its writer holds it
  REQUIRE(io::write_output((d.path / "out.svg").string(), "x").ok());
  CHECK(d.names() == std::vector<std::string>{".pprofx-Live01", ".pprofx-notours", "out.svg"});
  ::close(fd);
  REQUIRE(io::write_output((d.path / "out.svg").string(), "y").ok());
  CHECK(d.names() == std::vector<std::string>{".pprofx-notours", "out.svg"});
}

TEST_CASE("output: a live writer's temporary survives another write's cleanup") {
  TempDir d;
  auto first = io::OutputStream::open((d.path / "a.txt").string());
  REQUIRE(first.ok());
  first->write("first");
  REQUIRE(first->prepare().ok());  // closed for writing, still locked until the rename
  REQUIRE(io::write_output((d.path / "b.txt").string(), "second").ok());
  REQUIRE(first->commit().ok());
  CHECK(slurp(d.path / "a.txt") == "first");
  CHECK(d.names() == std::vector<std::string>{"a.txt", "b.txt"});
}

TEST_CASE("output: prepared but not committed publishes nothing") {
  TempDir d;
  {
    auto s = io::OutputStream::open((d.path / "a.txt").string());
    REQUIRE(s.ok());
    s->write("data");
    REQUIRE(s->prepare().ok());
  }
  CHECK(d.names().empty());
  auto s = io::OutputStream::open((d.path / "a.txt").string());
  REQUIRE(s.ok());
  s->write("data");
  REQUIRE(s->prepare().ok());
  REQUIRE(s->commit().ok());
  CHECK(slurp(d.path / "a.txt") == "data");
}
