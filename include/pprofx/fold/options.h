// What to fold and how: pprof's sample-type choice, filters and granularity.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pprofx/base/result.h"
#include "pprofx/model/profile.h"

namespace pprofx::fold {

enum class Granularity { kFunctions, kFileFunctions, kFiles, kLines, kAddresses };

Result<Granularity> parse_granularity(std::string_view name);
std::string_view granularity_name(Granularity g);

// Filters with pprof's semantics (RE2 syntax, unanchored search). Empty = off.
struct Filters {
  std::string focus;       // keep samples with a frame matching
  std::string ignore;      // drop samples with a frame matching
  std::string hide;        // remove matching frames
  std::string show;        // keep only matching frames
  std::string show_from;   // drop frames above the highest match
  std::string prune_from;  // drop frames below the lowest match
  std::string tag_focus;   // keep samples whose labels match
  std::string tag_ignore;  // drop samples whose labels match
  std::string tag_show;    // keep only labels whose key matches (pprof's -tagshow)
  std::string tag_hide;    // drop labels whose key matches (pprof's -taghide)
  bool all_frames = false;            // ignore the profile's drop_frames/keep_frames
  bool relative_percentages = false;  // percentages of the focused subset
  bool any() const {
    return !focus.empty() || !ignore.empty() || !hide.empty() || !show.empty() ||
           !show_from.empty() || !prune_from.empty() || !tag_focus.empty() || !tag_ignore.empty() ||
           !tag_show.empty() || !tag_hide.empty();
  }
  // The regexp filters by pprof's flag names, in the order of top's "Active filters:"
  // (prune_from is not one pprof lists there); empty ones too.
  template <typename Visit>
  void for_each_named(Visit visit) const {
    visit("focus", focus);
    visit("ignore", ignore);
    visit("hide", hide);
    visit("show", show);
    visit("show_from", show_from);
    visit("tagfocus", tag_focus);
    visit("tagignore", tag_ignore);
    visit("tagshow", tag_show);
    visit("taghide", tag_hide);
  }
};

// What a report folds: filters, the sample type, the granularity.
struct Selection {
  Filters filters;
  std::string sample_index;  // a type name or a number; "" = the profile's default (NEW's, in comparisons)
  Granularity granularity = Granularity::kFunctions;
  bool noinlines = false;
};

// The value a report shows: one sample type, optionally divided by the count
// (sample type 0) as pprof's -mean does.
struct ValueChoice {
  size_t index = 0;
  bool mean = false;
  std::string type;  // display name ("cpu", "mean_delay")
  std::string unit;  // the sample type's unit
};

// pprof's -sample_index: "" = default_sample_type or else the last; a number;
// or a type name (an "inuse_" prefix may be dropped to match old profiles).
Result<ValueChoice> choose_value(const model::Profile& p, std::string_view sample_index, bool mean);

// Index of the default sample type (pprof's rule).
size_t default_sample_index(const model::Profile& p);

}  // namespace pprofx::fold
