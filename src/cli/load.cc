#include "load.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "pprofx/decode/decode.h"
#include "pprofx/model/merge.h"
#include "pprofx/base/strings.h"
#include "pprofx/io/fetch.h"
#include "pprofx/io/input.h"
#include "pprofx/io/output.h"
#include "pprofx/symbolize/symbolize.h"

namespace pprofx::cli {

void add_load_options(CLI::App& cmd, LoadOptions& o) {
  cmd.add_option("--max-size", o.max_size, "Refuse profiles larger than this many bytes once decompressed")
      ->capture_default_str();
  cmd.add_option("--threads", o.threads,
                 "Threads for decoding several profiles and for symbolizing (default: one per core)");
  cmd.add_option("--symbolize", o.symbolize,
                 "auto: resolve addresses of binaries without names, from local ELF files; none: no symbolization "
                 "and no demangling; force: re-symbolize every binary (pprof's forms work too: local:force, "
                 "demangle=full, ...)")
      ->capture_default_str();
  cmd.add_option("--demangle", o.demangle,
                 "C++/Rust names: default (no parameters or templates), templates, full, none; implies re-demangling")
      ->check(CLI::IsMember({"default", "templates", "full", "none"}));
  cmd.add_option("--binary-path", o.binary_path,
                 "Directory to look for binaries in (repeatable; searched before PPROF_BINARY_PATH, with pprof's "
                 "layouts: DIR/BUILDID/NAME, DIR/NAME, DIR/PATH, DIR/usr/lib/debug/...)");
  cmd.add_option("--binary", o.binary, "The profiled program's binary (for the profile's main mapping)");
  cmd.add_option("--seconds", o.seconds, "For URLs: collect a CPU profile for this many seconds (sets ?seconds=N)")
      ->check(CLI::Range(1, 86400))
      ->group("Fetching from http(s)://host:port/debug/pprof/...");
  cmd.add_option("--timeout", o.timeout,
                 "For URLs: give up after this many seconds (default, as pprof: 1.5 x --seconds, else 60, plus 5)")
      ->check(CLI::PositiveNumber)
      ->group("Fetching from http(s)://host:port/debug/pprof/...");
  cmd.add_option("--save", o.save_dir, "For URLs: keep each fetched profile in this directory, named as pprof does")
      ->group("Fetching from http(s)://host:port/debug/pprof/...");
}

Result<Source> read_source(const std::string& path, const LoadOptions& o, bool progress) {
  Source src;
  src.name = path == "-" ? "<stdin>" : path;
  std::string url;
  int seconds = 0;
  double timeout = 0;
  io::FetchOptions fo;
  fo.seconds = o.seconds;
  fo.timeout = o.timeout;
  fo.max_bytes = o.max_size;
  fo.progress = progress && ::isatty(STDERR_FILENO) == 1;
  struct stat st;
  if (path != "-" && ::stat(path.c_str(), &st) != 0) url = io::profile_url(path, fo, &seconds, &timeout);
  if (url.empty()) {
    auto bytes = io::read_profile_bytes(path, o.max_size);
    if (!bytes) return bytes.error();
    src.bytes = std::move(*bytes);
    return src;
  }
  src.name = url;
  auto fetched = io::fetch_url(url, seconds, timeout, fo);
  if (!fetched) return Error{fmt::format("{}: {}", url, fetched.error().message)};
  src.fetched = fetched->body;
  auto bytes = io::profile_bytes(std::move(fetched->body), url, o.max_size);
  if (!bytes) return bytes.error();
  src.bytes = std::move(*bytes);
  return src;
}

void save_fetched(const Source& src, const model::Profile& p, const LoadOptions& o) {
  if (src.fetched.empty() || o.save_dir.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(o.save_dir, ec);
  std::string prefix = "pprof.";
  if (!p.mappings.empty() && !p.str(p.mappings[0].filename).empty()) {
    prefix += base_name(p.str(p.mappings[0].filename)) + ".";
  }
  for (const auto& t : p.sample_types) prefix += std::string(p.str(t.type)) + ".";
  const std::string data = io::is_gzip(src.fetched) ? src.fetched : io::gzip(src.fetched);
  for (int i = 1; i < 10000; ++i) {
    const std::string path = (std::filesystem::path(o.save_dir) / fmt::format("{}{:03}.pb.gz", prefix, i)).string();
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 && errno == EEXIST) continue;
    if (fd < 0) break;
    ::close(fd);  // the name is reserved; written atomically over it
    if (Status s = io::write_output(path, data); !s) {
      fmt::print(stderr, "pprofx: warning: could not save profile: {}\n", s.error().message);
    } else {
      fmt::print(stderr, "pprofx: saved profile in {}\n", path);
    }
    return;
  }
  fmt::print(stderr, "pprofx: warning: could not save profile in {}: {}\n", o.save_dir,
             ec ? ec.message() : std::string(std::strerror(errno)));
}

Status symbolize_loaded(model::Profile& p, const std::string& name, const LoadOptions& o) {
  symbolize::Options so;
  std::string demangle = o.demangle;
  // pprof's -symbolize syntax: words joined by ':'.
  for (size_t i = 0; i <= o.symbolize.size();) {
    const size_t colon = std::min(o.symbolize.find(':', i), o.symbolize.size());
    const std::string word = o.symbolize.substr(i, colon - i);
    i = colon + 1;
    if (word.empty() || word == "auto" || word == "local" || word == "fastlocal") continue;
    if (word == "none" || word == "no") {
      so.mode = symbolize::Mode::kNone;
    } else if (word == "force") {
      if (so.mode != symbolize::Mode::kNone) so.mode = symbolize::Mode::kForce;
    } else if (starts_with(word, "demangle=")) {
      if (demangle.empty()) demangle = word.substr(9);
    } else {
      return Error{fmt::format("--symbolize: unknown mode \"{}\" (auto, none or force; pprof's local, force and "
                               "demangle=... are accepted too)",
                               word)};
    }
  }
  if (!demangle.empty()) {
    if (!symbolize::parse_demangle_mode(demangle, &so.demangle)) {
      return Error{fmt::format("--demangle: unknown mode \"{}\" (default, templates, full or none)", demangle)};
    }
    so.demangle_given = demangle != "default";
  }
  so.search_path = o.binary_path;
  for (std::string& d : symbolize::default_search_path()) so.search_path.push_back(std::move(d));
  so.main_binary = o.binary;
  so.threads = o.threads;  // --threads also bounds symbolization's threads
  const symbolize::Report r = symbolize::symbolize(p, so);
  if (std::string s = symbolize::summary(r); !s.empty()) fmt::print(stderr, "pprofx: warning: {}: {}\n", name, s);
  return Ok{};
}

namespace {

Result<Loaded> decode_file(const std::string& path, const LoadOptions& o, bool progress) {
  auto src = read_source(path, o, progress);
  if (!src) return src.error();
  Loaded out;
  out.input.name = src->name;
  out.input.file_bytes = src->bytes.file_bytes;
  out.input.gzipped = src->bytes.gzipped;
  out.input.raw_bytes = src->bytes.data.size();
  auto decoded = decode::decode_any(src->bytes.data, out.input.name);
  if (!decoded) return decoded.error();
  out.profile = std::move(*decoded);
  save_fetched(*src, out.profile, o);
  return out;
}

}  // namespace

unsigned thread_count(const LoadOptions& o) {
  return o.threads != 0 ? o.threads : std::max(1u, std::thread::hardware_concurrency());
}

Result<Loaded> load_profile(const std::string& path, const LoadOptions& o) {
  auto loaded = decode_file(path, o, true);
  if (!loaded) return loaded;
  if (Status s = symbolize_loaded(loaded->profile, loaded->input.name, o); !s) return s.error();
  return loaded;
}

// Decoding runs on o.threads threads at most `window` files ahead of the
// merge, which takes the files in command-line order as they are ready (and
// decodes the next unclaimed one itself while it waits): the merged result
// and the error reported (the first failing file in order) do not depend on
// the thread count, and memory holds the merged profile plus a window of inputs.
Result<Loaded> load_profiles(const std::vector<std::string>& paths, const LoadOptions& o) {
  if (paths.size() == 1) return load_profile(paths[0], o);
  const size_t n = paths.size();
  const unsigned threads = std::min<unsigned>(thread_count(o), static_cast<unsigned>(n));
  const size_t window = 2 * static_cast<size_t>(threads);
  std::vector<std::optional<Result<Loaded>>> results(n);
  std::mutex mu;
  std::condition_variable changed;
  size_t next = 0;    // the first file no thread has claimed
  size_t merged = 0;  // files merged (and freed) so far
  bool stop = false;
  // Claims and decodes one file; false when none may be claimed now. Called with `lock` held.
  auto decode_one = [&](std::unique_lock<std::mutex>& lock) {
    if (stop || next >= n || next >= merged + window) return false;
    const size_t i = next++;
    lock.unlock();
    Result<Loaded> r = decode_file(paths[i], o, false);
    lock.lock();
    results[i] = std::move(r);
    changed.notify_all();
    return true;
  };
  auto worker = [&] {
    std::unique_lock<std::mutex> lock(mu);
    while (!stop && next < n) {
      if (!decode_one(lock)) changed.wait(lock);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  auto finish_pool = [&] {
    {
      std::lock_guard<std::mutex> lock(mu);
      stop = true;
    }
    changed.notify_all();
    for (std::thread& t : pool) t.join();
  };

  model::Merger merger;
  std::optional<model::Profile> first;  // the profile the others are checked against (pprof's rule)
  std::string first_name;
  Loaded out;
  for (size_t i = 0; i < n; ++i) {
    std::optional<Result<Loaded>> r;
    {
      std::unique_lock<std::mutex> lock(mu);
      while (!results[i]) {
        if (!decode_one(lock)) changed.wait(lock);
      }
      r = std::move(results[i]);
      results[i].reset();
    }
    Status s = *r ? model::check_mergeable(first ? *first : (*r)->profile, first_name, (*r)->profile, (*r)->input.name)
                  : Status(r->error());
    if (!s) {
      finish_pool();
      return s.error();
    }
    Loaded& in = **r;
    if (Status added = merger.add(in.profile, in.input.name); !added) {
      finish_pool();
      return added.error();
    }
    out.input.file_bytes += in.input.file_bytes;
    out.input.raw_bytes += in.input.raw_bytes;
    out.input.gzipped = out.input.gzipped || in.input.gzipped;
    if (!first) {
      first_name = in.input.name;
      first = std::move(in.profile);  // kept: the sample and period types to check against
    }
    r.reset();
    {
      std::lock_guard<std::mutex> lock(mu);
      merged = i + 1;
    }
    changed.notify_all();
  }
  finish_pool();
  out.profile = merger.finish();
  out.input.name = fmt::format("{} profiles", n);
  if (Status s = symbolize_loaded(out.profile, out.input.name, o); !s) return s.error();
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
