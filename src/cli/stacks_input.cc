#include "stacks_input.h"

#include <fmt/format.h>

#include <optional>

#include "load.h"
#include "pprofx/decode/decode.h"
#include "pprofx/fold/view.h"
#include "pprofx/io/input.h"

namespace pprofx::cli {
namespace {

// Folded stacks are text; profile.proto is binary from its first bytes (tags
// and lengths below 0x20). Legacy text profiles are left to the decoder.
bool looks_folded(std::string_view b) {
  if (b.empty() || !decode::legacy_format_name(b).empty()) return false;
  for (char c : b.substr(0, 4096)) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\n' && c != '\r' && c != '\t') return false;
  }
  return true;
}

}  // namespace

Result<StacksInput> load_stacks(const std::vector<std::string>& paths, const LoadOptions& load, const ReportArgs& args,
                                bool reverse, double min_fraction) {
  StacksInput in;
  const std::string& path = paths.front();
  in.name = path == "-" ? "<stdin>" : path;
  std::optional<model::Profile> merged;
  io::ProfileBytes bytes;
  Source src;
  if (paths.size() > 1) {
    // Several inputs are pprof profiles, merged (the decoder refuses text clearly).
    auto loaded = load_profiles(paths, load);
    if (!loaded) return loaded.error();
    merged = std::move(loaded->profile);
    in.name = loaded->input.name;
  } else {
    auto read = read_source(path, load, true);
    if (!read) return read.error();
    src = std::move(*read);
    in.name = src.name;
    bytes = std::move(src.bytes);
  }
  if (!merged && looks_folded(bytes.data)) {
    if (args.filters.any() || !args.sample_index.empty()) {
      return Error{fmt::format("{}: folded stacks have one value and no frame details; "
                               "filters and --sample-index apply to pprof profiles only",
                               in.name)};
    }
    auto trie = fold::parse_folded(bytes.data, in.name, reverse);
    if (!trie) return trie.error();
    in.trie = std::move(*trie);
    in.type = "samples";
    in.unit = "count";
    in.folded = true;
    return in;
  }
  if (!merged) {
    auto decoded = decode::decode_any(bytes.data, in.name);
    if (!decoded) return decoded.error();
    std::string().swap(bytes.data);
    save_fetched(src, *decoded, load);
    warn_soft_problems(in.name, *decoded);
    if (Status st = symbolize_loaded(*decoded, in.name, load); !st) return st.error();
    merged = std::move(*decoded);
  }
  model::Profile* profile = &*merged;
  fold::Filters filters;
  std::string sample_index;
  bool mean = false, noinlines = false;
  fold::Granularity granularity;
  if (Status s = apply_report_args(args, &filters, &sample_index, &mean, &granularity, &noinlines); !s) {
    return s.error();
  }
  if (mean) return Error{"--mean applies to top only (a flame graph's widths must add up)"};
  auto value = fold::choose_value(*profile, sample_index, false);
  if (!value) return Error{fmt::format("{}: {}", in.name, value.error().message)};
  auto view = fold::build_view(*profile, filters);
  if (!view) return Error{fmt::format("{}: {}", in.name, view.error().message)};
  for (const std::string& w : view->warnings) fmt::print(stderr, "pprofx: warning: {}\n", w);
  in.trie = fold::build_trie(*view, {granularity, noinlines, *value, reverse, min_fraction});
  in.type = value->type;
  in.unit = value->unit;
  in.duration_nanos = profile->duration_nanos;
  return in;
}

}  // namespace pprofx::cli
