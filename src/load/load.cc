#include "pprofx/load/load.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "pprofx/base/memory.h"
#include "pprofx/base/strings.h"
#include "pprofx/decode/decode.h"
#include "pprofx/decode/sniff.h"
#include "pprofx/io/fetch.h"
#include "pprofx/io/gzip.h"
#include "pprofx/io/output.h"
#include "pprofx/model/merge.h"

namespace pprofx::load {
namespace {

void say(const std::function<void(const std::string&)>& to, const std::string& line) {
  if (to) to(line);
}

// A piece of a saved profile's file name taken from the profile (a binary's
// base name, a sample type): control characters, space and the characters
// file systems or shells treat specially (/ \ : * ? " < > |) become '_', so
// the name stays one plain component inside the save directory. The name
// always starts with "pprof.", so it is never "." or ".." nor hidden.
std::string name_piece(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || std::string_view("/\\:*?\"<>|").find(c) != std::string_view::npos) c = '_';
  }
  return out;
}

// At most max bytes of prefix, cut before a UTF-8 continuation byte.
std::string cut_name(std::string prefix, size_t max) {
  if (prefix.size() <= max) return prefix;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(prefix[n]) & 0xC0) == 0x80) --n;
  prefix.resize(n);
  return prefix;
}

}  // namespace

unsigned thread_count(const Options& o) {
  return o.threads != 0 ? o.threads : std::max(1u, std::thread::hardware_concurrency());
}

unsigned graph_threads(const Options& o) { return std::min(2u, thread_count(o)); }

namespace {

decode::ReadOptions read_options(const Options& o);

// The bytes as the decoder takes them. A gzip input's first bytes are
// looked at before it is inflated, so that garbage is refused at once;
// with `stream`, a large one is left inflating on its own thread.
Result<io::ProfileBytes> prepare_bytes(std::string raw, const std::string& name, const Options& o, bool stream) {
  if (io::is_gzip(raw)) {
    if (auto refused = decode::refuse_early(io::gunzip_prefix(raw, decode::kEarlyPrefix), name)) return *refused;
    const uint64_t file_bytes = raw.size();
    if (stream) {
      if (auto arriving = io::InflatingBuffer::start(raw, o.max_size)) {
        io::ProfileBytes b;
        b.file_bytes = file_bytes;
        b.gzipped = true;
        b.arriving = std::move(arriving);
        return b;
      }
    }
  }
  return io::profile_bytes(std::move(raw), name, o.max_size);
}

// Bytes still arriving made whole: those inflated if they arrived as
// announced, else the compressed bytes inflated as usual (which says what
// is wrong with them), read again from the file `name` if they came from it.
Status make_whole(io::ProfileBytes& b, const std::string& name, const Options& o) {
  if (b.arriving == nullptr) return Ok{};
  std::unique_ptr<io::InflatingBuffer> arriving = std::move(b.arriving);
  if (arriving->complete()) {
    b.data = arriving->take_inflated();
    return Ok{};
  }
  std::optional<std::string> compressed = arriving->take_compressed();
  arriving.reset();
  if (!compressed) {
    auto raw = io::read_input(name, o.max_size);
    if (!raw) return raw.error();
    compressed = std::move(*raw);
  }
  auto again = io::profile_bytes(std::move(*compressed), name, o.max_size);
  if (!again) return again.error();
  b.data = std::move(again->data);
  return Ok{};
}

// decode_any of the bytes, decoding while they inflate when they arrive;
// the samples on two threads unless --threads 1.
Result<model::Profile> decode_bytes(io::ProfileBytes& b, const std::string& name, const Options& o) {
  decode::Limits limits;
  limits.threads = graph_threads(o);
  if (b.arriving != nullptr) {
    if (auto decoded = decode::decode_arriving(*b.arriving, name, limits, read_options(o))) {
      b.arriving.reset();
      return std::move(*decoded);
    }
    if (Status s = make_whole(b, name, o); !s) return s.error();
  }
  return decode::decode_any(b.data, name, limits, read_options(o));
}

// Only one input is decoded at a time, and two threads are allowed.
bool streams(const Options& o) { return o.decode_while_inflating && thread_count(o) >= 2; }

}  // namespace

