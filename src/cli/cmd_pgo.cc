// pprofx pgo: a default.pgo for `go build -pgo` (weighted merge, only what Go
// reads, cold tail pruned; report/pgo.h), and --check: what Go would reject,
// and the hot call sites its 99% CDF picks.
#include <fmt/format.h>

#include <filesystem>

#include "commands.h"
#include "options_common.h"
#include "pprofx/base/strings.h"
#include "pprofx/encode/encode.h"
#include "pprofx/model/merge.h"
#include "pprofx/report/pgo.h"
#include "pprofx/symbolize/symbolize.h"

namespace pprofx::cli {
namespace {

struct Input {
  std::string path;
  double weight = 1;
};

// "FILE" or "FILE@WEIGHT" (a path that exists is a file as given; else the
// part after the last '@' is the weight: digits, optionally '.' and digits, above 0).
Result<Input> parse_input(const std::string& arg) {
  std::error_code ec;
  size_t at = arg.rfind('@');
  if (at == std::string::npos || std::filesystem::exists(arg, ec)) return Input{arg, 1};
  std::string w = arg.substr(at + 1);
  size_t dot = w.find('.');
  auto digits = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  bool ok = dot == std::string::npos ? digits(w) : digits(std::string_view(w).substr(0, dot)) &&
                                                       digits(std::string_view(w).substr(dot + 1));
  double v = ok && w.size() <= 20 ? std::strtod(w.c_str(), nullptr) : 0;
  if (!ok || !(v > 0) || v > 1e9 || at == 0)
    return Error{fmt::format("{}: a weight after '@' is a number above 0 and at most 1e9, as 2 or 0.5", text_escaped(arg))};
  return Input{arg.substr(0, at), v};
}

// A profile as Go reads it: Function.name as written. Addresses are
// symbolized as usual, but pprof's display demangling (which rewrites generic
// Go names: "F[go.shape.interface { M() int }]" loses its "()") and its
// re-symbolizing of named mappings are not applied.
Result<load::Loaded> load_for_pgo(const std::string& path, const load::Options& given) {
  auto so = load::symbolize_options(given);
  if (!so) return so.error();
  load::Options lo = given;
  lo.symbolize = "none";
  lo.demangle.clear();
  auto loaded = load::load_profile(path, lo);
  if (!loaded) return loaded;
  so->demangle = symbolize::DemangleMode::kNone;
  so->demangle_given = false;
  const symbolize::Report r = symbolize::symbolize(loaded->profile, *so);
  if (std::string s = symbolize::summary(r); !s.empty() && given.diag.warning)
    given.diag.warning(fmt::format("{}: {}", loaded->input.name, s));
  return loaded;
}

int64_t cum_weight(const report::pgo::EdgeMap& m, size_t n) {
  int64_t cum = 0;
  for (size_t i = 0; i < n; ++i) cum += m.by_weight[i].weight;
  return cum;
}

std::string edge_row(const report::pgo::Edge& e, int64_t cum, int64_t total) {
  return fmt::format("{:>14} {:>6.2f}% {:>6.2f}%  {} :{} -> {}\n", e.weight, 100.0 * double(e.weight) / double(total),
                     100.0 * double(cum) / double(total), terminal_escaped(e.caller), e.offset,
                     terminal_escaped(e.callee));
}

int run_check(const std::vector<std::string>& files, const load::Options& lo, size_t show) {
  if (files.size() != 1) return usage_fail("pgo --check reads one profile");
  auto loaded = load_for_pgo(files[0], lo);
  if (!loaded) return fail(loaded.error().message);
  const model::Profile& p = loaded->profile;
  const std::string name = terminal_escaped(loaded->input.name);
  auto found = report::pgo::check(p);
  std::string out;
  for (const std::string& pr : found.problems) out += fmt::format("problem: {}\n", pr);
  if (auto m = report::pgo::call_edges(p); m) {
    const auto& t = p.sample_types[m->value_index];
    size_t hot = m->total > 0 ? report::pgo::hot_count(*m, 99) : 0;
    out += fmt::format("{}: Go's PGO reads {}/{} (sample type {}): {} call edges, total weight {}\n", name,
                       terminal_escaped(p.str(t.type)), terminal_escaped(p.str(t.unit)), m->value_index,
                       m->by_weight.size(), m->total);
    size_t rows = show == 0 ? hot : std::min(hot, show);
    if (hot) {
      // Go's threshold: the share of the last hot edge (hotNodesFromCDF).
      const report::pgo::Edge& last = m->by_weight[hot - 1];
      out += fmt::format("hot call sites (Go's 99% CDF, pgoinlinecdfthreshold=99): {}, carrying {:.4f}% of the weight; "
                         "the coldest weighs {} ({:.4f}%, hot-callsite-thres-from-CDF)\n",
                         hot, 100.0 * double(cum_weight(*m, hot)) / double(m->total), last.weight,
                         100.0 * double(last.weight) / double(m->total));
      out += rows < hot ? fmt::format("the {} heaviest (--hot 0 lists all):\n", rows) : std::string();
      out += fmt::format("{:>14} {:>7} {:>7}  caller :offset -> callee\n", "weight", "share", "cum");
    } else {
      out += "hot call sites (Go's 99% CDF, pgoinlinecdfthreshold=99): 0\n";
    }
    int64_t cum = 0;
    for (size_t i = 0; i < rows; ++i) {
      cum += m->by_weight[i].weight;
      out += edge_row(m->by_weight[i], cum, m->total);
    }
  }
  if (int rc = write_stdout(out); rc != kExitOk) return rc;
  std::vector<std::string> warnings;
  for (const std::string& w : found.warnings) warnings.push_back(fmt::format("{}: {}", name, w));
  print_warnings(warnings);
  if (!found.problems.empty())
    return fail(fmt::format("{}: Go's PGO would reject or misread it ({} problem{})", name, found.problems.size(),
                            found.problems.size() == 1 ? "" : "s"));
  return kExitOk;
}

}  // namespace

Runner add_pgo_command(CLI::App& app) {
  struct Args {
    std::vector<std::string> files;
    std::string output;
    double keep = 99.9;
    bool check = false;
    size_t hot = 20;
    load::Options load;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "pgo",
      "Write a profile for `go build -pgo`: merge CPU profiles with weights (FILE@WEIGHT), keep only what Go's PGO "
      "reads (the value it reads, of samples/count or cpu/nanoseconds; each stack's leaf and caller locations, by "
      "function name, line and start line; addresses only where Go's graph needs them; no labels, mappings or files), "
      "drop the cold tail when Go's hot call sites stay the same; "
      "--check says what Go would reject and lists the hottest call sites");
  cmd->add_option("profiles", a->files,
                  "CPU profiles; FILE@WEIGHT scales FILE's values by WEIGHT (2, 0.5), rounded to the nearest "
                  "integer, halves away from zero")
      ->required();
  cmd->add_option("-o,--output", a->output, "The PGO profile, gzip-compressed (default.pgo; - for stdout)");
  cmd->add_option("--keep", a->keep,
                  "Keep the hottest call edges carrying at least this percent of the edge weight (the samples "
                  "adding to them stay, whole)")
      ->check(CLI::Range(0.0, 100.0))
      ->type_name("PERCENT");
  cmd->add_flag("--check", a->check,
                "Say what Go's PGO would reject or misread in one profile (exit 1) and list the hot call sites its "
                "default 99% CDF picks");
  CLI::Option* hot = cmd->add_option("--hot", a->hot, "With --check: list the N heaviest hot call sites (0: all of them)")
      ->type_name("N");
  add_load_options(*cmd, a->load);
  return [a, hot] {
    if (!a->check && hot->count()) return usage_fail("pgo: --hot goes with --check");
    if (!a->load.demangle.empty() && a->load.demangle != "none")
      return usage_fail("pgo: Go reads the names as written: --demangle does not apply");
    if (a->check) {
      if (!a->output.empty()) return usage_fail("pgo --check writes nothing: drop -o");
      return run_check(a->files, a->load, a->hot);
    }
    if (a->output.empty()) return usage_fail("pgo: -o FILE is required (e.g. -o default.pgo)");
    std::vector<Input> inputs;
    for (const std::string& f : a->files) {
      auto in = parse_input(f);
      if (!in) return usage_fail(in.error().message);
      inputs.push_back(*in);
    }
    model::Merger merger;
    model::Profile first;
    std::string first_name;
    uint64_t in_bytes = 0;
    for (size_t i = 0; i < inputs.size(); ++i) {
      auto loaded = load_for_pgo(inputs[i].path, a->load);
      if (!loaded) return fail(loaded.error().message);
      in_bytes += loaded->input.file_bytes;
      const std::string name = text_escaped(loaded->input.name);
      model::Profile& p = loaded->profile;
      if (auto st = report::pgo::strip_for_pgo(p, name); !st) return fail(st.error().message);
      if (auto st = report::pgo::scale_values(p, inputs[i].weight, name); !st) return fail(st.error().message);
      if (i == 0) {
        first_name = name;
        // What check_mergeable compares, under first's own string ids.
        auto type = [&](const model::ValueType& t) {
          return model::ValueType{first.strings.intern(p.str(t.type)), first.strings.intern(p.str(t.unit))};
        };
        for (const model::ValueType& t : p.sample_types) first.sample_types.push_back(type(t));
        first.period_type = type(p.period_type);
      } else if (auto st = model::check_mergeable(first, first_name, p, name); !st) {
        return fail(st.error().message);
      }
      if (auto st = merger.add(p, name); !st) return fail(st.error().message);
    }
    model::Profile merged = merger.finish();
    report::pgo::ReduceInfo info;
    auto out = report::pgo::reduce(merged, a->keep, &info);
    if (!out) return fail(out.error().message);
    uint64_t out_bytes = 0;
    if (int rc = write_streamed(a->output,
                                [&](const ByteSink& sink) {
                                  encode::write_profile_gzip(*out, [&](std::string_view b) {
                                    out_bytes += b.size();
                                    sink(b);
                                  });
                                });
        rc != kExitOk)
      return rc;
    std::fprintf(stderr,
                 "pprofx: pgo: %s: %llu bytes from %llu bytes of input; %zu of %zu call edges kept exactly "
                 "(%.3f%% of weight %lld), %zu of %zu samples, %zu addresses kept (Go's graph needs them)\n",
                 text_escaped(a->output).c_str(), (unsigned long long)out_bytes, (unsigned long long)in_bytes,
                 info.kept_edges, info.edges,
                 info.total ? 100.0 * double(info.kept_weight) / double(info.total) : 100.0, (long long)info.total,
                 info.samples_out, info.samples_in, info.addresses_kept);
    std::vector<std::string> warnings;
    auto found = report::pgo::check(*out);
    for (const std::string& pr : found.problems)
      warnings.push_back(fmt::format("{}: Go's PGO would reject or misread it: {}", text_escaped(a->output), pr));
    for (const std::string& w : found.warnings) warnings.push_back(fmt::format("{}: {}", text_escaped(a->output), w));
    print_warnings(warnings);
    return kExitOk;
  };
}

}  // namespace pprofx::cli
