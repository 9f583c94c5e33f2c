#include "pprofx/io/graphviz.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace pprofx::io {
namespace {

struct Pipe {
  int fd[2] = {-1, -1};
  ~Pipe() {
    for (int f : fd) {
      if (f >= 0) ::close(f);
    }
  }
  void close_end(int i) {
    if (fd[i] >= 0) ::close(fd[i]);
    fd[i] = -1;
  }
};

}  // namespace

Result<std::string> render_with_graphviz(std::string_view dot, std::string_view format) {
  Pipe in, out, err;
  if (::pipe2(in.fd, O_CLOEXEC) != 0 || ::pipe2(out.fd, O_CLOEXEC) != 0 || ::pipe2(err.fd, O_CLOEXEC) != 0) {
    return Error{fmt::format("cannot run Graphviz's dot: {}", std::strerror(errno))};
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fd[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fd[1], 2);
  const std::string type = "-T" + std::string(format);
  char arg0[] = "dot";
  std::string type_arg = type;
  char* argv[] = {arg0, type_arg.data(), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, "dot", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc == ENOENT) {
    return Error{"drawing the graph needs Graphviz's dot, which is not installed: apt-get install graphviz "
                 "(or write DOT: -o FILE.dot, or no -o for standard output)"};
  }
  if (rc != 0) return Error{fmt::format("cannot run Graphviz's dot: {}", std::strerror(rc))};
  in.close_end(0);
  out.close_end(1);
  err.close_end(1);
  // Writing to a dot that has exited must be an error here, not SIGPIPE.
  struct sigaction ignore {}, old {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &old);
  std::string image, messages;
  size_t written = 0;
  if (dot.empty()) in.close_end(1);
  char buf[1 << 16];
  while (out.fd[0] >= 0 || err.fd[0] >= 0) {
    pollfd fds[3];
    nfds_t n = 0;
    if (in.fd[1] >= 0) fds[n++] = {in.fd[1], POLLOUT, 0};
    if (out.fd[0] >= 0) fds[n++] = {out.fd[0], POLLIN, 0};
    if (err.fd[0] >= 0) fds[n++] = {err.fd[0], POLLIN, 0};
    if (::poll(fds, n, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (nfds_t i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == in.fd[1]) {
        const ssize_t w = ::write(in.fd[1], dot.data() + written, std::min<size_t>(dot.size() - written, sizeof buf));
        if (w > 0) written += static_cast<size_t>(w);
        if (w < 0 && errno != EINTR && errno != EAGAIN) in.close_end(1);  // dot stopped reading
        if (written == dot.size()) in.close_end(1);
      } else {
        const bool is_out = fds[i].fd == out.fd[0];
        const ssize_t r = ::read(fds[i].fd, buf, sizeof buf);
        if (r > 0) {
          (is_out ? image : messages).append(buf, static_cast<size_t>(r));
        } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
          (is_out ? out : err).close_end(0);
        }
      }
    }
  }
  in.close_end(1);
  ::sigaction(SIGPIPE, &old, nullptr);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || image.empty()) {
    const std::string first = messages.substr(0, messages.find('\n'));
    return Error{fmt::format("Graphviz's dot failed ({}){}",
                             WIFEXITED(status) ? fmt::format("exit {}", WEXITSTATUS(status)) : "killed by a signal",
                             first.empty() ? "" : ": " + first)};
  }
  return image;
}

}  // namespace pprofx::io