Result<Source> read_source(const std::string& path, const Options& o, bool progress, bool stream) {
  Source src;
  src.name = path == "-" ? "<stdin>" : path;
  memory::set_subject(src.name);  // named if the heap bound is reached
  std::string url;
  int seconds = 0;
  double timeout = 0;
  io::FetchOptions fo;
  fo.seconds = o.seconds;
  fo.timeout = o.timeout;
  fo.max_bytes = o.max_size;
  if (progress) fo.progress = o.diag.progress;
  // Streams (pipes, stdin, HTTP bodies) stop at garbage's first bytes, before the size cap.
  const io::PrefixCheck garbage{decode::kEarlyPrefix, [](std::string_view b) { return decode::early_refusal(b); }};
  fo.check = garbage;
  struct stat st;
  if (path != "-" && ::stat(path.c_str(), &st) != 0) url = io::profile_url(path, fo, &seconds, &timeout);
  if (url.empty()) {
    auto raw = io::read_input(path, o.max_size, garbage);
    if (!raw) return raw.error();
    auto bytes = prepare_bytes(std::move(*raw), src.name, o, stream);
    if (!bytes) return bytes.error();
    src.bytes = std::move(*bytes);
    return src;
  }
  src.name = url;
  src.url = true;
  memory::set_subject(url);
  auto fetched = io::fetch_url(url, seconds, timeout, fo);
  if (!fetched) return Error{fmt::format("{}: {}", url, fetched.error().message)};
  if (!o.save_dir.empty() || o.keep_fetched) src.fetched = fetched->body;  // a second copy only when needed
  auto bytes = prepare_bytes(std::move(fetched->body), url, o, stream);
  if (!bytes) return bytes.error();
  src.bytes = std::move(*bytes);
  return src;
}

std::string save_name_prefix(const model::Profile& p) {
  std::string prefix = "pprof.";
  if (!p.mappings.empty() && !p.str(p.mappings[0].filename).empty()) {
    prefix += name_piece(base_name(p.str(p.mappings[0].filename))) + ".";
  }
  for (const auto& t : p.sample_types) prefix += name_piece(p.str(t.type)) + ".";
  // NAME_MAX (255) with the longest suffix ("9999.pb.gz") still fits.
  return cut_name(std::move(prefix), 255 - 10);
}

std::string save_fetched(const Source& src, const model::Profile& p, const Options& o) {
  if (src.fetched.empty() || o.save_dir.empty()) return {};
  std::error_code ec;
  std::filesystem::create_directories(o.save_dir, ec);
  const std::string prefix = save_name_prefix(p);
  const std::string data = io::is_gzip(src.fetched) ? src.fetched : io::gzip(src.fetched);
  for (int i = 1; i < 10000; ++i) {
    const std::string path = (std::filesystem::path(o.save_dir) / fmt::format("{}{:03}.pb.gz", prefix, i)).string();
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 && errno == EEXIST) continue;
    if (fd < 0) break;
    ::close(fd);  // the name is reserved; written atomically over it
    if (Status s = io::write_output(path, data); !s) {
      say(o.diag.warning, fmt::format("could not save profile: {}", s.error().message));
      return {};
    }
    say(o.diag.notice, fmt::format("saved profile in {}", path));
    return path;
  }
  say(o.diag.warning, fmt::format("could not save profile in {}: {}", o.save_dir,
                                  ec ? ec.message() : std::string(std::strerror(errno))));
  return {};
}

Result<symbolize::Options> symbolize_options(const Options& o) {
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
  return so;
}

namespace {

// A Go debug=1 dump's "#" lines name its frames unless a binary is given to
// symbolize its addresses or --symbolize=none asks for pprof's reading (addresses).
decode::ReadOptions read_options(const Options& o) {
  auto so = symbolize_options(o);
  return {.dump_symbols = o.binary.empty() && so && so->mode != symbolize::Mode::kNone};
}

}  // namespace

