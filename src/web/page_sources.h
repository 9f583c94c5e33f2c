// The page's source view data (--source-path): pprofx list's source lines of
// the sampled functions, for the page to list with numbers it computes itself.
#pragma once

#include <string>

#include "pprofx/base/result.h"
#include "pprofx/model/profile.h"
#include "pprofx/web/page.h"

namespace pprofx::web {

// Appends ,"sources":{"routines":[...],"omitted":N,"sourcePath":S,"trimPath":S}
// (docs/web.md has the schema): per function and source file (pprof's
// ROUTINE), the lines pprofx list shows for any sample type, as it prints
// them (text_escaped), with the page's function ids that belong to it. The
// heaviest routines (largest cum share of any type) first, within max_bytes.
Status write_sources(const model::Profile& p, const DataOptions& o, std::string& out);

}  // namespace pprofx::web
