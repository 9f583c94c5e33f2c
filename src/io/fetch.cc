#include "pprofx/io/fetch.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <string_view>

#include "pprofx/base/strings.h"
#include "pprofx/io/input.h"

namespace pprofx::io {
namespace {

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
         c == '_';
}

// "host:port" or "[v6]:port" at the start of s, up to the first '/' or '?'.
// Returns the authority's length, 0 if s does not start with one.
size_t authority_length(std::string_view s, bool port_required) {
  size_t i = 0;
  if (!s.empty() && s[0] == '[') {
    i = s.find(']');
    if (i == std::string_view::npos) return 0;
    ++i;
  } else {
    while (i < s.size() && is_host_char(s[i])) ++i;
  }
  if (i == 0) return 0;
  if (i < s.size() && s[i] == ':') {
    size_t j = i + 1;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
    if (j == i + 1) return 0;
    i = j;
  } else if (port_required) {
    return 0;
  }
  if (i < s.size() && s[i] != '/' && s[i] != '?') return 0;
  return i;
}

}  // namespace

std::string profile_url(const std::string& source, const FetchOptions& opts, int* seconds, double* timeout) {
  *seconds = 0;
  *timeout = 0;
  std::string scheme;
  std::string_view rest;
  const size_t sep = source.find("://");
  if (sep != std::string::npos) {
    scheme = source.substr(0, sep);
    if (scheme != "http" && scheme != "https" && scheme != "https+insecure") return "";
    rest = std::string_view(source).substr(sep + 3);
    if (authority_length(rest, false) == 0) return "";
  } else {
    // pprof's shorthand: url.Parse takes "host" for a scheme, so it retries with http://.
    if (authority_length(source, true) == 0) return "";
    scheme = "http";
    rest = source;
  }
  const size_t auth = authority_length(rest, false);
  std::string host(rest.substr(0, auth));
  std::string_view path_query = rest.substr(auth);
  std::string path(path_query.substr(0, path_query.find('?')));
  std::string query;
  if (const size_t q = path_query.find('?'); q != std::string_view::npos) query = path_query.substr(q + 1);
  if (const size_t h = query.find('#'); h != std::string::npos) query.resize(h);
  if (path.empty() || path == "/") path = "/debug/pprof/profile";

  // Query values, sorted by key as Go's url.Values.Encode writes them.
  std::multimap<std::string, std::string> values;
  for (size_t i = 0; i < query.size();) {
    size_t amp = query.find('&', i);
    if (amp == std::string::npos) amp = query.size();
    const std::string kv = query.substr(i, amp - i);
    i = amp + 1;
    if (kv.empty()) continue;
    const size_t eq = kv.find('=');
    values.emplace(kv.substr(0, eq), eq == std::string::npos ? "" : kv.substr(eq + 1));
  }
  if (opts.seconds > 0) {
    values.erase("seconds");
    values.emplace("seconds", std::to_string(opts.seconds));
    *seconds = opts.seconds;
  } else if (auto it = values.find("seconds"); it != values.end()) {
    int64_t v = 0;
    if (parse_int64(it->second, &v) && v > 0 && v <= INT32_MAX) *seconds = static_cast<int>(v);
  }
  // pprof's default: 1.5 x the collection time, else 60 s, plus 5 s for the
  // transfer; a timeout the user gives is taken as given.
  *timeout = opts.timeout > 0 ? opts.timeout : (*seconds > 0 ? *seconds * 1.5 : 60.0) + 5;
  std::string url = scheme + "://" + host + path;
  char joiner = '?';
  for (const auto& [k, v] : values) {
    url += joiner + k + "=" + v;
    joiner = '&';
  }
  return url;
}