Status symbolize_loaded(model::Profile& p, const std::string& name, const Options& o) {
  auto so = symbolize_options(o);
  if (!so) return so.error();
  const symbolize::Report r = symbolize::symbolize(p, *so);
  if (std::string s = symbolize::summary(r); !s.empty()) say(o.diag.warning, fmt::format("{}: {}", name, s));
  return Ok{};
}

Status transform_loaded(model::Profile& p, const std::string& name, const Options& o) {
  if (o.label_frames.any()) {
    auto matched = model::add_label_frames(p, o.label_frames);
    if (!matched) return Error{fmt::format("{}: {}", name, matched.error().message)};
    for (const std::string& w : model::label_frame_warnings(o.label_frames, *matched)) say(o.diag.warning, w);
  }
  if (o.divide_by != 1) {
    if (std::string e = model::divide_values(p, o.divide_by); !e.empty()) return Error{fmt::format("{}: {}", name, e)};
  }
  return Ok{};
}

std::string soft_problems(const std::string& name, const model::Profile& p) {
  if (p.dangling_mapping_refs == 0) return {};
  return fmt::format("{}: {} locations refer to mappings the profile does not define (treated as unmapped, as "
                     "pprof does)",
                     name, p.dangling_mapping_refs);
}

namespace {

// Whether read_source fetches path from a URL: it is not "-" nor an existing
// path, and it is a URL or pprof's host:port shorthand.
bool names_url(const std::string& path) {
  struct stat st;
  int seconds = 0;
  double timeout = 0;
  return path != "-" && ::stat(path.c_str(), &st) != 0 && !io::profile_url(path, {}, &seconds, &timeout).empty();
}

// A source read (and maybe still inflating) decoded, as load_profile does.
Result<Loaded> decode_source(Result<Source> src, const Options& o) {
  if (!src) return src.error();
  Loaded out;
  out.input.name = src->name;
  out.input.file_bytes = src->bytes.file_bytes;
  out.input.gzipped = src->bytes.gzipped;
  out.input.raw_bytes = src->bytes.size();
  auto decoded = decode_bytes(src->bytes, out.input.name, o);
  if (!decoded) return decoded.error();
  out.profile = std::move(*decoded);
  save_fetched(*src, out.profile, o);
  return out;
}

Result<Loaded> finish_load(Result<Source> src, const Options& o) {
  auto loaded = decode_source(std::move(src), o);
  if (!loaded) return loaded;
  if (Status s = symbolize_loaded(loaded->profile, loaded->input.name, o); !s) return s.error();
  if (Status s = transform_loaded(loaded->profile, loaded->input.name, o); !s) return s.error();
  return loaded;
}

}  // namespace

Result<Loaded> load_profile(const std::string& path, const Options& o) {
  return finish_load(read_source(path, o, true, streams(o)), o);
}

namespace {

// A regular file read ahead of its use (beside another profile): a large
// gzip member is inflated from the file a window at a time on a thread of
// its own, its compressed bytes never held whole (io::InflatingBuffer::
// start_file), its first bytes judged as prepare_bytes judges them; anything
// else is read as read_source reads it.
Result<Source> read_ahead(const std::string& path, const Options& o) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st{};
  if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
      static_cast<uint64_t>(st.st_size) > o.max_size) {
    if (fd >= 0) ::close(fd);
    return read_source(path, o, true, streams(o));
  }
  const auto file_bytes = static_cast<uint64_t>(st.st_size);
  std::string head(static_cast<size_t>(std::min<uint64_t>(file_bytes, uint64_t{1} << 20)), '\0');
  const ssize_t got = ::pread(fd, head.data(), head.size(), 0);
  if (got != static_cast<ssize_t>(head.size()) || !io::is_gzip(head)) {
    ::close(fd);
    return read_source(path, o, true, streams(o));
  }
  memory::set_subject(path);
  if (auto refused = decode::refuse_early(io::gunzip_prefix(head, decode::kEarlyPrefix), path)) {
    ::close(fd);
    return *refused;
  }
  auto arriving = io::InflatingBuffer::start_file(fd, file_bytes, o.max_size);
  if (arriving == nullptr) {
    ::close(fd);
    return read_source(path, o, true, streams(o));
  }
  Source src;
  src.name = path;
  src.bytes.file_bytes = file_bytes;
  src.bytes.gzipped = true;
  src.bytes.arriving = std::move(arriving);
  return src;
}

