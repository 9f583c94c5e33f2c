#include <doctest/doctest.h>

#include <string>

#include "pprofx/decode/wire.h"

using pprofx::decode::Field;
using pprofx::decode::WireReader;

TEST_CASE("WireReader reads each wire type") {
  // field 1 varint 300; field 2 bytes "hi"; field 3 fixed64 1; field 4 fixed32 2
  const std::string data("\x08\xac\x02\x12\x02hi\x19\x01\x00\x00\x00\x00\x00\x00\x00\x25\x02\x00\x00\x00", 21);
  WireReader r(data);
  Field f;
  REQUIRE(r.next(&f));
  CHECK((f.number == 1 && f.type == 0 && f.u64 == 300));
  REQUIRE(r.next(&f));
  CHECK((f.number == 2 && f.type == 2 && f.bytes == "hi"));
  REQUIRE(r.next(&f));
  CHECK((f.number == 3 && f.type == 1 && f.u64 == 1));
  REQUIRE(r.next(&f));
  CHECK((f.number == 4 && f.type == 5 && f.u64 == 2));
  CHECK(r.done());
}

TEST_CASE("WireReader rejects what pprof's decoder rejects") {
  Field f;
  {
    WireReader r(std::string_view("\x0b", 1));  // wire type 3 (group)
    CHECK_FALSE(r.next(&f));
  }
  {
    WireReader r(std::string_view("\x0f", 1));  // wire type 7
    CHECK_FALSE(r.next(&f));
  }
  {
    WireReader r(std::string_view("\x12\x05" "ab", 4));  // length past the end
    CHECK_FALSE(r.next(&f));
  }
  {
    WireReader r(std::string_view("\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12));  // 11-byte varint
    CHECK_FALSE(r.next(&f));
  }
  {
    WireReader r(std::string_view("\x09\x01\x02", 3));  // truncated fixed64
    CHECK_FALSE(r.next(&f));
  }
  {
    WireReader r(std::string_view("\x08\x80", 2));  // truncated varint
    CHECK_FALSE(r.next(&f));
  }
}
