// pprof's -tagfocus / -tagignore expressions.
//   "regex"          some string label "key:value" matches (all of r1,r2,... must)
//   "key=r1,r2"      some value of key matches one of the regexes
//   "32kb", ":64kb", "4mb:", "12kb:64mb"  numeric range, optionally "key=range"
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "pprofx/base/result.h"
#include "pprofx/model/profile.h"

namespace pprofx::fold {

using SamplePredicate = std::function<bool(const model::Sample&)>;

// `option` names the flag in error messages ("tagfocus"). A note for the user
// (pprof's "Interpreted '...' as range") is stored in *note.
// Units of numeric label keys, as pprof's Profile.NumLabelUnits: the first
// unit seen for a key; else "bytes" for request/alignment, else the key.
std::map<std::string, std::string, std::less<>> num_label_units(const model::Profile& p);

Result<SamplePredicate> compile_tag_filter(const model::Profile& p, std::string_view option,
                                           std::string_view expr, std::string* note);

}  // namespace pprofx::fold
