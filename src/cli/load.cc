#include "load.h"

#include <fmt/format.h>

#include "pprofx/decode/decode.h"
#include "pprofx/io/input.h"

namespace pprofx::cli {

Result<Loaded> load_profile(const std::string& path, uint64_t max_bytes) {
  auto bytes = io::read_profile_bytes(path, max_bytes);
  if (!bytes) return bytes.error();
  Loaded out;
  out.input.name = path == "-" ? "<stdin>" : path;
  out.input.file_bytes = bytes->file_bytes;
  out.input.gzipped = bytes->gzipped;
  out.input.raw_bytes = bytes->data.size();
  auto decoded = decode::decode_profile(bytes->data, out.input.name);
  if (!decoded) return decoded.error();
  out.profile = std::move(*decoded);
  return out;
}

void warn_soft_problems(const std::string& path, const model::Profile& p) {
  if (p.dangling_mapping_refs > 0) {
    fmt::print(stderr, "pprofx: warning: {}: {} locations refer to mappings the profile does not define "
                       "(treated as unmapped, as pprof does)\n",
               path, p.dangling_mapping_refs);
  }
}

}  // namespace pprofx::cli
