// Fetching profiles from a live service (Go's net/http/pprof and anything
// serving profile.proto over HTTP), with pprof's URL rules, through libcurl.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "pprofx/base/result.h"
#include "pprofx/io/input.h"

namespace pprofx::io {

struct FetchOptions {
  int seconds = 0;          // --seconds: sets ?seconds=N (CPU and trace profiles); 0 keeps the URL's
  double timeout = 0;       // --timeout in seconds, the whole transfer; 0: pprof's (1.5 x seconds, else 60 s; + 5 s)
  uint64_t max_bytes = 0;   // refuse bodies larger than this, or inflating past it (0: no limit)
  // Progress, about once a second: the line to show ("collecting a 30 s
  // profile from URL: 12 s"), then "" once the transfer ended. Empty: none.
  std::function<void(const std::string&)> progress;
  // Judges the body's first bytes (inflated) as they arrive: a refused body
  // ends the transfer ("response: " + the reason).
  PrefixCheck check;
};

// pprof's adjustURL: "http(s)://host[:port]/path", "https+insecure://...",
// or the shorthand "host:port[/path]". Returns "" when source is not a URL
// (a file name). An empty path becomes /debug/pprof/profile (the CPU profile);
// opts.seconds sets the seconds query parameter. *seconds gets the collection
// time the URL asks for (0 if none), *timeout the effective timeout.
std::string profile_url(const std::string& source, const FetchOptions& opts, int* seconds, double* timeout);

struct Fetched {
  std::string body;
  std::string content_type;
};

// GET url. Fails (message without the URL; callers prefix it) on transport
// errors, timeouts, redirects to anything but http or https (the only
// protocols libcurl may use), statuses other than 200 (with the body of a pprof
// endpoint's text/plain error, as pprof shows it) and HTML pages.
Result<Fetched> fetch_url(const std::string& url, int seconds, double timeout, const FetchOptions& opts);

}  // namespace pprofx::io
