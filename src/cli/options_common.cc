#include "options_common.h"

#include "pprofx/diff/ops.h"
#include "pprofx/io/input.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cctype>
#include <cmath>
#include <charconv>
#include <cstdio>
#include <string_view>

#include "commands.h"
#include "pprofx/base/memory.h"
#include "pprofx/base/strings.h"
#include "pprofx/model/units.h"

namespace pprofx::cli {

// "123", "512M", "512MB", "1.5G", "64KiB", "2gigabytes": a number and one of
// pprof's byte units (model/units.h, powers of 1024); a bare K, M, G, T and
// the IEC "KiB" spellings are taken as those units.
bool parse_byte_size(std::string_view text, uint64_t* out) {
  const size_t digits_end = text.find_first_not_of("0123456789.");
  const std::string_view number = text.substr(0, digits_end);
  std::string unit(digits_end == std::string_view::npos ? "" : text.substr(digits_end));
  double value = 0;
  if (number.empty() || number.front() == '.') return false;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc() || end != number.data() + number.size()) return false;
  for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (unit.size() == 3 && unit[1] == 'i' && unit[2] == 'b') unit.erase(1, 1);  // "kib" -> "kb"
  if (unit.size() == 1 && std::string_view("kmgtp").find(unit[0]) != std::string_view::npos) unit += 'b';
  if (unit.empty()) unit = "b";
  if (!model::is_known_unit(unit) || !model::same_unit_kind(unit, "bytes")) return false;
  value *= model::scale(1, unit, "bytes").value;
  if (!(value < 1.8e19)) return false;
  *out = static_cast<uint64_t>(value);
  return true;
}

void add_load_options(CLI::App& cmd, load::Options& o) {
  cmd.add_option("--max-size", o.max_size, "Refuse profiles larger than this many bytes once decompressed")
      ->capture_default_str();
  cmd.add_option_function<std::string>(
         "--max-memory",
         [](const std::string& text) {
           uint64_t bytes = 0;
           if (!parse_byte_size(text, &bytes)) {
             throw CLI::ValidationError("--max-memory", "\"" + text + "\" is not a size such as 512M, 2G or 0");
           }
           memory::set_fixed_limit(bytes);
         },
         "Refuse to use more heap than this (512M, 2GB, 64KiB: powers of 1024; 0: no bound). Default: 3x the "
         "profile data read (decompressed) plus 128 MiB")
      ->type_name("SIZE");
  cmd.add_option("--threads", o.threads,
                 "Threads for decoding several profiles and for symbolizing; 1 also decodes, inflates and builds the "
                 "call graph on one thread (default: one per core)");
  cmd.add_option("--symbolize", o.symbolize,
                 "auto: resolve addresses of binaries without names, from local ELF files; none: no symbolization "
                 "and no demangling; force: re-symbolize every binary (pprof's forms work too: local:force, "
                 "demangle=full, ...)")
      ->capture_default_str()
      ->check(
          [](const std::string& value) {
            load::Options probe;
            probe.symbolize = value;
            auto so = load::symbolize_options(probe);  // the same reader as the load, as a usage error
            if (so) return std::string();
            std::string m = so.error().message;  // CLI11 puts the option's name first itself
            return m.rfind("--symbolize: ", 0) == 0 ? m.substr(13) : m;
          },
          "");  // no type name: the help keeps TEXT=auto
  cmd.add_option("--demangle", o.demangle,
                 "C++/Rust names: default (no parameters or templates), templates, full, none; implies re-demangling")
      ->check(CLI::IsMember({"default", "templates", "full", "none"}));
  cmd.add_option("--binary-path", o.binary_path,
                 "Directory to look for binaries in (repeatable; searched before PPROF_BINARY_PATH, with pprof's "
                 "layouts: DIR/BUILDID/NAME, DIR/NAME, DIR/PATH, DIR/usr/lib/debug/...)");
  cmd.add_option("--binary", o.binary, "The profiled program's binary (for the profile's main mapping)");
  cmd.add_option("--seconds", o.seconds, "For URLs: collect a CPU profile for this many seconds (sets ?seconds=N)")
      ->check(CLI::Range(1, 86400))
      ->group("Fetching from http(s)://host:port/debug/pprof/...");
  cmd.add_option("--timeout", o.timeout,
                 "For URLs: give up after this many seconds (default, as pprof: 1.5 x --seconds, else 60, plus 5)")
      ->check(CLI::PositiveNumber)
      ->group("Fetching from http(s)://host:port/debug/pprof/...");
  cmd.add_option("--save", o.save_dir, "For URLs: keep each fetched profile in this directory, named as pprof does")
      ->group("Fetching from http(s)://host:port/debug/pprof/...");
  o.diag.warning = [](const std::string& line) { print_warnings({line}); };
  o.diag.notice = [](const std::string& line) { fmt::print(stderr, "pprofx: {}\n", terminal_escaped(line)); };
  if (::isatty(STDERR_FILENO) == 1) {
    o.diag.progress = [](const std::string& line) {
      if (line.empty()) {
        fmt::print(stderr, "\r\033[K");
      } else {
        fmt::print(stderr, "\r{}\033[K", terminal_escaped(line));
      }
      std::fflush(stderr);
    };
  }
}

