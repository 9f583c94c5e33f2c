// `pprofx web --http [HOST]:PORT`: the page served on a local address
// (cpp-httplib), made anew for each request of "/" (a URL source is fetched
// again on reload), until SIGINT or SIGTERM.
#pragma once

#include <functional>
#include <string>

#include "pprofx/base/result.h"

namespace pprofx::web {

struct Address {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port (the URL printed says which)
};

// "[HOST]:PORT" (":8080", "localhost:0", "[::1]:8080"); an error names what is wrong.
Result<Address> parse_address(const std::string& text);

// Serves GET / with page() (an error is a 500 with its message as text), any
// other path 404, until SIGINT or SIGTERM (then Ok). ready(url) is called once
// the socket listens. Errors: the address cannot be bound.
Status serve(const Address& at, const std::function<Result<std::string>()>& page,
             const std::function<void(const std::string& url)>& ready);

}  // namespace pprofx::web
