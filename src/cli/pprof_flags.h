// pprof's spellings. Flags (-sample_index=1, -nodecount 10, -inuse_space) are
// aliases: rewritten to pprofx's long options before CLI11 parses them.
// pprof's report flags (-list, -dot, -http, ...) and a missing or misspelt
// command get a usage error that names what to run instead.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pprofx::cli {

std::vector<std::string> rewrite_pprof_flags(const std::vector<std::string>& args);

// A usage error for arguments CLI11 would misread or answer unhelpfully, or
// nothing when CLI11 should parse them: args are argv[1..], commands the
// subcommand names. Covers a pprof report flag anywhere before "--" ("-list=F":
// what pprofx runs instead), a single-dash word starting with -h ("-http=:8080",
// which CLI11 reads as -h and answers with the help), a profile given with no
// command ("pprofx cpu.pb.gz"), and an unknown command (the closest one).
std::optional<std::string> argument_hint(const std::vector<std::string>& args,
                                         const std::vector<std::string>& commands);

}  // namespace pprofx::cli
