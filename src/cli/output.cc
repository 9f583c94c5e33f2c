// What the commands print: errors, warnings, stdout, streamed and image files.
#include <fmt/format.h>

#include <cstdio>

#include "commands.h"
#include "pprofx/base/strings.h"
#include "pprofx/io/output.h"

namespace pprofx::cli {

// Messages carry file names, URLs and names from profiles: escaped for the
// terminal here, once, for every command.
int fail(const std::string& message) {
  fmt::print(stderr, "pprofx: error: {}\n", terminal_escaped(message));
  return kExitError;
}

int usage_fail(const std::string& message) {
  fmt::print(stderr, "pprofx: error: {}\nRun 'pprofx --help' for usage.\n", terminal_escaped(message));
  return kExitUsage;
}

void print_warnings(const std::vector<std::string>& warnings) {
  for (const std::string& w : warnings) fmt::print(stderr, "pprofx: warning: {}\n", terminal_escaped(w));
}

int write_stdout(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    return fail("cannot write to standard output");
  }
  return kExitOk;
}

int write_streamed(const std::string& path, const std::function<void(const ByteSink&)>& produce) {
  auto out = io::OutputStream::open(path);
  if (!out) return fail(out.error().message);
  produce([&out](std::string_view s) { out->write(s); });
  if (Status s = out->commit(); !s) return fail(s.error().message);
  return kExitOk;
}

Result<std::string> render_image(io::Format format, const render::Frame& frame, const render::FlameStyle& style) {
  if (format == io::Format::kSvg) return render::render_svg(frame, style);
  return render::render_png(frame, style);
}

int write_image(const std::string& path, io::Format format, const render::Frame& frame,
                const render::FlameStyle& style, bool print_path) {
  auto data = render_image(format, frame, style);
  if (!data) return fail(data.error().message);
  if (Status s = io::write_output(path, *data); !s) return fail(s.error().message);
  if (print_path && path != "-") fmt::print("{}\n", path);
  return kExitOk;
}

}  // namespace pprofx::cli
