// `pprofx web`: one self-contained HTML page to explore a profile. The page
// embeds the profile's stacks (after its drop_frames) compactly and refines
// them in the browser with pprof's filter semantics (web/model.js).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "pprofx/base/result.h"
#include "pprofx/model/profile.h"

namespace pprofx::web {

// pprofx check's verdict, shown above the views of the page check --report
// x.html writes: the text report as the terminal gets it (no colour).
struct Verdict {
  std::string text;
  bool regressed = false;
};

// --source-path: the source lines of the sampled functions embedded for the
// page's source view, found as pprofx list finds them (report/list.h).
struct SourceOptions {
  std::string source_path;  // pprof's -source_path: DIR:DIR ("" = the current directory)
  std::string trim_path;    // pprof's -trim_path
  size_t max_bytes = size_t{4} << 20;  // text embedded at most: the heaviest functions (by cum share) first
};

struct DataOptions {
  std::string name;             // the input as shown (its file name, or the URL)
  size_t stack_budget = 250000;  // distinct (stack, labels) pairs embedded, heaviest first; 0: all
  bool all_frames = false;      // --all-frames: the profile's drop_frames not applied
  bool lines = true;            // also the frames at line granularity (the page's granularity menu)
  unsigned threads = 2;         // 1: all on one thread (--threads 1); else the frame tables on a second one
  std::optional<Verdict> verdict;  // single page only: "check":{"text","regressed"} (a diff page's is DiffDataOptions')
  std::optional<SourceOptions> sources;  // single page only: "sources":{...}
};

// kJson: the .json file's form, every integer array a base64 string.
// kBinary: the HTML page's (compressed there): the JSON with each integer
// array written {"bin":[offset,length]}, a NUL byte, then the arrays' bytes.
enum class DataForm { kJson, kBinary };

// The page's data (docs/web.md has the schema) as JSON whose strings have
// <, >, & and U+2028/U+2029 escaped, so it can sit in a <script> element
// whatever the names hold; invalid UTF-8 is replaced by U+FFFD. Errors: a
// sum of values past int64.
Result<std::string> page_data(const model::Profile& p, const DataOptions& o, DataForm form = DataForm::kJson);

struct PageOptions {
  DataOptions data;
  std::string title;          // the tab title (escaped here)
  std::string initial_state;  // the URL-hash state the page opens with when its URL has none ("" = defaults)
};

// The whole HTML file: the page's code and style inline, the data, no
// network access (a Content-Security-Policy says so to the browser).
Result<std::string> page_html(const model::Profile& p, const PageOptions& o);

// Diff mode (`pprofx web BASE NEW`, `diff -o d.html`): a sample type both
// profiles have (same name and unit), with what the page cannot compute
// from the embedded stacks: each side's estimated sample count over every
// sample (diff::estimated_count, the noise bound) and pprofx diff's defaults
// for the type (--normalize, --color-by, rows per stack).
struct TypePair {
  std::string type, unit;
  size_t base_index = 0, new_index = 0;
  int64_t base_count = 0, new_count = 0;
  std::string normalize, color_by;
  bool by_stack = false;  // diff's default is --by stack (the page shows --by function)
};

struct DiffDataOptions {
  DataOptions base, next;
  std::vector<TypePair> pairs;  // in NEW's order of types
  int default_pair = -1;        // NEW's default type's pair (-1: BASE lacks it)
  double min_width_px = 0.1, image_width = 1200;  // the SVG's defaults: the frames its colours are scaled over
  std::optional<Verdict> verdict;                 // check --report x.html
};

// Both sides' data over one string table: {"version":1,"diff":{...},"sides":[BASE, NEW],"strings":[...]}
// (docs/web.md); errors start with "BASE: " or "NEW: ".
Result<std::string> diff_page_data(const model::Profile& base, const model::Profile& next, const DiffDataOptions& o,
                                   DataForm form = DataForm::kJson);

struct DiffPageOptions {
  DiffDataOptions data;
  std::string title, initial_state;
};
Result<std::string> diff_page_html(const model::Profile& base, const model::Profile& next, const DiffPageOptions& o);

}  // namespace pprofx::web
