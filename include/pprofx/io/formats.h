// The registry of output formats: per command, which formats it writes and
// which file extensions pick them. Every command asks here; none keeps its
// own extension map. An unknown extension is refused (a usage error), never
// silently written as the default.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pprofx/base/result.h"

namespace pprofx::io {

enum class Format {
  kText, kMarkdown, kJson, kCsv, kJunit, kGithub, kSvg, kPng, kPdf, kDot, kFolded, kPprof, kSpeedscope, kHtml
};

struct FormatSpec {
  Format format;
  std::string_view name;                     // what --format takes ("svg", "markdown", ...)
  std::vector<std::string_view> extensions;  // ".svg", ".pb.gz", ...
};

struct CommandOutputs {
  std::string_view command;         // "flame", "diff", "check --report", ...
  std::vector<FormatSpec> formats;  // the first is the default, when has_default
  bool has_default = true;          // used for "-", for names without an extension, and with no -o
  bool format_flag = true;          // the command takes --format for these (errors suggest it only then)
};

// Every command that writes files (and top, tree, tags and list, which print their
// --format on stdout), in the order `pprofx --help` lists them.
const std::vector<CommandOutputs>& output_registry();

// The command's entry; the command must be in the registry.
const CommandOutputs& outputs_of(std::string_view command);

// The format for `path` (may be "" or "-"): format_flag when given (it must
// be one of the command's), else the longest extension of the command's that
// path ends with, else the default when path has no extension at all or is a
// pipe or a device. Errors (all usage errors) name the choices.
Result<Format> output_format(std::string_view command, std::string_view path, std::string_view format_flag);

// The extensions and format names a command takes: ".svg (svg), .png (png), ...".
std::string describe_formats(const CommandOutputs& outputs);

std::string_view format_name(Format format);

// Where a command writes when no -o is given: the input's file name without
// its profile extensions, in the current directory, with the format's name
// as extension: "/tmp/cpu.pb.gz" -> "cpu.svg", "-" -> "stdin.svg".
std::string default_output_path(std::string_view input, Format format);

// Where a command writes when no -o is given and the input was fetched from
// a URL: the name --save gives the profile (save_prefix is
// load::save_name_prefix, "pprof.BINARY.TYPES."), numbered, with the format's
// name as extension, in the current directory: "pprof.server.samples.cpu.001.svg".
// The number is the saved profile's when saved_path (where --save wrote it)
// has one and that name is free here, else the first (from 001) whose file
// does not exist here. Never a URL's host:port or query.
std::string fetched_output_path(std::string_view save_prefix, std::string_view saved_path, Format format);

// profile.proto output is gzip-compressed unless the name ends in ".pb".
bool gzip_output(std::string_view path);

}  // namespace pprofx::io