bool regular_file(const std::string& p) {
  struct stat st;
  return p != "-" && ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// What a load said, kept to be said later in order: (kind, line), 0 a
// warning, 1 a notice (files have no progress line).
using Lines = std::vector<std::pair<int, std::string>>;
Options buffered(const Options& o, Lines& lines) {
  Options b = o;
  b.diag.warning = [&lines](const std::string& s) { lines.emplace_back(0, s); };
  b.diag.notice = [&lines](const std::string& s) { lines.emplace_back(1, s); };
  b.diag.progress = nullptr;
  return b;
}
void replay(const Lines& lines, const Options& o) {
  for (const auto& [kind, line] : lines) say(kind == 0 ? o.diag.warning : o.diag.notice, line);
}

}  // namespace

Result<std::pair<Loaded, Loaded>> load_pair(const std::string& first, const std::string& second, const Options& o) {
  if (thread_count(o) < 2 || !regular_file(first) || !regular_file(second)) {
    auto a = load_profile(first, o);
    if (!a) return a.error();
    auto b = load_profile(second, o);
    if (!b) return b.error();
    return std::pair{std::move(*a), std::move(*b)};
  }
  Lines first_lines, second_lines;
  const Options first_options = buffered(o, first_lines), second_options = buffered(o, second_lines);
  std::optional<Result<Loaded>> b;
  std::thread t([&] { b.emplace(load_profile(second, second_options)); });
  Result<Loaded> a = load_profile(first, first_options);
  t.join();
  replay(first_lines, o);
  replay(second_lines, o);
  if (!a) return a.error();
  if (!*b) return b->error();
  return std::pair{std::move(*a), std::move(**b)};
}

Status load_each(const std::string& first, const std::string& second, const Options& o,
                 const std::function<Status(Loaded&&, int)>& use) {
  if (!regular_file(first) || !regular_file(second)) {
    auto pair = load_pair(first, second, o);
    if (!pair) return pair.error();
    Loaded a = std::move(pair->first);
    if (Status s = use(std::move(pair->second), 1); !s) return s;
    return use(std::move(a), 0);
  }
  Lines first_lines, second_lines;
  const Options first_options = buffered(o, first_lines);
  std::optional<Error> second_error;
  std::string second_name;
  // first read (on a thread of its own) and left inflating while second is used
  std::future<Result<Source>> first_read;
  {
    Result<Loaded> b = load_profile(second, buffered(o, second_lines));
    if (b) {
      second_name = b->input.name;
      if (streams(o)) {
        first_read = std::async(std::launch::async, [&] { return read_ahead(first, first_options); });
      }
      if (Status s = use(std::move(*b), 1); !s) second_error = s.error();
    } else {
      second_error = b.error();
    }
  }  // second is freed (use kept what it needs)
  memory::set_subject(first);
  Result<Loaded> a =
      first_read.valid() ? finish_load(first_read.get(), first_options) : load_profile(first, first_options);
  replay(first_lines, o);
  replay(second_lines, o);
  if (!a) return a.error();
  if (second_error) return *second_error;
  memory::set_subject(second_name);  // as after load_pair: what is built from here on is second's
  return use(std::move(*a), 0);
}

// Decoding runs on o.threads threads at most `window` files ahead of the
// merge, which takes the files in command-line order as they are ready (and
// decodes the next unclaimed one itself while it waits): memory holds the
// merged profile plus a window of inputs.
Result<Loaded> load_profiles(const std::vector<std::string>& paths, const Options& o) {
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
    Result<Loaded> r = decode_source(read_source(paths[i], o, false), o);
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
  if (Status s = transform_loaded(out.profile, out.input.name, o); !s) return s.error();
  return out;
}

