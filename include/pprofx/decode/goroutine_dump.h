// Go's goroutine text dumps read as goroutine profiles: the debug=2 format of
// /debug/pprof/goroutine?debug=2, runtime.Stack(buf, true) and a crash's
// GOTRACEBACK=all output (its "panic:" lines and all).
//
// One sample per group of goroutines with the same stack and labels, its
// value the number of goroutines (goroutine/count). Frames are functions with
// their file and line, leaf first; "created by F" (Go 1.21+: "... in goroutine
// N", dropped) is the root frame, named "created by F" at the go statement's
// file and line, so that the creation site shows. Labels: "state" (the
// header's wait reason: "chan receive", "select", "IO wait", "running", ...),
// "wait" (numeric, unit "minutes", where the header gives one) and
// "locked_to_thread" ("true"). Lines before the first goroutine (a crash's
// "panic: ..." and "[signal ...]") become the profile's comments; text after
// a goroutine's stack ("exit status 2", registers) is skipped.
#pragma once

#include <string_view>

#include "pprofx/base/result.h"
#include "pprofx/decode/decode.h"
#include "pprofx/model/profile.h"

namespace pprofx::decode {

// A line "goroutine N [...]:" within the first 64 kB of text, followed by a
// frame: what the sniffer calls a goroutine dump.
bool looks_like_goroutine_dump(std::string_view bytes);

// Errors name the line: "dump.txt: line 12: expected the file line of
// main.f(...) (line 11): TAB FILE:LINE, as Go prints it".
Result<model::Profile> parse_goroutine_dump(std::string_view bytes, std::string_view name, const Limits& limits = {});

}  // namespace pprofx::decode
