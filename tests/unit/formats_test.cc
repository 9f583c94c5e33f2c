// io::output_format and friends: the one registry of output formats, per command.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "pprofx/io/formats.h"
#include "temp_dir.h"

using namespace pprofx;
using io::Format;

namespace {

Format format_of(std::string_view command, std::string_view path, std::string_view flag = "") {
  auto f = io::output_format(command, path, flag);
  REQUIRE_MESSAGE(f.ok(), command, " ", path, ": ", f.error().message);
  return *f;
}

std::string error_of(std::string_view command, std::string_view path, std::string_view flag = "") {
  auto f = io::output_format(command, path, flag);
  REQUIRE(!f.ok());
  return f.error().message;
}

}  // namespace

TEST_CASE("formats: flame's extensions, its default, and an unknown extension refused") {
  CHECK(format_of("flame", "out.svg") == Format::kSvg);
  CHECK(format_of("flame", "out.png") == Format::kPng);
  CHECK(format_of("flame", "out.folded") == Format::kFolded);
  CHECK(format_of("flame", "out.txt") == Format::kFolded);
  CHECK(format_of("flame", "out.collapsed") == Format::kFolded);
  CHECK(format_of("flame", "dir.d/out") == Format::kSvg);  // no extension: the dot is the folder's
  CHECK(format_of("flame", "out") == Format::kSvg);
  CHECK(format_of("flame", ".hidden") == Format::kSvg);    // a leading dot is no extension
  CHECK(format_of("flame", ".png") == Format::kSvg);      // a hidden file named .png has no extension,
  CHECK(format_of("flame", "a/.png") == Format::kSvg);    // wherever it is
  CHECK(format_of("flame", "-") == Format::kSvg);
  CHECK(format_of("flame", "") == Format::kSvg);
  CHECK(error_of("flame", "x.jpg") ==
        "\"x.jpg\": flame does not write this extension; use .svg (svg), .png (png), "
        ".folded/.txt/.collapsed (folded) (or give --format)");
}

TEST_CASE("formats: --format overrides the extension; an unknown one names the choices") {
  CHECK(format_of("flame", "x.svg", "png") == Format::kPng);
  CHECK(format_of("flame", "x.jpg", "folded") == Format::kFolded);
  CHECK(format_of("diff", "-", "markdown") == Format::kMarkdown);
  CHECK(error_of("flame", "x.svg", "jpeg") == "unknown format \"jpeg\" (svg, png or folded)");
  CHECK(error_of("diff", "x.txt", "svgz") == "unknown format \"svgz\" (text, markdown, json, svg, png or html)");
  CHECK(error_of("merge", "x.pb.gz", "svg") == "unknown format \"svg\" (pprof)");
}

TEST_CASE("formats: one extension, different formats per command") {
  CHECK(format_of("diff", "x.txt") == Format::kText);
  CHECK(format_of("flame", "x.txt") == Format::kFolded);
  CHECK(format_of("diff", "x.json") == Format::kJson);
  CHECK(format_of("convert", "x.json") == Format::kSpeedscope);
  CHECK(format_of("diff", "x.md") == Format::kMarkdown);
  CHECK(format_of("diff", "x") == Format::kText);
  CHECK(format_of("check --report", "r.xml") == Format::kJunit);
  CHECK(format_of("check --report", "-") == Format::kText);
  CHECK(format_of("check --flame", "f.png") == Format::kPng);
  CHECK(format_of("fold", "-") == Format::kFolded);
  CHECK(format_of("symbolize", "s.pb") == Format::kPprof);
  CHECK(!io::output_format("check --flame", "f.folded", "").ok());
  CHECK(!io::output_format("merge", "m.svg", "").ok());
}

TEST_CASE("formats: convert has no default") {
  CHECK(format_of("convert", "x.pb.gz") == Format::kPprof);
  CHECK(format_of("convert", "x.folded") == Format::kFolded);
  CHECK(format_of("convert", "-", "speedscope") == Format::kSpeedscope);
  CHECK(error_of("convert", "-") ==
        "convert cannot tell the output format of \"-\": give --format (pprof, folded or speedscope)");
  CHECK(error_of("convert", "out") ==
        "convert cannot tell the output format of \"out\": give --format (pprof, folded or speedscope)");
  CHECK(error_of("convert", "x.svg") ==
        "\"x.svg\": convert does not write this extension; use .pb.gz/.pprof/.prof/.gz/.pb (pprof), "
        ".folded/.txt/.collapsed (folded), .json (speedscope) (or give --format)");
}

TEST_CASE("formats: the longest extension wins") {
  CHECK(format_of("merge", "a.pb.gz") == Format::kPprof);
  CHECK(format_of("merge", "a.gz") == Format::kPprof);
  CHECK(format_of("merge", "a.pb") == Format::kPprof);
  // ".folded.gz" is no extension of flame's: refused, not matched by a shorter piece.
  CHECK(!io::output_format("flame", "x.folded.gz", "").ok());
  // The extension must be a suffix of more than itself.
  CHECK(format_of("merge", "x.pprof") == Format::kPprof);
  CHECK(!io::output_format("merge", "a.pb.gz.txt", "").ok());
}

