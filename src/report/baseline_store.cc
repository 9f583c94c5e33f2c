#include "pprofx/report/baseline_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "pprofx/io/output.h"

namespace pprofx::report {
namespace fs = std::filesystem;

bool valid_baseline_name(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

Result<std::vector<std::string>> list_baselines(const std::string& store, const std::string& name) {
  if (!valid_baseline_name(name)) {
    return Error{fmt::format("baseline name \"{}\": use letters, digits, '-', '_' and '.'", name)};
  }
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

Result<std::vector<std::string>> baseline_names(const std::string& store) {
  std::vector<std::string> names;
  std::error_code ec;
  if (!fs::is_directory(store, ec)) return names;
  for (const auto& e : fs::directory_iterator(store, ec)) {
    if (e.is_directory()) names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

Status prune_baselines(const std::string& store, const std::string& name, size_t keep) {
  auto files = list_baselines(store, name);
  if (!files) return files.error();
  for (size_t i = 0; i + keep < files->size(); ++i) {
    std::error_code ec;
    fs::remove((*files)[i], ec);
    if (ec) return Error{fmt::format("{}: cannot remove: {}", (*files)[i], ec.message())};
  }
  return Ok{};
}

Result<std::string> save_baseline(const std::string& store, const std::string& name, std::string_view bytes,
                                  size_t keep) {
  auto existing = list_baselines(store, name);
  if (!existing) return existing.error();
  int next = 1;
  if (!existing->empty()) next = std::stoi(fs::path(existing->back()).filename().string().substr(0, 6)) + 1;
  const fs::path dir = fs::path(store) / name;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error{fmt::format("{}: cannot create: {}", dir.string(), ec.message())};
  const std::string path = (dir / fmt::format("{:06}.pprof", next)).string();
  if (Status s = io::write_output(path, bytes); !s) return s.error();
  if (Status s = prune_baselines(store, name, std::max<size_t>(1, keep)); !s) return s.error();
  return path;
}

}  // namespace pprofx::report
