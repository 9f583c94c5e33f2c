// Bytes -> model::Profile, with pprof's acceptance rules.
//
// decode_profile accepts exactly the protobuf inputs `go tool pprof` accepts
// (gzip is handled by io before this), and rejects the rest with a message that
// says what is wrong and where, prefixed by `name`:
//   "cpu.pb.gz: sample 12: location id 99 does not exist".
// Legacy text/binary formats are recognised and refused clearly for now.
#pragma once

#include <string>
#include <string_view>

#include "pprofx/base/result.h"
#include "pprofx/model/profile.h"

namespace pprofx::decode {

// Decodes an uncompressed profile.proto message and validates it (pprof's
// CheckValid rules). `name` is used only in error messages.
Result<model::Profile> decode_profile(std::string_view bytes, std::string_view name);

// If bytes look like one of pprof's legacy formats, a short name for it
// ("gperftools binary CPU profile", "heap profile text", ...); else "".
std::string_view legacy_format_name(std::string_view bytes);

}  // namespace pprofx::decode
