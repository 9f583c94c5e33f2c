// Subcommands. Each registers its options on a CLI11 subcommand and returns
// the function that runs it; only code in cli/ prints or decides exit codes.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string_view>
#include <string>

namespace pprofx::cli {

// Exit codes (also in --help and the README).
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;  // bad input, unreadable file, failed write
inline constexpr int kExitUsage = 2;  // bad command line
inline constexpr int kExitRegression = 3;  // check found a regression

using Runner = std::function<int()>;

Runner add_info_command(CLI::App& app);
Runner add_top_command(CLI::App& app);
Runner add_flame_command(CLI::App& app);
Runner add_fold_command(CLI::App& app);
Runner add_diff_command(CLI::App& app);
Runner add_check_command(CLI::App& app);
Runner add_baseline_command(CLI::App& app);
Runner add_merge_command(CLI::App& app);
Runner add_symbolize_command(CLI::App& app);
Runner add_convert_command(CLI::App& app);
Runner add_tree_command(CLI::App& app);
Runner add_cross_command(CLI::App& app);

// Prints "pprofx: error: <message>" and returns kExitError.
int fail(const std::string& message);

// Writes text to stdout; an error (e.g. a closed pipe) is reported.
int write_stdout(const std::string& text);

// Streams what `produce` hands its sink to path ("-" for stdout) through a
// buffer, atomically (io::OutputStream); large outputs are never one string.
using Sink = std::function<void(std::string_view)>;
int write_streamed(const std::string& path, const std::function<void(const Sink&)>& produce);

}  // namespace pprofx::cli
