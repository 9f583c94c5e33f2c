#include "stacks_input.h"

#include <fmt/format.h>

#include <optional>

#include "load.h"
#include "pprofx/decode/decode.h"
#include "pprofx/fold/view.h"
#include "pprofx/io/input.h"

namespace pprofx::cli {

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

Result<LoadedInput> load_input(const std::vector<std::string>& paths, const LoadOptions& load, bool reverse) {
  LoadedInput in;
  const std::string& path = paths.front();
  in.name = path == "-" ? "<stdin>" : path;
  if (paths.size() > 1) {
    // Several inputs are pprof profiles, merged (the decoder refuses text clearly).
    auto loaded = load_profiles(paths, load);
    if (!loaded) return loaded.error();
    in.profile = std::move(loaded->profile);
    in.name = loaded->input.name;
    return in;
  }
  auto src = read_source(path, load, true);
  if (!src) return src.error();
  in.name = src->name;
  if (looks_folded(src->bytes.data)) {
    auto trie = fold::parse_folded(src->bytes.data, in.name, reverse);
    if (!trie) return trie.error();
    in.folded = std::move(*trie);
    return in;
  }
  auto decoded = decode::decode_any(src->bytes.data, in.name);
  if (!decoded) return decoded.error();
  std::string().swap(src->bytes.data);
  save_fetched(*src, *decoded, load);
  warn_soft_problems(in.name, *decoded);
  if (Status st = symbolize_loaded(*decoded, in.name, load); !st) return st.error();
  in.profile = std::move(*decoded);
  return in;
}

Result<PreparedFold> prepare_fold(const model::Profile& profile, const std::string& name, const ReportArgs& args,
                                  const std::string* sample_index_override, fold::TrieOptions shape) {
  fold::Filters filters;
  std::string sample_index;
  bool mean = false, noinlines = false;
  fold::Granularity granularity;
  if (Status s = apply_report_args(args, &filters, &sample_index, &mean, &granularity, &noinlines); !s) {
    return s.error();
  }
  if (mean) return Error{"--mean applies to top only (a flame graph's widths must add up)"};
  if (sample_index_override != nullptr) sample_index = *sample_index_override;
  auto value = fold::choose_value(profile, sample_index, false);
  if (!value) return Error{fmt::format("{}: {}", name, value.error().message)};
  auto view = fold::build_view(profile, filters);
  if (!view) return Error{fmt::format("{}: {}", name, view.error().message)};
  for (const std::string& w : view->warnings) fmt::print(stderr, "pprofx: warning: {}\n", w);
  shape.granularity = granularity;
  shape.noinlines = noinlines;
  shape.value = *value;
  return PreparedFold{std::move(*view), shape};
}

Result<fold::StackTrie> fold_profile(const model::Profile& profile, const std::string& name, const ReportArgs& args,
                                     const std::string* sample_index_override, fold::TrieOptions shape,
                                     fold::ValueChoice* chosen) {
  auto prepared = prepare_fold(profile, name, args, sample_index_override, shape);
  if (!prepared) return prepared.error();
  *chosen = prepared->options.value;
  return fold::build_trie(prepared->view, prepared->options);
}

Status refuse_details_for_folded(const LoadedInput& in, const ReportArgs& args, bool pivot) {
  if (!in.folded) return Ok{};
  if (args.filters.any() || !args.sample_index.empty()) {
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

Result<StacksInput> load_stacks(const std::vector<std::string>& paths, const LoadOptions& load, const ReportArgs& args,
                                bool reverse, double min_fraction, size_t frame_budget) {
  auto loaded = load_input(paths, load, reverse);
  if (!loaded) return loaded.error();
  if (Status s = refuse_details_for_folded(*loaded, args, false); !s) return s.error();
  StacksInput in;
  in.name = loaded->name;
  if (loaded->folded) {
    in.trie = std::move(*loaded->folded);
    in.type = "samples";
    in.unit = "count";
    in.folded = true;
    return in;
  }
  fold::ValueChoice value;
  fold::TrieOptions shape;
  shape.reverse = reverse;
  shape.min_fraction = min_fraction;
  shape.frame_budget = frame_budget;
  auto trie = fold_profile(*loaded->profile, in.name, args, nullptr, shape, &value);
  if (!trie) return trie.error();
  in.trie = std::move(*trie);
  in.type = value.type;
  in.unit = value.unit;
  in.duration_nanos = loaded->profile->duration_nanos;
  return in;
}

}  // namespace pprofx::cli
