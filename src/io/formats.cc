#include "pprofx/io/formats.h"

#include <fmt/format.h>

#include <sys/stat.h>

#include <cerrno>
#include <stdexcept>

#include "pprofx/base/strings.h"

namespace pprofx::io {
namespace {

const FormatSpec kSvg{Format::kSvg, "svg", {".svg"}};
const FormatSpec kPng{Format::kPng, "png", {".png"}};
const FormatSpec kFolded{Format::kFolded, "folded", {".folded", ".txt", ".collapsed"}};
const FormatSpec kPprof{Format::kPprof, "pprof", {".pb.gz", ".pprof", ".prof", ".gz", ".pb"}};
const FormatSpec kMarkdown{Format::kMarkdown, "markdown", {".md"}};
const FormatSpec kJson{Format::kJson, "json", {".json"}};
const FormatSpec kText{Format::kText, "text", {".txt"}};
const FormatSpec kCsv{Format::kCsv, "csv", {".csv"}};
const FormatSpec kDot{Format::kDot, "dot", {".dot", ".gv"}};
const FormatSpec kPdf{Format::kPdf, "pdf", {".pdf"}};

// The file name's extension starts at its first '.' after the first character.
bool has_extension(std::string_view path) {
  const size_t slash = path.rfind('/');
  const std::string_view file = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return file.size() > 1 && file.find('.', 1) != std::string_view::npos;
}

std::string choices_of_names(const CommandOutputs& c) {
  std::string s;
  for (size_t i = 0; i < c.formats.size(); ++i) {
    if (i > 0) s += i + 1 == c.formats.size() ? " or " : ", ";
    s += c.formats[i].name;
  }
  return s;
}

}  // namespace

const std::vector<CommandOutputs>& output_registry() {
  static const std::vector<CommandOutputs> registry = {
      {"top", {kText, kMarkdown, kJson, kCsv}},
      {"tree", {kText, kMarkdown, kJson, kCsv}},
      {"tags", {kText, kMarkdown, kJson, kCsv}},
      {"list", {kText, kMarkdown, kJson, kCsv}},
      {"dot", {kDot, kSvg, kPng, kPdf}},  // svg, png and pdf drawn by Graphviz (io/graphviz.h)
      {"flame", {kSvg, kPng, kFolded}},
      {"fold", {kFolded}, true, false},
      {"diff", {kText, kMarkdown, kJson, kSvg, kPng, {Format::kHtml, "html", {".html", ".htm"}}}},  // html: web's diff page
      {"trend", {kText, kMarkdown, kJson}},
      {"check --report",
       {kText, kMarkdown, kJson, {Format::kJunit, "junit", {".xml"}}, {Format::kHtml, "html", {".html", ".htm"}},
        {Format::kGithub, "github", {}}}},  // html: web's diff page with the verdict
      {"check --flame", {kSvg, kPng}, true, false},  // check's --format is the report's
      {"merge", {kPprof}, true, false},
      {"symbolize", {kPprof}, true, false},
      {"convert", {kPprof, kFolded, {Format::kSpeedscope, "speedscope", {".json"}}}, false},
      {"web", {{Format::kHtml, "html", {".html", ".htm"}}, kJson}, true, false},  // json: the page's data alone
  };
  return registry;
}

const CommandOutputs& outputs_of(std::string_view command) {
  for (const CommandOutputs& c : output_registry()) {
    if (c.command == command) return c;
  }
  throw std::logic_error(fmt::format("no output formats registered for {}", command));
}

std::string describe_formats(const CommandOutputs& c) {
  std::string s;
  for (const FormatSpec& f : c.formats) {
    if (!s.empty()) s += ", ";
    s += f.extensions.empty() ? std::string(f.name) : fmt::format("{} ({})", fmt::join(f.extensions, "/"), f.name);
  }
  return s;
}

std::string_view format_name(Format format) {
  switch (format) {
    case Format::kText: return "text";
    case Format::kMarkdown: return "markdown";
    case Format::kJson: return "json";
    case Format::kCsv: return "csv";
    case Format::kJunit: return "junit";
    case Format::kGithub: return "github";
    case Format::kSvg: return "svg";
    case Format::kPng: return "png";
    case Format::kPdf: return "pdf";
    case Format::kDot: return "dot";
    case Format::kFolded: return "folded";
    case Format::kPprof: return "pprof";
    case Format::kSpeedscope: return "speedscope";
    case Format::kHtml: return "html";
  }
  return "?";
}

Result<Format> output_format(std::string_view command, std::string_view path, std::string_view format_flag) {
  const CommandOutputs& c = outputs_of(command);
  if (!format_flag.empty()) {
    for (const FormatSpec& f : c.formats) {
      if (f.name == format_flag) return f.format;
    }
    return Error{fmt::format("unknown format \"{}\" ({})", format_flag, choices_of_names(c))};
  }
  const size_t slash = path.rfind('/');
  const std::string_view file = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const FormatSpec* best = nullptr;
  size_t best_len = 0;
  for (const FormatSpec& f : c.formats) {
    for (std::string_view ext : f.extensions) {
      if (ext.size() > best_len && file.size() > ext.size() && ends_with(file, ext)) {
        best = &f;
        best_len = ext.size();
      }
    }
  }
  if (best != nullptr) return best->format;
  // A pipe or a device (an existing path that is not a regular file or a
  // directory) is written in place and takes the default, as "-" does.
  struct stat st;
  const std::string p(path);
  const bool special = !p.empty() && ::stat(p.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
  const bool named = !path.empty() && path != "-" && !special && has_extension(path);
  if (c.has_default && !named) return c.formats.front().format;
  if (!named) {
    return Error{fmt::format("{} cannot tell the output format of \"{}\": give --format ({})", c.command, path,
                             choices_of_names(c))};
  }
  return Error{fmt::format("\"{}\": {} does not write this extension; use {}{}", path, c.command, describe_formats(c),
                           c.format_flag ? " (or give --format)" : "")};
}

std::string default_output_path(std::string_view input, Format format) {
  std::string stem = input == "-" ? "stdin" : base_name(input);
  for (bool changed = true; changed;) {
    changed = false;
    for (std::string_view ext : {".gz", ".pb", ".pprof", ".prof", ".proto", ".folded", ".txt", ".collapsed"}) {
      if (stem.size() > ext.size() && ends_with(stem, ext)) {
        stem.resize(stem.size() - ext.size());
        changed = true;
      }
    }
  }
  return fmt::format("{}.{}", stem, format_name(format));
}

std::string fetched_output_path(std::string_view save_prefix, std::string_view saved_path, Format format) {
  const std::string ext = fmt::format(".{}", format_name(format));
  auto is_free = [](const std::string& name) {
    struct stat st;
    return ::lstat(name.c_str(), &st) != 0 && errno == ENOENT;
  };
  std::string saved = base_name(saved_path);
  if (ends_with(saved, ".pb.gz") && starts_with(saved, save_prefix) && saved.size() > save_prefix.size() + 6) {
    saved.resize(saved.size() - 6);
    std::string name = saved + ext;
    if (is_free(name)) return name;
  }
  for (int i = 1; i < 10000; ++i) {
    std::string name = fmt::format("{}{:03}{}", save_prefix, i, ext);
    if (is_free(name)) return name;
  }
  return fmt::format("{}{:03}{}", save_prefix, 9999, ext);
}

bool gzip_output(std::string_view path) { return !ends_with(path, ".pb"); }

}  // namespace pprofx::io
