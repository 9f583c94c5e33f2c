#include "options_common.h"

#include <fmt/format.h>

namespace pprofx::cli {

void add_report_options(CLI::App& cmd, ReportArgs& a) {
  cmd.add_option("--sample-index,--si", a.sample_index,
                 "Sample type to show: a name (cpu, alloc_space, ...) or a 0-based index "
                 "(default: the profile's default_sample_type, else the last)");
  cmd.add_flag("--mean", a.mean, "Divide values by the sample count (mean delay of contention profiles)");
  cmd.add_option("--granularity,-g", a.granularity, "functions, filefunctions, files, lines or addresses")
      ->capture_default_str();
  for (const char* g : {"functions", "filefunctions", "files", "lines", "addresses"}) {
    cmd.add_flag_function(std::string("--") + g, [&a, g](int64_t) { a.granularity_flag = g; },
                          fmt::format("Same as --granularity={}", g));
  }
  cmd.add_flag("--noinlines", a.noinlines, "Charge inlined frames to the function they were inlined into");
  cmd.add_option("--focus", a.filters.focus, "Keep samples with a frame matching this regex");
  cmd.add_option("--ignore", a.filters.ignore, "Drop samples with a frame matching this regex");
  cmd.add_option("--hide", a.filters.hide, "Remove frames matching this regex from stacks");
  cmd.add_option("--show", a.filters.show, "Keep only frames matching this regex");
  cmd.add_option("--show-from", a.filters.show_from, "Drop frames above the highest frame matching this regex");
  cmd.add_option("--prune-from", a.filters.prune_from, "Drop frames below the lowest frame matching this regex");
  cmd.add_option("--tagfocus", a.filters.tag_focus, "Keep samples whose labels match (regex, key=regex, or range)");
  cmd.add_option("--tagignore", a.filters.tag_ignore, "Drop samples whose labels match");
  cmd.add_flag("--relative-percentages", a.filters.relative_percentages,
               "Percentages of the focused samples instead of the whole profile");
  cmd.add_flag("--all-frames", a.filters.all_frames, "Ignore the profile's drop_frames/keep_frames");
  // pprof's legacy value flags.
  for (auto [flag, index] : {std::pair{"--inuse-space", "inuse_space"}, std::pair{"--inuse-objects", "inuse_objects"},
                             std::pair{"--alloc-space", "alloc_space"}, std::pair{"--alloc-objects", "alloc_objects"},
                             std::pair{"--total-delay", "delay"}, std::pair{"--contentions", "contentions"}}) {
    std::string idx = index;
    cmd.add_flag_function(flag, [&a, idx](int64_t) { if (a.legacy_sample_index.empty()) a.legacy_sample_index = idx; },
                          fmt::format("Same as --sample-index={}", idx))
        ->group("pprof aliases");
  }
  cmd.add_flag_function("--mean-delay", [&a](int64_t) {
        if (a.legacy_sample_index.empty()) a.legacy_sample_index = "delay";
        a.mean = true;
      }, "Same as --mean --sample-index=delay")
      ->group("pprof aliases");
}

Status apply_report_args(const ReportArgs& a, fold::Filters* filters, std::string* sample_index, bool* mean,
                         fold::Granularity* granularity, bool* noinlines) {
  *filters = a.filters;
  *sample_index = a.sample_index.empty() ? a.legacy_sample_index : a.sample_index;
  *mean = a.mean;
  *noinlines = a.noinlines;
  auto g = fold::parse_granularity(a.granularity_flag.empty() ? a.granularity : a.granularity_flag);
  if (!g) return g.error();
  *granularity = *g;
  return Ok{};
}

}  // namespace pprofx::cli

namespace pprofx::cli {

Status parse_min_width(const std::string& text, double* value, bool* percent) {
  std::string mw = text;
  *percent = !mw.empty() && mw.back() == '%';
  if (*percent) mw.pop_back();
  try {
    size_t used = 0;
    *value = std::stod(mw, &used);
    if (used != mw.size() || *value < 0) throw std::invalid_argument("");
  } catch (const std::exception&) {
    return Error{fmt::format("--minwidth \"{}\": expected pixels (0.1) or a percentage (0.5%)", text)};
  }
  return Ok{};
}

Status to_diff_options(const ReportArgs& args, fold::DiffOptions* o) {
  bool mean = false;
  if (Status s = apply_report_args(args, &o->filters, &o->sample_index, &mean, &o->granularity, &o->noinlines); !s) {
    return s;
  }
  if (mean) return Error{"--mean does not apply to comparisons"};
  return Ok{};
}

}  // namespace pprofx::cli