Result<LoadedInput> load_input(const std::vector<std::string>& paths, const Options& o, bool reverse) {
  LoadedInput in;
  const std::string& path = paths.front();
  in.name = path == "-" ? "<stdin>" : path;
  if (paths.size() > 1) {
    // Several inputs are pprof profiles, merged (the decoder refuses text clearly).
    auto loaded = load_profiles(paths, o);
    if (!loaded) return loaded.error();
    in.profile = std::move(loaded->profile);
    in.name = loaded->input.name;
    if (names_url(path)) in.save_prefix = save_name_prefix(*in.profile);
    return in;
  }
  auto src = read_source(path, o, true, streams(o));
  if (!src) return src.error();
  in.name = src->name;
  if (src->bytes.arriving != nullptr) {
    io::InflatingBuffer& arriving = *src->bytes.arriving;
    const size_t head = std::min(arriving.bytes().size(), decode::kEarlyPrefix);
    if (arriving.wait_for(head) < head ||
        decode::sniff(arriving.bytes().substr(0, head)).kind == decode::InputKind::kFolded) {
      if (Status s = make_whole(src->bytes, in.name, o); !s) return s.error();
    }
  }
  if (decode::sniff(src->bytes.data).kind == decode::InputKind::kFolded) {
    if (o.label_frames.any()) {
      return Error{fmt::format("{}: folded stacks have no labels; --tagroot and --tagleaf apply to pprof profiles",
                               in.name)};
    }
    if (o.divide_by != 1) return Error{fmt::format("{}: --divide-by applies to pprof profiles", in.name)};
    auto trie = fold::parse_folded(src->bytes.data, in.name, reverse);
    if (!trie) return trie.error();
    in.folded = std::move(*trie);
    if (src->url) in.save_prefix = save_name_prefix(model::Profile{});  // no binary, no types: "pprof."
    return in;
  }
  auto decoded = decode_bytes(src->bytes, in.name, o);
  if (!decoded) return decoded.error();
  std::string().swap(src->bytes.data);
  in.saved_path = save_fetched(*src, *decoded, o);
  if (src->url) in.save_prefix = save_name_prefix(*decoded);
  if (std::string w = soft_problems(in.name, *decoded); !w.empty()) say(o.diag.warning, w);
  if (Status st = symbolize_loaded(*decoded, in.name, o); !st) return st.error();
  if (Status st = transform_loaded(*decoded, in.name, o); !st) return st.error();
  in.profile = std::move(*decoded);
  return in;
}

}  // namespace pprofx::load

namespace pprofx::load {

Status refuse_details_for_folded(const LoadedInput& in, const fold::Selection& selection, bool pivot) {
  if (!in.folded) return Ok{};
  if (selection.filters.any() || !selection.sample_index.empty()) {
    return Error{fmt::format("{}: folded stacks have one value and no frame details; "
                             "filters and --sample-index apply to pprof profiles only",
                             in.name)};
  }
  if (pivot) {
    return Error{fmt::format("{}: --focus-function applies to pprof profiles (convert folded stacks with "
                             "pprofx convert first)",
                             in.name)};
  }
  return Ok{};
}

Result<Stacks> load_stacks(const std::vector<std::string>& paths, const Options& o, const fold::Selection& selection,
                           fold::TrieOptions shape) {
  auto loaded = load_input(paths, o, shape.reverse);
  if (!loaded) return loaded.error();
  if (Status s = refuse_details_for_folded(*loaded, selection, false); !s) return s.error();
  Stacks in;
  in.name = loaded->name;
  in.save_prefix = std::move(loaded->save_prefix);
  in.saved_path = std::move(loaded->saved_path);
  if (loaded->folded) {
    in.trie = std::move(*loaded->folded);
    in.type = "samples";
    in.unit = "count";
    in.folded = true;
    return in;
  }
  auto folded = fold::fold_profile(*loaded->profile, in.name, selection, shape);
  if (!folded) return folded.error();
  for (const std::string& w : folded->warnings) say(o.diag.warning, w);
  in.trie = std::move(folded->trie);
  in.type = folded->value.type;
  in.unit = folded->value.unit;
  in.duration_nanos = loaded->profile->duration_nanos;
  return in;
}

}  // namespace pprofx::load
