// model::Profile -> profile.proto bytes, written with the generated classes
// (proto/profile.proto). The string table is the profile's interned table, so
// string_table[0] is "".
#pragma once

#include <string>

#include "pprofx/model/profile.h"

namespace pprofx::encode {

std::string encode_profile(const model::Profile& p);  // uncompressed
std::string encode_profile_gzip(const model::Profile& p);

}  // namespace pprofx::encode
