#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

#include "pprofx/io/fetch.h"
#include "pprofx/io/gzip.h"
#include "pprofx/io/input.h"
#include "profile_builder.h"

using namespace pprofx;

TEST_CASE("gunzip inflates, joins members, and refuses truncation and oversize") {
  const std::string text(100000, 'x');
  const std::string gz = io::gzip(text);
  REQUIRE(io::is_gzip(gz));
  auto out = io::gunzip(gz, io::kDefaultMaxInflated);
  REQUIRE(out.ok());
  CHECK(*out == text);

  auto two = io::gunzip(io::gzip("ab") + io::gzip("cd"), 100);
  REQUIRE(two.ok());
  CHECK(*two == "abcd");

  auto truncated = io::gunzip(gz.substr(0, gz.size() / 2), io::kDefaultMaxInflated);
  REQUIRE_FALSE(truncated.ok());
  CHECK(truncated.error().message.find("unexpected end") != std::string::npos);

  auto garbage = io::gunzip(gz + "junk", io::kDefaultMaxInflated);
  CHECK_FALSE(garbage.ok());

  auto capped = io::gunzip(gz, 50000);
  REQUIRE_FALSE(capped.ok());
  CHECK(capped.error().message.find("exceeds the limit of 50000 bytes") != std::string::npos);

  auto empty = io::gunzip(io::gzip(""), 100);
  REQUIRE(empty.ok());
  CHECK(empty->empty());
}

TEST_CASE("read_profile_bytes detects gzip by content, not by name") {
  const std::string path = "pprofx_io_test.bin";
  std::ofstream(path, std::ios::binary) << io::gzip("payload");
  auto gz = io::read_profile_bytes(path, 1000);
  REQUIRE(gz.ok());
  CHECK(gz->gzipped);
  CHECK(gz->data == "payload");
  std::ofstream(path, std::ios::binary) << "raw bytes";
  auto raw = io::read_profile_bytes(path, 1000);
  REQUIRE(raw.ok());
  CHECK_FALSE(raw->gzipped);
  CHECK(raw->data == "raw bytes");
  std::remove(path.c_str());
  auto missing = io::read_profile_bytes("does/not/exist.pb.gz", 1000);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == "does/not/exist.pb.gz: cannot open: No such file or directory");
}

TEST_CASE("profile_url follows pprof's adjustURL") {
  using pprofx::io::FetchOptions;
  using pprofx::io::profile_url;
  int seconds = 0;
  double timeout = 0;
  FetchOptions none;
  CHECK(profile_url("cpu.pb.gz", none, &seconds, &timeout) == "");
  CHECK(profile_url("dir/a:b", none, &seconds, &timeout) == "");
  CHECK(profile_url("localhost:x/debug", none, &seconds, &timeout) == "");  // port must be numeric
  CHECK(profile_url("ftp://host/x", none, &seconds, &timeout) == "");
  CHECK(profile_url("localhost:6060", none, &seconds, &timeout) == "http://localhost:6060/debug/pprof/profile");
  CHECK(seconds == 0);
  CHECK(timeout == 65);  // pprof: 60 s, plus 5 s for the transfer
  CHECK(profile_url("localhost:6060/debug/pprof/heap", none, &seconds, &timeout) ==
        "http://localhost:6060/debug/pprof/heap");
  CHECK(profile_url("https://h/debug/pprof/profile?seconds=10&b=1", none, &seconds, &timeout) ==
        "https://h/debug/pprof/profile?b=1&seconds=10");  // sorted, as Go's Values.Encode
  CHECK(seconds == 10);
  CHECK(timeout == 20);
  FetchOptions five;
  five.seconds = 5;
  CHECK(profile_url("http://[::1]:8080/debug/pprof/profile?seconds=30", five, &seconds, &timeout) ==
        "http://[::1]:8080/debug/pprof/profile?seconds=5");
  CHECK(seconds == 5);
  CHECK(timeout == 12.5);
  FetchOptions given;
  given.timeout = 2;
  CHECK(profile_url("https+insecure://h:1/x", given, &seconds, &timeout) == "https+insecure://h:1/x");
  CHECK(timeout == 2);
}
