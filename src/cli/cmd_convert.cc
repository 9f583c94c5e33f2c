// pprofx convert: between pprof protobuf, folded stacks and speedscope JSON.
#include <fmt/format.h>

#include "commands.h"
#include "options_common.h"
#include "pprofx/base/strings.h"
#include "pprofx/encode/encode.h"
#include "pprofx/encode/from_stacks.h"
#include "pprofx/encode/speedscope.h"
#include "pprofx/fold/options.h"
#include "pprofx/fold/prepare.h"
#include "pprofx/io/formats.h"
#include "pprofx/load/load.h"

#ifndef PPROFX_VERSION
#define PPROFX_VERSION "0.0.0"
#endif

namespace pprofx::cli {
namespace {

struct ConvertArgs {
  std::vector<std::string> files;
  std::string output;
  std::string format;
  load::Options load;
  ReportArgs report;
};

void warn_negative(const std::string& name, const fold::StackTrie& trie) {
  if (trie.negative_stacks > 0) {
    print_warnings({fmt::format("{}: {} stacks with negative values left out (the format has no sign)", name,
                                trie.negative_stacks)});
  }
}

// The display name of the document: the input's file name.
std::string doc_name(const std::string& input) { return input == "<stdin>" ? "stdin" : base_name(input); }

int convert(const ConvertArgs& a) {
  auto format = io::output_format("convert", a.output, a.format);
  if (!format) return usage_fail(format.error().message);
  auto selection = to_selection(a.report, kMeanInGraph);
  if (!selection) return fail(selection.error().message);
  auto in = load::load_input(a.files, a.load, false);
  if (!in) return fail(in.error().message);
  if (Status s = load::refuse_details_for_folded(*in, *selection, false); !s) return fail(s.error().message);

  if (*format == io::Format::kPprof) {
    if (a.report.filters.any() || !a.report.sample_index.empty() || !a.report.legacy_sample_index.empty()) {
      return fail("filters and --sample-index apply to folded and speedscope output; pprof output keeps the whole "
                  "profile");
    }
    model::Profile folded_profile;
    const model::Profile* p = in->profile ? &*in->profile : nullptr;
    if (in->folded) {
      folded_profile = encode::profile_from_trie(*in->folded, "samples", "count");
      p = &folded_profile;
    }
    const bool gz = io::gzip_output(a.output);
    return write_streamed(a.output, [&](const ByteSink& sink) {
      gz ? encode::write_profile_gzip(*p, sink) : encode::write_profile(*p, sink);
    });
  }

  // folded and speedscope: call trees, one per sample type shown.
  std::vector<fold::StackTrie> tries;
  std::vector<encode::SpeedscopeProfile> shown;
  size_t active = 0;
  if (in->folded) {
    tries.push_back(std::move(*in->folded));
    shown.push_back({nullptr, "samples", "count"});
  } else {
    const model::Profile& p = *in->profile;
    std::vector<std::string> indexes;
    const bool all_types = *format == io::Format::kSpeedscope && a.report.sample_index.empty() &&
                           a.report.legacy_sample_index.empty();
    if (all_types) {
      for (size_t i = 0; i < p.num_types(); ++i) indexes.push_back(std::to_string(i));
      active = fold::default_sample_index(p);
    } else {
      indexes.push_back(a.report.sample_index.empty() ? a.report.legacy_sample_index : a.report.sample_index);
    }
    for (const std::string& index : indexes) {
      fold::Selection one = *selection;
      one.sample_index = index;
      auto folded = fold::fold_profile(p, in->name, one, {});
      if (!folded) return fail(folded.error().message);
      print_warnings(folded->warnings);
      warn_negative(in->name, folded->trie);
      tries.push_back(std::move(folded->trie));
      shown.push_back({nullptr, folded->value.type, folded->value.unit});
    }
  }
  for (size_t i = 0; i < tries.size(); ++i) shown[i].trie = &tries[i];
  if (*format == io::Format::kFolded) {
    return write_streamed(a.output, [&](const ByteSink& sink) { fold::write_folded(tries[0], sink); });
  }
  return write_streamed(a.output, [&](const auto& sink) {
    encode::write_speedscope(shown, doc_name(in->name), active, "pprofx " PPROFX_VERSION, sink);
  });
}

}  // namespace

Runner add_convert_command(CLI::App& app) {
  auto a = std::make_shared<ConvertArgs>();
  CLI::App* cmd = app.add_subcommand(
      "convert", "Convert between pprof protobuf, folded stacks and speedscope JSON (https://www.speedscope.app)");
  cmd->add_option("profiles", a->files,
                  "pprof profiles (several are merged; legacy formats and URLs too), or one folded-stacks file; "
                  "- for stdin")
      ->required();
  cmd->add_option("-o,--output", a->output,
                  "Output file, - for stdout; the extension picks the format: .pb.gz/.pprof (gzip protobuf), .pb "
                  "(uncompressed), .folded/.txt, .json (speedscope)")
      ->required();
  cmd->add_option("--format", a->format,
                  "pprof, folded or speedscope (overrides the extension; needed for stdout). speedscope gets every "
                  "sample type as a profile of its own unless --sample-index picks one")
      ->check(CLI::IsMember({"pprof", "folded", "speedscope"}));
  add_load_options(*cmd, a->load);
  add_report_options(*cmd, a->report, a->load);
  return [a] { return convert(*a); };
}

}  // namespace pprofx::cli
