// report::parse_allow: check --allow's REGEX=POINTS, split at the last '='.
#include <doctest/doctest.h>

#include <string>

#include "pprofx/report/check.h"

using namespace pprofx;

TEST_CASE("parse_allow: REGEX=POINTS, the last '=' splits") {
  auto a = report::parse_allow("a=1.5");
  REQUIRE(a.ok());
  CHECK(a->first == "a");
  CHECK(a->second == 1.5);
  a = report::parse_allow("x=y=2");
  REQUIRE(a.ok());
  CHECK(a->first == "x=y");
  CHECK(a->second == 2);
  a = report::parse_allow("^runtime\\..*=0.25");
  REQUIRE(a.ok());
  CHECK(a->first == "^runtime\\..*");
  CHECK(a->second == 0.25);
  a = report::parse_allow("f=-3");
  REQUIRE(a.ok());
  CHECK(a->second == -3);
  a = report::parse_allow("f=1e1");
  REQUIRE(a.ok());
  CHECK(a->second == 10);
}

TEST_CASE("parse_allow: no '=', no points, trailing garbage or non-finite points are refused") {
  for (const std::string text : {"a", "a=", "a=2x", "a=inf", "a=nan", "a=-infinity", "a=1.5 ", "a= 2", "a=x", ""}) {
    INFO(text);
    auto a = report::parse_allow(text);
    REQUIRE(!a.ok());
    CHECK(a.error().message == "--allow \"" + text + "\": expected REGEX=POINTS");
  }
}
