// Text helpers shared by the label reports (traces, tags): Go's width rules
// and the label lines pprof prints for a sample. Private to report/.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pprofx/fold/view.h"
#include "pprofx/model/profile.h"

namespace pprofx::report {

// Characters as Go's fmt and text/tabwriter count them: runes, each byte of
// invalid UTF-8 counting as one.
size_t go_rune_count(std::string_view s);

// Go's fmt "%*s": s right-aligned in width runes.
std::string go_pad_left(std::string_view s, size_t width);

// A sample's labels as pprof's printTraces prints them: one "%10s:  v1 v2\n"
// line per string key (sorted), then one per numeric key (sorted, values in
// the key's unit). Keys and values are escaped as text (base::text_escaped).
// Keys the view hides (--tagshow / --taghide) are left out.
std::vector<std::string> sample_label_lines(const model::Profile& p, const fold::View& view, const model::Sample& s,
                                            const std::map<std::string, std::string, std::less<>>& units);

// Go's text/tabwriter with minwidth 0, tabwidth 0, padding 1, padchar ' ' and
// AlignRight, the layout of pprof's -tags: cells end at '\t', lines at '\n';
// a column's cells are right-aligned over each run of lines that have it.
std::string go_tabwriter_align_right(std::string_view text);

}  // namespace pprofx::report
