// The page on a local port (web/server.h). The signals that end the server
// are blocked in every thread and taken by sigwait in the caller's, so
// stopping runs outside a signal handler.
#include "pprofx/web/server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <pthread.h>

#include <atomic>
#include <csignal>
#include <thread>

namespace pprofx::web {

Result<Address> parse_address(const std::string& text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) return Error{fmt::format("--http {}: give [HOST]:PORT (:8080, localhost:0)", text)};
  Address a;
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (!host.empty()) a.host = host;
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535) {
    return Error{fmt::format("--http {}: the port must be a number from 0 to 65535", text)};
  }
  a.port = std::stoi(port);
  return a;
}

Status serve(const Address& at, const std::function<Result<std::string>()>& page,
             const std::function<void(const std::string& url)>& ready) {
  sigset_t stop_signals, previous;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGUSR1);  // the server thread's own end (listening failed)
  // A handler, so that a signal a background shell set to be ignored still arrives (an ignored
  // one is discarded, never waited for); blocked before any thread starts, so they inherit it.
  struct sigaction wake {}, old_int {}, old_term {}, old_usr1 {};
  wake.sa_handler = [](int) {};
  sigemptyset(&wake.sa_mask);
  sigaction(SIGINT, &wake, &old_int);
  sigaction(SIGTERM, &wake, &old_term);
  sigaction(SIGUSR1, &wake, &old_usr1);
  pthread_sigmask(SIG_BLOCK, &stop_signals, &previous);
  auto restore = [&] {
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGTERM, &old_term, nullptr);
    sigaction(SIGUSR1, &old_usr1, nullptr);
  };

  httplib::Server server;
  // SO_REUSEADDR only: httplib's default adds SO_REUSEPORT, with which a second server would share a port in use.
  server.set_socket_options([](int sock) {
    const int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server.Get("/", [&](const httplib::Request&, httplib::Response& res) {
    auto text = page();
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Content-Type-Options", "nosniff");
    if (!text) {
      res.status = 500;
      res.set_content("pprofx: error: " + text.error().message + "\n", "text/plain; charset=utf-8");
      return;
    }
    res.set_content(*text, "text/html; charset=windows-1252");  // web/page.cc: the page is windows-1252
  });
  const int port = at.port == 0 ? server.bind_to_any_port(at.host) : (server.bind_to_port(at.host, at.port) ? at.port : -1);
  if (port < 0) {
    restore();
    return Error{fmt::format("cannot listen on {}:{} (in use, or not an address of this machine)", at.host, at.port)};
  }
  std::atomic<bool> stopping{false};
  const pthread_t caller = pthread_self();
  std::thread listener([&] {
    server.listen_after_bind();
    if (!stopping) pthread_kill(caller, SIGUSR1);
  });
  const bool v6 = at.host.find(':') != std::string::npos;
  ready(fmt::format("http://{}{}{}:{}/", v6 ? "[" : "", at.host, v6 ? "]" : "", port));
  int sig = 0;
  sigwait(&stop_signals, &sig);
  stopping = true;
  server.stop();
  listener.join();
  restore();
  if (sig == SIGUSR1) return Error{fmt::format("the server on {}:{} stopped", at.host, port)};
  return Ok{};
}

}  // namespace pprofx::web