namespace {

struct Transfer {
  explicit Transfer(const FetchOptions& o) : opts(&o), body(o.max_bytes > 0 ? o.max_bytes : UINT64_MAX) {
    body.set_check(o.check);
  }
  const FetchOptions* opts;
  BoundedReader body;  // the cap holds for the body and for what it inflates to
  std::string too_large;  // why the body was cut off
  std::string status_line;
  std::string content_type;
  bool go_pprof = false;
  std::string shown_url;
  int seconds = 0;
  std::chrono::steady_clock::time_point start;
  long last_drawn = -1;
  bool drew = false;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t bytes = size * n;
  if (Status s = t->body.add(std::string_view(data, bytes)); !s) {
    t->too_large = s.error().message;
    return 0;  // aborts the transfer
  }
  return bytes;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string line(data, size * n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (starts_with(line, "HTTP/")) {  // a new response (after a redirect): forget the old headers
    t->status_line = line;
    t->content_type.clear();
    t->go_pprof = false;
    return size * n;
  }
  const size_t colon = line.find(':');
  if (colon == std::string::npos) return size * n;
  std::string key = line.substr(0, colon);
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string value = line.substr(colon + 1);
  value.erase(0, value.find_first_not_of(" \t"));
  if (key == "content-type") t->content_type = value;
  if (key == "x-go-pprof") t->go_pprof = true;
  return size * n;
}

// Hands the progress line to the caller about once a second: seconds of collection
// when the server is collecting a profile, else bytes received.
int on_progress(void* user, curl_off_t, curl_off_t received, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  const long elapsed = static_cast<long>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - t->start).count());
  if (elapsed == t->last_drawn) return 0;
  t->last_drawn = elapsed;
  std::string line;
  if (received == 0 && t->seconds > 0) {
    line = fmt::format("pprofx: collecting a {} s profile from {}: {} s", t->seconds, t->shown_url,
                       std::min<long>(elapsed, t->seconds));
  } else {
    line = fmt::format("pprofx: fetching {}: {} kB", t->shown_url, received / 1024);
  }
  t->opts->progress(line);
  t->drew = true;
  return 0;
}

std::string trim_body(const std::string& body) {
  std::string s = body;
  s.erase(0, s.find_first_not_of(" \t\r\n"));
  if (const size_t nl = s.find('\n'); nl != std::string::npos) s = s.substr(0, nl);
  if (s.size() > 200) s = s.substr(0, 200) + "...";
  return s;
}

}  // namespace

Result<Fetched> fetch_url(const std::string& url, int seconds, double timeout, const FetchOptions& opts) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return Error{"cannot initialise libcurl"};
  Transfer t(opts);
  t.seconds = seconds;
  t.shown_url = url;
  t.start = std::chrono::steady_clock::now();
  std::string target = url;
  const bool insecure = starts_with(url, "https+insecure://");
  if (insecure) target = "https://" + url.substr(17);
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, target.c_str());
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
  // Only http and https, for the URL and for every redirect (never ftp://, file://, ...).
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "pprofx");
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout * 1000));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
  if (insecure) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (opts.progress) {
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
  }
  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(curl);
  if (t.drew) t.opts->progress("");
  std::string body = t.body.take();
  if (!t.too_large.empty()) return Error{"response: " + t.too_large};
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    return Error{fmt::format("http fetch: no complete response within {:g} s (raise it with --timeout)", timeout)};
  }
  if (rc == CURLE_UNSUPPORTED_PROTOCOL) {
    return Error{"http fetch: redirected to a URL that is not http or https (only those are followed)"};
  }
  if (rc != CURLE_OK) {
    return Error{fmt::format("http fetch: {}", errbuf[0] != 0 ? errbuf : curl_easy_strerror(rc))};
  }
  if (status != 200) {
    // pprof's statusCodeError: "server response: 404 Not Found", plus the
    // body when a pprof endpoint explains itself in text/plain.
    std::string shown = t.status_line;
    if (const size_t sp = shown.find(' '); sp != std::string::npos) shown = shown.substr(sp + 1);
    if (shown.empty()) shown = std::to_string(status);
    std::string msg = fmt::format("server response: {}", shown);
    if (t.go_pprof && t.content_type.find("text/plain") != std::string::npos && !body.empty()) {
      msg += " - " + trim_body(body);
    }
    return Error{msg};
  }
  if (t.content_type.find("text/html") != std::string::npos) {
    return Error{fmt::format("the server sent an HTML page ({}), not a profile; profiles are at paths such as "
                             "/debug/pprof/profile, /debug/pprof/heap, /debug/pprof/mutex",
                             t.content_type)};
  }
  return Fetched{std::move(body), std::move(t.content_type)};
}

}  // namespace pprofx::io