CLI::Validator positive_number() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        double v = 0;
        if (CLI::detail::lexical_cast(s, v) && v > 0 && v < HUGE_VAL) return {};
        return "must be a positive number, not " + s;
      },
      "", "POSITIVE");
}

void add_divide_by_option(CLI::App& cmd, load::Options& load, const std::string& help) {
  cmd.add_option("--divide-by", load.divide_by, help)->check(positive_number())->type_name("N");
}

void add_report_options(CLI::App& cmd, ReportArgs& a, load::Options& load) {
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
  cmd.add_option("--tagshow", a.filters.tag_show,
                 "Keep only the labels whose key matches this regex (in tags, traces and raw output)");
  cmd.add_option("--taghide", a.filters.tag_hide, "Drop the labels whose key matches this regex");
  cmd.add_option("--tagroot", load.label_frames.root,
                 "Add a frame per label key (KEY,KEY...) at the root of each stack, named by the sample's values "
                 "for that key, as pprof's -tagroot");
  cmd.add_option("--tagleaf", load.label_frames.leaf,
                 "Add a frame per label key (KEY,KEY...) at the leaf of each stack, as pprof's -tagleaf");
  cmd.add_option_function<double>(
         "--divide-by", [&a, &load](double v) { a.divide_by = load.divide_by = v; },
         "Divide values by this (pprof's -divide_by): top, tree, list, dot and traces show their values divided; "
         "fold, flame, diff, check and convert divide each sample's values")
      ->check(positive_number())
      ->type_name("N");
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

std::string joined_source_path(const std::vector<std::string>& dirs) {
  std::string out;
  for (const std::string& dir : dirs) out += (out.empty() ? "" : ":") + dir;
  return out;
}

Result<fold::Selection> to_selection(const ReportArgs& args, std::string_view mean_error) {
  fold::Selection s;
  bool mean = false;
  if (Status st = apply_report_args(args, &s.filters, &s.sample_index, &mean, &s.granularity, &s.noinlines); !st) {
    return st.error();
  }
  if (mean) return Error{std::string(mean_error)};
  return s;
}

void add_ops_options(CLI::App& cmd, OpsArgs& args, const std::string& ops_help, const std::string& bench_help) {
  auto* ops = cmd.add_option("--ops", args.ops, ops_help);
  cmd.add_option("--bench-output", args.bench_output, bench_help)->excludes(ops);
}

Result<std::vector<int64_t>> read_ops(const OpsArgs& args) {
  if (!args.ops.empty()) return diff::parse_ops(args.ops, "--ops");
  std::vector<int64_t> out;
  if (args.bench_output.empty()) return out;
  for (size_t start = 0; start <= args.bench_output.size();) {
    const size_t comma = std::min(args.bench_output.find(',', start), args.bench_output.size());
    const std::string path = args.bench_output.substr(start, comma - start);
    start = comma + 1;
    auto text = io::read_file(path, 64 << 20);
    if (!text) return text.error();
    auto n = diff::bench_ops(*text, path);
    if (!n) return n.error();
    out.push_back(*n);
  }
  return out;
}

}  // namespace pprofx::cli
