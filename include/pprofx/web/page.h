// `pprofx web`: one self-contained HTML page to explore a profile. The page
// embeds the profile's stacks (after its drop_frames) compactly and refines
// them in the browser with pprof's filter semantics (web/model.js).
#pragma once

#include <cstddef>
#include <string>

#include "pprofx/base/result.h"
#include "pprofx/model/profile.h"

namespace pprofx::web {

struct DataOptions {
  std::string name;             // the input as shown (its file name, or the URL)
  size_t stack_budget = 250000;  // distinct (stack, labels) pairs embedded, heaviest first; 0: all
  bool all_frames = false;      // --all-frames: the profile's drop_frames not applied
};

// The page's data (docs/web.md has the schema) as JSON whose strings have
// <, >, & and U+2028/U+2029 escaped, so it can sit in a <script> element
// whatever the names hold; invalid UTF-8 is replaced by U+FFFD. Errors: a
// sum of values past int64.
Result<std::string> page_data(const model::Profile& p, const DataOptions& o);

struct PageOptions {
  DataOptions data;
  std::string title;          // the tab title (escaped here)
  std::string initial_state;  // the URL-hash state the page opens with when its URL has none ("" = defaults)
};

// The whole HTML file: the page's code and style inline, the data, no
// network access (a Content-Security-Policy says so to the browser).
Result<std::string> page_html(const model::Profile& p, const PageOptions& o);

}  // namespace pprofx::web
