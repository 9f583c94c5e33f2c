// Decoding while inflating (io/inflating_buffer.h, decode_arriving) gives
// what decoding the whole input gives, never reads a byte before it has
// arrived, falls back when the input is not what it announced, and garbage
// is refused at its first bytes (refuse_early).
#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <optional>
#include <cstring>
#include <random>
#include <string>
#include <thread>

#include "pprofx/decode/decode.h"
#include "pprofx/encode/encode.h"
#include "pprofx/io/inflating_buffer.h"
#include "pprofx/io/input.h"
#include "profile_builder.h"
#include "zlib_reference.h"

using namespace pprofx;
using testing::ProfileBuilder;
using testing::zlib_member;

namespace {

// A profile as Go writes it (samples first, the string table last), of
// about `samples` x 60 bytes, with labels and inlined frames.
// With dangling, one more sample names a location that does not exist.
std::string big_profile(int samples, unsigned seed, bool dangling = false) {
  ProfileBuilder b;
  b.sample_type("samples", "count").sample_type("cpu", "nanoseconds");
  std::vector<uint64_t> frames;
  for (int i = 0; i < 400; ++i) {
    frames.push_back(b.frame("example.com/service/internal/pkg/sub.(*Handler).Function" + std::to_string(i),
                             "/home/build/src/example.com/service/internal/pkg/sub/f" + std::to_string(i % 9) + ".go"));
  }
  const uint64_t f1 = b.function("inl.Callee"), f2 = b.function("inl.Caller");
  frames.push_back(b.location({{f1, 3}, {f2, 9}}));
  std::mt19937 rng(seed);
  for (int s = 0; s < samples; ++s) {
    std::vector<uint64_t> stack;
    const size_t depth = 2 + rng() % 20;
    for (size_t d = 0; d < depth; ++d) stack.push_back(frames[rng() % frames.size()]);
    auto& sample = b.sample(stack, {1, static_cast<int64_t>(rng() % 100000)});
    if (s % 3 == 0) b.label(sample, "handler", "/api/v" + std::to_string(rng() % 50));
    if (s % 5 == 0) b.num_label(sample, "bytes", static_cast<int64_t>(rng() % 4096), "bytes");
  }
  if (dangling) b.sample({frames[0], 999'999}, {1, 1});
  return b.bytes();
}

// Input that arrives only as far as it is waited for (plus a random bit):
// the bytes not yet released read 0xff, so a decoder reading ahead of what
// it waited for decodes garbage. With stop_at, the input stops short there.
class PiecewiseBytes final : public io::ArrivingBytes {
 public:
  PiecewiseBytes(std::string data, unsigned seed, size_t stop_at = SIZE_MAX)
      : data_(std::move(data)), buf_(data_.size(), '\xff'), rng_(seed), seed_(seed), stop_at_(stop_at) {}
  std::string_view bytes() const override { return buf_; }
  size_t wait_for(size_t end) override {
    ++waits_;
    if (end > released_) {
      const size_t slack = seed_ % 2 == 0 ? 0 : rng_() % 64;  // even seeds: exactly what was asked
      const size_t to = std::min({data_.size(), end + slack, stop_at_});
      std::copy(data_.begin() + static_cast<ptrdiff_t>(released_), data_.begin() + static_cast<ptrdiff_t>(to),
                buf_.begin() + static_cast<ptrdiff_t>(released_));
      released_ = std::max(released_, to);
    }
    return released_;
  }
  size_t waits() const { return waits_; }

 private:
  std::string data_, buf_;
  std::mt19937 rng_;
  unsigned seed_;
  size_t stop_at_, released_ = 0, waits_ = 0;
};

std::string encoded(const Result<model::Profile>& r) {
  REQUIRE(r.ok());
  return encode::encode_profile(*r);
}

}  // namespace

TEST_CASE("decode_arriving decodes as decode_any does, reading only bytes that have arrived") {
  const std::string data = big_profile(20'000, 1);
  REQUIRE(data.size() > decode::kEarlyPrefix);
  const std::string expect = encoded(decode::decode_any(data, "p.pb"));
  for (unsigned seed = 0; seed < 5; ++seed) {
    PiecewiseBytes in(data, seed);
    auto got = decode::decode_arriving(in, "p.pb");
    REQUIRE(got.has_value());
    CHECK(encoded(*got) == expect);
    CHECK(in.waits() > 1000);  // field by field, not all at once
  }
  // An input that stops short anywhere is handed back, never decoded.
  for (size_t stop : {size_t{10}, decode::kEarlyPrefix + 5, data.size() / 2, data.size() - 1}) {
    PiecewiseBytes in(data, 7, stop);
    CHECK_FALSE(decode::decode_arriving(in, "p.pb").has_value());
  }
}

TEST_CASE("decode_arriving gives decode_any's error for an input that arrives whole but is not valid") {
  const std::string data = big_profile(5'000, 2);
  // A sample naming a location that does not exist, after thousands of good
  // ones; a field running past the end; a wire type profile.proto does not use.
  for (const std::string& bad : {big_profile(5'000, 2, true), data + std::string("\x12\x05\x08", 3), data + "\x0f"}) {
    auto whole = decode::decode_any(bad, "p.pb");
    REQUIRE_FALSE(whole.ok());
    PiecewiseBytes in(bad, 3);
    auto got = decode::decode_arriving(in, "p.pb");
    REQUIRE(got.has_value());
    REQUIRE_FALSE(got->ok());
    CHECK(got->error().message == whole.error().message);
  }
}

TEST_CASE("refuse_early: garbage fails at its first bytes, a valid profile's start never does") {
  const std::string zeros(decode::kEarlyPrefix, '\0');
  auto refused = decode::refuse_early(zeros, "bomb.pb.gz");
  REQUIRE(refused.has_value());
  CHECK(refused->message ==
        "bomb.pb.gz: not a valid pprof profile: malformed protobuf at byte 0: field number 0 (reserved; no encoder "
        "writes it)");
  // The message decoding it whole gives while no line is over 64 kB (past
  // that pprof's legacy heap parser claims it: "token too long").
  CHECK(decode::decode_any(std::string(60'000, '\0'), "bomb.pb.gz").error().message == refused->message);
  std::string junk(decode::kEarlyPrefix, '\xff');  // a varint that never ends, and a control byte: not text
  junk[100] = '\x01';
  auto junk_refused = decode::refuse_early(junk, "j");
  REQUIRE(junk_refused.has_value());
  CHECK(junk_refused->message == "j: not a valid pprof profile: malformed protobuf at byte 10: varint longer than 10 bytes");
  // A valid profile's start passes wherever the prefix ends (other seeds put
  // the field boundaries elsewhere).
  for (unsigned seed = 0; seed < 40; ++seed) {
    const std::string data = big_profile(1'500, seed);
    REQUIRE(data.size() > decode::kEarlyPrefix);
    CHECK_FALSE(decode::refuse_early(data.substr(0, decode::kEarlyPrefix), "p").has_value());
  }
  // Legacy and text inputs are left to the whole-input path, which reads them.
  std::string cpu(decode::kEarlyPrefix, '\0');
  const uint64_t header[5] = {0, 3, 0, 10000, 0};
  std::memcpy(cpu.data(), header, sizeof header);
  CHECK_FALSE(decode::refuse_early(cpu, "cpu.prof").has_value());
  CHECK_FALSE(decode::refuse_early(std::string(decode::kEarlyPrefix, 'a'), "folded").has_value());
  // A prefix shorter than kEarlyPrefix is the whole input: not judged here.
  CHECK_FALSE(decode::refuse_early(zeros.substr(0, 100), "small").has_value());
}

TEST_CASE("InflatingBuffer inflates a member while it is read, and stops short of anything else") {
  std::mt19937 rng(6);
  std::string data(6 << 20, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(rng() % 7 == 0 ? rng() : i / 1000);
  {
    std::string gz = zlib_member(data, 1);
    const std::string original = gz;
    auto buf = io::InflatingBuffer::start(gz, io::kDefaultMaxInflated);
    REQUIRE(buf != nullptr);
    CHECK(buf->bytes().size() == data.size());
    size_t seen = 0;
    for (size_t want = 1; want < data.size(); want = want * 3 + 1) {
      const size_t n = buf->wait_for(want);
      REQUIRE(n >= want);
      CHECK(buf->bytes().substr(seen, want - seen) == std::string_view(data).substr(seen, want - seen));
      seen = want;
    }
    CHECK(buf->complete());
    CHECK(buf->take_inflated() == data);
    CHECK(buf->compressed_size() == original.size());
  }
  {  // too small to overlap anything, or over the cap: not started, the bytes left as they were
    std::string small = zlib_member(data.substr(0, 1 << 20), 1);
    const std::string before = small;
    CHECK(io::InflatingBuffer::start(small, io::kDefaultMaxInflated) == nullptr);
    CHECK(small == before);
    std::string gz = zlib_member(data, 1);
    CHECK(io::InflatingBuffer::start(gz, data.size() - 1) == nullptr);
    CHECK(gz.size() > 0);
  }
  // Two members (the trailer announces the last one's size), a bad CRC, a
  // cut: each stops short and gives back the compressed bytes, which gunzip
  // then reads or refuses as before.
  std::string two = zlib_member(data.substr(0, 1 << 20), 1) + zlib_member(data.substr(1 << 20), 1);
  std::string bad_crc = zlib_member(data, 1);
  bad_crc[bad_crc.size() - 6] ^= 1;
  std::string cut = zlib_member(data, 1);
  cut.erase(cut.size() / 2, 1000);
  for (const std::string& original : {two, bad_crc, cut}) {
    std::string gz = original;
    auto buf = io::InflatingBuffer::start(gz, io::kDefaultMaxInflated);
    REQUIRE(buf != nullptr);
    CHECK_FALSE(buf->complete());
    CHECK(buf->wait_for(buf->bytes().size()) < buf->bytes().size());
    CHECK(buf->take_compressed() == original);
  }
  CHECK(io::gunzip(two, io::kDefaultMaxInflated).value() == data);
  CHECK_FALSE(io::gunzip(bad_crc, io::kDefaultMaxInflated).ok());
  // Dropped while it inflates: the thread stops and is joined.
  for (int i = 0; i < 3; ++i) {
    std::string gz = zlib_member(data, 1);
    auto buf = io::InflatingBuffer::start(gz, io::kDefaultMaxInflated);
    REQUIRE(buf != nullptr);
    buf->wait_for(i * 100000);
  }
}

TEST_CASE("InflatingBuffer from a file: read a window at a time, the same bytes; short of them, read again") {
  std::mt19937 rng(7);
  std::string data(24 << 20, '\0');  // incompressible: the compressed file spans several windows
  for (char& c : data) c = static_cast<char>(rng());
  char dir[] = "/tmp/pprofx-inflate-XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  const std::string path = std::string(dir) + "/p.gz";
  auto write = [&](const std::string& bytes) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f != nullptr);
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
  };
  auto with_file = [&](const std::string& bytes, auto&& use) {
    write(bytes);
    const int fd = ::open(path.c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    auto buf = io::InflatingBuffer::start_file(fd, bytes.size(), io::kDefaultMaxInflated);
    use(buf);  // (start_file closes fd when it starts; else the test does)
    if (buf == nullptr) ::close(fd);
  };
  const std::string gz = zlib_member(data, 1);
  with_file(gz, [&](auto& buf) {
    REQUIRE(buf != nullptr);
    CHECK(buf->compressed_size() == gz.size());
    CHECK(buf->complete());
    CHECK(buf->take_inflated() == data);
  });
  // Two members, a bad CRC: stopped short, no compressed bytes to give (the
  // caller reads the file again); too small or over the cap: not started.
  std::string bad_crc = gz;
  bad_crc[bad_crc.size() - 6] ^= 1;
  for (const std::string& bytes : {zlib_member(data.substr(0, 8 << 20), 1) + zlib_member(data.substr(8 << 20), 1),
                                   bad_crc}) {
    with_file(bytes, [&](auto& buf) {
      REQUIRE(buf != nullptr);
      CHECK_FALSE(buf->complete());
      CHECK_FALSE(buf->take_compressed().has_value());
    });
  }
  with_file(zlib_member(data.substr(0, 1 << 20), 1), [&](auto& buf) { CHECK(buf == nullptr); });
  with_file(std::string(100, 'x'), [&](auto& buf) { CHECK(buf == nullptr); });
  // A file that is shorter than it was said to be: stopped short.
  {
    write(gz);
    const int fd = ::open(path.c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    auto buf = io::InflatingBuffer::start_file(fd, gz.size(), io::kDefaultMaxInflated);
    REQUIRE(buf != nullptr);
    REQUIRE(::truncate(path.c_str(), static_cast<off_t>(gz.size() / 2)) == 0);
    CHECK_FALSE(buf->complete());
  }
  std::remove(path.c_str());
  ::rmdir(dir);
}

TEST_CASE("gunzip_prefix: the first bytes of any gzip input, never an error") {
  const std::string data(300'000, 'x');
  const std::string gz = zlib_member(data.substr(0, 1000)) + zlib_member(data.substr(1000));
  CHECK(io::gunzip_prefix(gz, 5000) == data.substr(0, 5000));
  CHECK(io::gunzip_prefix(gz, 1 << 20) == data);
  CHECK(io::gunzip_prefix(gz.substr(0, gz.size() / 2), 1 << 20).size() < data.size());
  CHECK(io::gunzip_prefix("\x1f\x8b garbage", 100).empty());
}

TEST_CASE("samples decoded by two threads give what one thread gives, errors included") {
  // Over 64k samples (the second thread's threshold); zero numeric labels,
  // which pprof drops, in the first half only, so the halves' labels must close up.
  ProfileBuilder b;
  b.sample_type("samples", "count").sample_type("cpu", "nanoseconds").sample_type("alloc", "bytes");
  std::vector<uint64_t> frames;
  for (int i = 0; i < 50; ++i) frames.push_back(b.frame("f" + std::to_string(i)));
  std::mt19937 rng(8);
  const int n = 70'000;
  for (int s = 0; s < n; ++s) {
    std::vector<uint64_t> stack;
    for (size_t d = 0, depth = 1 + rng() % 9; d < depth; ++d) stack.push_back(frames[rng() % frames.size()]);
    auto& sample = b.sample(stack, {1, static_cast<int64_t>(rng() % 1000), -static_cast<int64_t>(rng() % 50)});
    if (s % 4 == 0) b.label(sample, "k", "v" + std::to_string(s % 13));
    if (s < n / 3 && s % 3 == 0) b.num_label(sample, "zero", 0);
    if (s % 7 == 0) b.num_label(sample, "bytes", s, "bytes");
  }
  const std::string data = b.bytes();
  decode::Limits one, two;
  one.threads = 1;
  auto a = decode::decode_profile(data, "p.pb", one), c = decode::decode_profile(data, "p.pb", two);
  REQUIRE(a.ok());
  REQUIRE(c.ok());
  CHECK(a->dropped_zero_labels > 0);
  CHECK(a->dropped_zero_labels == c->dropped_zero_labels);
  CHECK(encode::encode_profile(*a) == encode::encode_profile(*c));
  // The arrays themselves, each sample's ranges within them.
  auto ranges = [](const model::Profile& p) {
    std::vector<std::array<uint32_t, 4>> r;
    bool within = true;
    for (const model::Sample& s : p.samples) {
      within = within && s.labels_begin + s.labels_count <= p.labels.size() &&
               s.locations_begin + s.locations_count <= p.sample_locations.size();
      r.push_back({s.locations_begin, s.locations_count, s.labels_begin, s.labels_count});
    }
    CHECK(within);
    return r;
  };
  CHECK(ranges(*a) == ranges(*c));
  CHECK(a->labels.size() == c->labels.size());
  CHECK(a->values == c->values);
  CHECK(a->sample_locations == c->sample_locations);
  // A bad sample in each half: both name the first one, as one pass does.
  b.proto().mutable_sample(n - 10)->add_location_id(777'777);
  b.proto().mutable_sample(n - 20)->add_value(5);
  const std::string late = b.bytes();
  const std::string late_error = decode::decode_profile(late, "p.pb", one).error().message;
  CHECK(late_error == "p.pb: not a valid pprof profile: sample 69980: has 4 values but the profile has 3 sample types");
  CHECK(decode::decode_profile(late, "p.pb", two).error().message == late_error);
  b.proto().mutable_sample(100)->add_location_id(888'888);
  const std::string both = b.bytes();
  const std::string first_error = decode::decode_profile(both, "p.pb", one).error().message;
  CHECK(first_error == "p.pb: not a valid pprof profile: sample 100: location id 888888 does not exist");
  CHECK(decode::decode_profile(both, "p.pb", two).error().message == first_error);
}

TEST_CASE("BoundedReader judges a stream's first bytes once, raw or inflated, and stops at garbage") {
  const std::string zeros(3 << 20, '\0');
  const std::string profile = big_profile(3'000, 9);
  REQUIRE(profile.size() > decode::kEarlyPrefix);
  for (bool gz : {false, true}) {
    for (size_t piece : {size_t{1000}, size_t{65536}, size_t{1} << 20}) {
      INFO("gzip " << gz << ", pieces of " << piece);
      auto feed = [&](const std::string& data, size_t* calls) -> Status {
        const std::string bytes = gz ? zlib_member(data) : data;
        io::BoundedReader reader(io::kDefaultMaxInflated);
        reader.set_check({decode::kEarlyPrefix, [calls](std::string_view prefix) {
                            ++*calls;
                            CHECK(prefix.size() == decode::kEarlyPrefix);
                            return decode::early_refusal(prefix);
                          }});
        for (size_t at = 0; at < bytes.size(); at += piece) {
          if (Status s = reader.add(std::string_view(bytes).substr(at, piece)); !s) return s;
        }
        return Ok{};
      };
      size_t calls = 0;
      Status s = feed(zeros, &calls);
      REQUIRE_FALSE(s.ok());
      CHECK(s.error().message ==
            "not a valid pprof profile: malformed protobuf at byte 0: field number 0 (reserved; no encoder writes it)");
      CHECK(calls == 1);
      calls = 0;
      CHECK(feed(profile, &calls).ok());
      CHECK(calls == 1);
      calls = 0;
      CHECK(feed(profile.substr(0, 1000), &calls).ok());  // shorter than the prefix: not judged
      CHECK(calls == 0);
    }
  }
}