TEST_CASE("formats: a FIFO or a device takes the default whatever its name") {
  CHECK(format_of("flame", "/dev/null") == Format::kSvg);
  CHECK(format_of("diff", "/dev/null") == Format::kText);
  CHECK(error_of("convert", "/dev/null") ==
        "convert cannot tell the output format of \"/dev/null\": give --format (pprof, folded or speedscope)");
  namespace fs = std::filesystem;
  std::string dir = (fs::temp_directory_path() / "pprofx-formats-test-XXXXXX").string();
  REQUIRE(::mkdtemp(dir.data()) != nullptr);
  const std::string fifo = dir + "/pipe.jpg";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK(format_of("flame", fifo) == Format::kSvg);
  CHECK(format_of("diff", fifo) == Format::kText);
  CHECK(format_of("flame", fifo, "png") == Format::kPng);
  // A regular file of that name is judged by its name.
  const std::string file = dir + "/file.jpg";
  { FILE* f = std::fopen(file.c_str(), "w"); REQUIRE(f != nullptr); std::fclose(f); }
  CHECK(!io::output_format("flame", file, "").ok());
  fs::remove_all(dir);
}

TEST_CASE("formats: gzip_output, format_name and describe_formats") {
  CHECK(io::gzip_output("x.pb.gz"));
  CHECK(io::gzip_output("x.pprof"));
  CHECK(io::gzip_output("-"));
  CHECK(!io::gzip_output("x.pb"));
  CHECK(!io::gzip_output("dir/x.pb"));
  CHECK(io::format_name(Format::kSvg) == "svg");
  CHECK(io::format_name(Format::kText) == "text");
  CHECK(io::format_name(Format::kJunit) == "junit");
  CHECK(io::format_name(Format::kSpeedscope) == "speedscope");
  CHECK(io::format_name(Format::kPprof) == "pprof");
  CHECK(io::describe_formats(io::outputs_of("diff")) ==
        ".txt (text), .md (markdown), .json (json), .svg (svg), .png (png), .html/.htm (html)");
  CHECK(io::describe_formats(io::outputs_of("check --report")) ==
        ".txt (text), .md (markdown), .json (json), .xml (junit), .html/.htm (html), github");
  CHECK(io::describe_formats(io::outputs_of("fold")) == ".folded/.txt/.collapsed (folded)");
  CHECK(!io::outputs_of("convert").has_default);
  CHECK(io::outputs_of("flame").has_default);
  CHECK_THROWS(io::outputs_of("nosuchcommand"));
}

TEST_CASE("formats: default_output_path strips profile extensions and the folder") {
  CHECK(io::default_output_path("/tmp/cpu.pb.gz", Format::kSvg) == "cpu.svg");
  CHECK(io::default_output_path("-", Format::kSvg) == "stdin.svg");
  CHECK(io::default_output_path("x.folded.gz", Format::kSvg) == "x.svg");
  CHECK(io::default_output_path("heap.pprof", Format::kPng) == "heap.png");
  CHECK(io::default_output_path("a/b/stacks.txt", Format::kFolded) == "stacks.folded");
  CHECK(io::default_output_path("cpu.prof.gz", Format::kText) == "cpu.text");
  CHECK(io::default_output_path("cpu.data", Format::kSvg) == "cpu.data.svg");  // not a profile extension
  CHECK(io::default_output_path(".pb", Format::kSvg) == ".pb.svg");            // a name is never emptied
}

TEST_CASE("formats: fetched_output_path numbers --save's name in the current directory") {
  testing::TempDir dir;
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path);
  const std::string prefix = "pprof.server.samples.cpu.";
  CHECK(io::fetched_output_path(prefix, "", Format::kSvg) == "pprof.server.samples.cpu.001.svg");
  dir.write("pprof.server.samples.cpu.001.svg", "");
  CHECK(io::fetched_output_path(prefix, "", Format::kSvg) == "pprof.server.samples.cpu.002.svg");
  CHECK(io::fetched_output_path(prefix, "", Format::kPng) == "pprof.server.samples.cpu.001.png");  // per extension
  REQUIRE(::symlink("nowhere", "pprof.server.samples.cpu.002.svg") == 0);  // a dangling link is taken too
  CHECK(io::fetched_output_path(prefix, "", Format::kSvg) == "pprof.server.samples.cpu.003.svg");
  // Saved by --save: the saved profile's number, when that graph name is free here.
  CHECK(io::fetched_output_path(prefix, "/save/pprof.server.samples.cpu.007.pb.gz", Format::kSvg) ==
        "pprof.server.samples.cpu.007.svg");
  CHECK(io::fetched_output_path(prefix, "/save/pprof.server.samples.cpu.001.pb.gz", Format::kSvg) ==
        "pprof.server.samples.cpu.003.svg");
  CHECK(io::fetched_output_path(prefix, "/save/other.001.pb.gz", Format::kSvg) == "pprof.server.samples.cpu.003.svg");
  CHECK(io::fetched_output_path("pprof.", "", Format::kFolded) == "pprof.001.folded");
  std::filesystem::current_path(cwd);
}

TEST_CASE("formats: --format is suggested only by commands that take it for that output") {
  for (const char* command : {"flame", "diff", "dot", "convert", "check --report", "trend"}) {
    CHECK_MESSAGE(error_of(command, "x.jpg").ends_with(" (or give --format)"), command);
  }
  for (const char* command : {"fold", "merge", "symbolize", "check --flame"}) {
    const std::string e = error_of(command, "x.jpg");
    CHECK_MESSAGE(e.find("--format") == std::string::npos, command, ": ", e);
    CHECK_MESSAGE(e.starts_with(std::string("\"x.jpg\": ") + command + " does not write this extension; use ."), e);
  }
  CHECK(error_of("check --flame", "x.pdf") == "\"x.pdf\": check --flame does not write this extension; use .svg (svg), .png (png)");
}
