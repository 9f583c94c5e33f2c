#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "baseline_store.h"
#include "commands.h"
#include "load.h"
#include "pprofx/decode/decode.h"
#include "pprofx/io/input.h"
#include "pprofx/io/output.h"

namespace pprofx::cli {
namespace fs = std::filesystem;

namespace {

bool valid_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." &&
         std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'; });
}

Status prune(const std::string& store, const std::string& name, size_t keep) {
  auto files = list_baselines(store, name);
  if (!files) return files.error();
  for (size_t i = 0; i + keep < files->size(); ++i) {
    std::error_code ec;
    fs::remove((*files)[i], ec);
    if (ec) return Error{fmt::format("{}: cannot remove: {}", (*files)[i], ec.message())};
  }
  return Ok{};
}

}  // namespace

Result<std::vector<std::string>> list_baselines(const std::string& store, const std::string& name) {
  if (!valid_name(name)) return Error{fmt::format("baseline name \"{}\": use letters, digits, '-', '_' and '.'", name)};
  std::vector<std::string> out;
  const fs::path dir = fs::path(store) / name;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string f = e.path().filename().string();
    // Only our own names (NNNNNN.pprof): anything else in the directory is left alone.
    if (e.is_regular_file() && f.size() == 12 && f.ends_with(".pprof") &&
        std::all_of(f.begin(), f.begin() + 6, [](char c) { return c >= '0' && c <= '9'; })) {
      out.push_back(e.path().string());
    }
  }
  if (ec) return Error{fmt::format("{}: {}", dir.string(), ec.message())};
  std::sort(out.begin(), out.end());
  return out;
}

Runner add_baseline_command(CLI::App& app) {
  struct Args {
    std::string store, name, profile;
    size_t keep = 10;
    LoadOptions load;
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
  save->add_option("--keep", a->keep, "How many to keep per name")->capture_default_str();
  prune_cmd->add_option("--keep", a->keep, "How many to keep")->capture_default_str();
  return [a, save, list] {
    if (save->parsed()) {
      // The stored bytes are the input's own: a file's, or a URL's response
      // (fetched once); never store what cannot be read back.
      auto src = read_source(a->profile, a->load, true);
      if (!src) return fail(src.error().message);
      if (auto decoded = decode::decode_any(src->bytes.data, src->name); !decoded) {
        return fail(decoded.error().message);
      }
      std::string stored = std::move(src->fetched);
      if (stored.empty()) {
        auto file = io::read_file(a->profile);
        if (!file) return fail(file.error().message);
        stored = std::move(*file);
      }
      const std::string* bytes = &stored;
      auto existing = list_baselines(a->store, a->name);
      if (!existing) return fail(existing.error().message);
      int next = 1;
      if (!existing->empty()) next = std::stoi(fs::path(existing->back()).filename().string().substr(0, 6)) + 1;
      const fs::path dir = fs::path(a->store) / a->name;
      std::error_code ec;
      fs::create_directories(dir, ec);
      if (ec) return fail(fmt::format("{}: cannot create: {}", dir.string(), ec.message()));
      const std::string path = (dir / fmt::format("{:06}.pprof", next)).string();
      if (Status s = io::write_output(path, *bytes); !s) return fail(s.error().message);
      if (Status s = prune(a->store, a->name, std::max<size_t>(1, a->keep)); !s) return fail(s.error().message);
      fmt::print("{}\n", path);
      return kExitOk;
    }
    if (list->parsed()) {
      std::vector<std::string> names;
      std::error_code ec;
      if (!a->name.empty()) {
        names.push_back(a->name);
      } else if (fs::is_directory(a->store, ec)) {
        for (const auto& e : fs::directory_iterator(a->store, ec)) {
          if (e.is_directory()) names.push_back(e.path().filename().string());
        }
        std::sort(names.begin(), names.end());
      }
      for (const std::string& n : names) {
        auto files = list_baselines(a->store, n);
        if (!files) return fail(files.error().message);
        for (const std::string& f : *files) fmt::print("{}\t{}\n", n, f);
      }
      return kExitOk;
    }
    if (Status s = prune(a->store, a->name, a->keep); !s) return fail(s.error().message);
    return kExitOk;
  };
}

}  // namespace pprofx::cli
