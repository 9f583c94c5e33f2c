#include "load.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

#include "pprofx/decode/decode.h"
#include "pprofx/model/merge.h"
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

Result<Loaded> load_profiles(const std::vector<std::string>& paths, uint64_t max_bytes, unsigned threads) {
  if (paths.size() == 1) return load_profile(paths[0], max_bytes);
  std::vector<std::optional<Result<Loaded>>> results(paths.size());
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = std::min<unsigned>(threads, static_cast<unsigned>(paths.size()));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < paths.size(); i = next++) results[i] = load_profile(paths[i], max_bytes);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  std::vector<const model::Profile*> profiles;
  std::vector<std::string> names;
  for (auto& r : results) {
    if (!*r) return r->error();  // the first failing file, in command-line order
    profiles.push_back(&(*r)->profile);
    names.push_back((*r)->input.name);
  }
  auto merged = model::merge(profiles, names);
  if (!merged) return merged.error();
  Loaded out;
  out.profile = std::move(*merged);
  out.input.name = fmt::format("{} profiles", paths.size());
  for (auto& r : results) {
    out.input.file_bytes += (*r)->input.file_bytes;
    out.input.raw_bytes += (*r)->input.raw_bytes;
    out.input.gzipped = out.input.gzipped || (*r)->input.gzipped;
  }
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
