// model::Profile -> profile.proto bytes. The wire format is written directly
// (field by field, in field-number order, zero scalars and empty packed fields
// left out, as protobuf's own serializer does: the unit tests compare the two
// byte for byte) and streamed in pieces, so a large profile is never a second
// copy in memory. The string table is the profile's interned table, so
// string_table[0] is "".
#pragma once

#include <string>

#include "pprofx/base/sink.h"
#include "pprofx/model/profile.h"

namespace pprofx::encode {

// Hands the encoding to `sink` in pieces of about 64 kB.
void write_profile(const model::Profile& p, const ByteSink& sink);
// The same, gzip-compressed (level 6, as pprof writes) on `threads` threads;
// the bytes do not depend on the thread count (io::GzipWriter).
void write_profile_gzip(const model::Profile& p, const ByteSink& sink, unsigned threads = 1);

std::string encode_profile(const model::Profile& p);  // uncompressed
std::string encode_profile_gzip(const model::Profile& p);

}  // namespace pprofx::encode
