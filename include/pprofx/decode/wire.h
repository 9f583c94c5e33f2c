// A bounds-checked protobuf wire-format reader over a byte span, with the
// same acceptance rules as pprof's hand-written decoder (profile/proto.go):
// varints of at most 10 bytes, wire types 0, 1, 2 and 5 only (groups and
// types 6/7 are errors even in unknown fields).
#pragma once

#include <cstdint>
#include <string_view>

namespace pprofx::decode {

enum WireType : uint8_t { kVarint = 0, kFixed64 = 1, kBytes = 2, kFixed32 = 5 };

struct Field {
  uint64_t number = 0;
  uint8_t type = 0;
  uint64_t u64 = 0;          // varint / fixed payload
  std::string_view bytes;    // length-delimited payload
};

class WireReader {
 public:
  explicit WireReader(std::string_view data)
      : begin_(reinterpret_cast<const uint8_t*>(data.data())), p_(begin_), end_(begin_ + data.size()) {}
  // Starts at byte `start` of data (offsets still count from data's start).
  WireReader(std::string_view data, size_t start) : WireReader(data) { p_ = begin_ + start; }

  bool done() const { return p_ == end_; }
  size_t offset() const { return static_cast<size_t>(p_ - begin_); }

  // Reads the next field. On failure returns false and sets error() to a
  // short reason; the reader must not be used afterwards.
  bool next(Field* f);
  // Reads one varint (for packed payloads).
  bool varint(uint64_t* out);

  const char* error() const { return error_; }
  // Whether the error was the data ending (a prefix of a valid message
  // fails only so).
  bool truncated() const { return truncated_; }

 private:
  const uint8_t* begin_;
  const uint8_t* p_;
  const uint8_t* end_;
  const char* error_ = "";
  bool truncated_ = false;
};

inline bool WireReader::varint(uint64_t* out) {
  if (p_ < end_ && *p_ < 0x80) {  // fast path: one byte
    *out = *p_++;
    return true;
  }
  uint64_t v = 0;
  for (int i = 0; i < 10; ++i) {
    if (p_ == end_) {
      error_ = "truncated varint";
      truncated_ = true;
      return false;
    }
    const uint8_t b = *p_++;
    v |= uint64_t{b & 0x7fu} << (7 * i);
    if (b < 0x80) {
      *out = v;
      return true;
    }
  }
  error_ = "varint longer than 10 bytes";
  return false;
}

inline bool WireReader::next(Field* f) {
  uint64_t tag;
  if (!varint(&tag)) return false;
  f->number = tag >> 3;
  f->type = static_cast<uint8_t>(tag & 7);
  switch (f->type) {
    case kVarint:
      return varint(&f->u64);
    case kFixed64:
      if (end_ - p_ < 8) {
        error_ = "truncated fixed64 field";
        truncated_ = true;
        return false;
      }
      f->u64 = 0;
      for (int i = 7; i >= 0; --i) f->u64 = (f->u64 << 8) | p_[i];
      p_ += 8;
      return true;
    case kBytes: {
      uint64_t n;
      if (!varint(&n)) return false;
      if (n > static_cast<uint64_t>(end_ - p_)) {
        error_ = "length-delimited field runs past the end of its message";
        truncated_ = true;
        return false;
      }
      f->bytes = std::string_view(reinterpret_cast<const char*>(p_), n);
      p_ += n;
      return true;
    }
    case kFixed32:
      if (end_ - p_ < 4) {
        error_ = "truncated fixed32 field";
        truncated_ = true;
        return false;
      }
      f->u64 = uint64_t{p_[0]} | uint64_t{p_[1]} << 8 | uint64_t{p_[2]} << 16 | uint64_t{p_[3]} << 24;
      p_ += 4;
      return true;
    default:
      error_ = "invalid wire type (groups and types 6/7 are not used by profile.proto)";
      return false;
  }
}

}  // namespace pprofx::decode
