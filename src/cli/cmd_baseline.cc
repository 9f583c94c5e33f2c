// pprofx baseline save|list|prune: the store of report/baseline_store.h.
#include <fmt/format.h>

#include "commands.h"
#include "options_common.h"
#include "pprofx/decode/decode.h"
#include "pprofx/io/input.h"
#include "pprofx/report/baseline_store.h"

namespace pprofx::cli {

Runner add_baseline_command(CLI::App& app) {
  struct Args {
    std::string store, name, profile;
    size_t keep = 10;
    load::Options load;
    OpsArgs ops;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("baseline", "Keep the last N profiles per name, for pprofx check --store")
                      ->require_subcommand(1);
  CLI::App* save = cmd->add_subcommand("save", "Store a profile as the newest baseline of NAME (keeps the last --keep)");
  CLI::App* list = cmd->add_subcommand("list", "List the stored baselines");
  CLI::App* prune_cmd = cmd->add_subcommand("prune", "Keep only the newest --keep baselines of NAME");
  for (CLI::App* c : {save, list, prune_cmd}) c->add_option("--store", a->store, "The store directory")->required();
  save->add_option("--name", a->name, "The baseline's name (e.g. the benchmark)")->required();
  prune_cmd->add_option("--name", a->name, "The baseline's name")->required();
  list->add_option("--name", a->name, "Only this name");
  save->add_option("profile", a->profile, "The profile to store (a file or a URL)")->required();
  add_load_options(*save, a->load);
  add_ops_options(*save, a->ops, "N: the operations the profiled run did, stored with it for check --normalize per-op",
                  "FILE: go test -bench output of the profiled run, whose N is stored with it");
  save->add_option("--keep", a->keep, "How many to keep per name")->capture_default_str();
  prune_cmd->add_option("--keep", a->keep, "How many to keep")->capture_default_str();
  return [a, save, list] {
    if (save->parsed()) {
      // The stored bytes are the input's own: a file's, or a URL's response
      // (fetched once); never store what cannot be read back.
      a->load.keep_fetched = true;
      auto src = load::read_source(a->profile, a->load, true);
      if (!src) return fail(src.error().message);
      if (auto decoded = decode::decode_any(src->bytes.data, src->name); !decoded) {
        return fail(decoded.error().message);
      }
      auto ops = read_ops(a->ops);
      if (!ops) return a->ops.ops.empty() ? fail(ops.error().message) : usage_fail(ops.error().message);
      if (ops->size() > 1) return usage_fail("baseline save --ops N (or --bench-output FILE): the count of this one run");
      std::string stored = std::move(src->fetched);
      if (stored.empty()) {
        auto file = io::read_file(a->profile);
        if (!file) return fail(file.error().message);
        stored = std::move(*file);
      }
      auto path = report::save_baseline(a->store, a->name, stored, a->keep, ops->empty() ? 0 : ops->front());
      if (!path) return fail(path.error().message);
      fmt::print("{}\n", *path);
      return kExitOk;
    }
    if (list->parsed()) {
      // What is not ours (symlinks, devices, foreign folders) is skipped, and said on stderr.
      std::vector<std::string> names{a->name}, skipped;
      if (a->name.empty()) {
        auto all = report::baseline_names(a->store, &skipped);
        if (!all) return fail(all.error().message);
        names = std::move(*all);
      }
      for (const std::string& n : names) {
        auto files = report::list_baselines(a->store, n, &skipped);
        if (!files) return fail(files.error().message);
        for (const std::string& f : *files) fmt::print("{}\t{}\n", n, f);
      }
      std::fflush(stdout);
      print_warnings(skipped);
      return kExitOk;
    }
    if (Status s = report::prune_baselines(a->store, a->name, a->keep); !s) return fail(s.error().message);
    return kExitOk;
  };
}

}  // namespace pprofx::cli
