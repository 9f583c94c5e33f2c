// Bytes -> model::Profile, with pprof's acceptance rules.
//
// decode_profile accepts exactly the protobuf inputs `go tool pprof` accepts
// (gzip is handled by io before this), and rejects the rest with a message that
// says what is wrong and where, prefixed by `name`:
//   "cpu.pb.gz: sample 12: location id 99 does not exist".
// decode_any also reads pprof's legacy formats (pprofx/legacy), offering them
// whatever is not valid profile.proto, as pprof does.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "pprofx/base/result.h"
#include "pprofx/io/arriving.h"
#include "pprofx/model/profile.h"

namespace pprofx::decode {

// Limits on hostile input, each refused with a message that names it. The
// decompressed size is capped before decoding (io); within it, memory stays a
// small multiple of the input, and these bound the rest.
struct Limits {
  uint64_t max_samples = 100'000'000;
  uint64_t max_string_bytes = 16u << 20;     // one string-table entry
  uint64_t max_labels_per_sample = 100'000;
  uint64_t max_stack_depth = 1'000'000;      // locations in one sample
  // Comments: each is printed by top, tree and info (and copied into their
  // headers), so a file of one-byte references to a long string would print
  // far more than its size.
  uint64_t max_comments = 100'000;
  uint64_t max_comment_bytes = 16u << 20;    // the comments' text, added up
  // Not a limit: how many threads (1 or 2) may decode the samples of a
  // profile that has many; the result is the same.
  unsigned threads = 2;
};

// Decodes an uncompressed profile.proto message and validates it (pprof's
// CheckValid rules, plus: the absolute values of each sample type must add up
// within int64, so no sum pprofx forms can overflow). `name` is used only in
// error messages.
Result<model::Profile> decode_profile(std::string_view bytes, std::string_view name, const Limits& limits = {});

// How text dumps are read. dump_symbols: the function names, files and lines a
// Go debug=1 dump prints in its "#" lines name its frames (and "# labels:"
// label its samples); without, its addresses are read as pprof does, for the
// binary given to symbolize them (load passes false when --binary or
// --symbolize=none is given).
struct ReadOptions {
  bool dump_symbols = true;
};

// profile.proto, else one of pprof's legacy formats or a Go goroutine dump
// (decode/goroutine_dump.h); what commands read.
Result<model::Profile> decode_any(std::string_view bytes, std::string_view name, const Limits& limits = {},
                                  const ReadOptions& read = {});

// How many first bytes refuse_early and decode_arriving look at: more than
// sniff reads, so that the kind they see is the whole input's.
inline constexpr size_t kEarlyPrefix = size_t{64} << 10 | 1;

// For the first kEarlyPrefix bytes of a longer input (a gzip file's first
// inflated bytes): the error decode_any would give the whole input when
// those bytes already fail to decode as profile.proto and are no other
// format, so that garbage (a gzip bomb of zeros) is refused at its first
// bytes; nullopt when the input must be read whole to be judged.
std::optional<Error> refuse_early(std::string_view prefix, std::string_view name, const Limits& limits = {});
// The same without the name: why those bytes are garbage ("not a valid pprof
// profile: malformed protobuf at byte 0: ..."), for io::PrefixCheck.
std::optional<std::string> early_refusal(std::string_view prefix, const Limits& limits = {});

// decode_any over an input still arriving (io::InflatingBuffer): the scan of
// the top-level fields runs while the bytes come, the rest once all have.
// The same result as decode_any of the complete bytes; nullopt when the
// input stopped short of its announced size (the caller then reads it as
// usual, which says why).
std::optional<Result<model::Profile>> decode_arriving(io::ArrivingBytes& in, std::string_view name,
                                                      const Limits& limits = {}, const ReadOptions& read = {});

// If bytes look like one of pprof's legacy formats, a short name for it
// ("gperftools binary CPU profile", "heap profile text", ...); else "".
std::string_view legacy_format_name(std::string_view bytes);

}  // namespace pprofx::decode
