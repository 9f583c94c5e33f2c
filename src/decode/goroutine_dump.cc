#include "pprofx/decode/goroutine_dump.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "pprofx/base/id_index.h"
#include "pprofx/base/strings.h"

namespace pprofx::decode {
namespace {

constexpr size_t kSniffWindow = 64 << 10;
constexpr size_t kMaxComments = 20, kMaxCommentBytes = 1000;

// Lines split at '\n', one trailing '\r' dropped, numbered from 1.
class Lines {
 public:
  explicit Lines(std::string_view b) : b_(b) {}
  bool next() {
    if (pos_ >= b_.size()) return false;
    const size_t nl = std::min(b_.find('\n', pos_), b_.size());
    line_ = b_.substr(pos_, nl - pos_);
    if (!line_.empty() && line_.back() == '\r') line_.remove_suffix(1);
    pos_ = nl + 1;
    ++number_;
    return true;
  }
  std::string_view line() const { return line_; }
  size_t number() const { return number_; }

 private:
  std::string_view b_;
  size_t pos_ = 0, number_ = 0;
  std::string_view line_;
};

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "goroutine 18 [chan receive, 5 minutes]:" (Go 1.23's "goroutine 1 gp=0x... m=0 mp=0x... [running]:"
// too): the bracket's text, or nullopt when the line is not a header.
std::optional<std::string_view> header_status(std::string_view line) {
  if (!starts_with(line, "goroutine ") || !ends_with(line, "]:")) return std::nullopt;
  std::string_view rest = line.substr(10);
  const size_t sp = rest.find(' ');
  if (sp == std::string_view::npos || !all_digits(rest.substr(0, sp))) return std::nullopt;
  rest = rest.substr(sp);
  const size_t open = rest.find(" [");
  if (open == std::string_view::npos) return std::nullopt;
  return rest.substr(open + 2, rest.size() - open - 4);
}

// "main.(*T).f(0xc000012345, {0x1, 0x2})": the function's name, or "" when
// the line is not a frame (no argument list at its end).
std::string_view frame_function(std::string_view line) {
  if (line.empty() || line.front() == '\t' || line.front() == ' ' || line.back() != ')') return {};
  const size_t open = line.rfind('(');
  if (open == std::string_view::npos || open == 0) return {};
  return line.substr(0, open);
}

// "\t/src/main.go:42 +0x1d fp=... sp=... pc=...": file and line (the last
// ":DIGITS" followed by the end or a space, so paths may hold ':' and ' ').
bool file_line(std::string_view line, std::string_view* file, int64_t* number) {
  if (line.empty() || line.front() != '\t') return false;
  line.remove_prefix(1);
  for (size_t colon = line.rfind(':'); colon != std::string_view::npos && colon > 0;
       colon = line.rfind(':', colon - 1)) {
    size_t end = colon + 1;
    while (end < line.size() && line[end] >= '0' && line[end] <= '9') ++end;
    if (end == colon + 1 || (end < line.size() && line[end] != ' ')) continue;
    if (!parse_int64(line.substr(colon + 1, end - colon - 1), number)) return false;
    *file = line.substr(0, colon);
    return true;
  }
  return false;
}

struct Frame {
  std::string_view function, file;
  int64_t line = 0;
};

struct Goroutine {
  std::vector<Frame> frames;  // leaf first; the creation frame last
  std::string_view state;
  std::optional<int64_t> wait_minutes;
  bool locked = false;
};

// The profile being built: functions by (name, file), locations by (function,
// line), samples by (stack, labels).
class Builder {
 public:
  Builder() {
    const auto goroutine = p_.strings.intern("goroutine"), count = p_.strings.intern("count");
    p_.sample_types.push_back({goroutine, count});
    p_.period_type = {goroutine, count};
    p_.period = 1;
    state_ = p_.strings.intern("state");
    wait_ = p_.strings.intern("wait");
    minutes_ = p_.strings.intern("minutes");
    locked_ = p_.strings.intern("locked_to_thread");
    true_ = p_.strings.intern("true");
  }

  void comment(std::string_view line) {
    if (p_.comments.size() < kMaxComments) p_.comments.push_back(p_.strings.intern(line.substr(0, kMaxCommentBytes)));
  }

  void add(const Goroutine& g) {
    stack_.clear();
    for (const Frame& f : g.frames) stack_.push_back(location(f));
    labels_.clear();
    labels_.push_back({state_, p_.strings.intern(g.state), 0, model::kEmptyStr});
    if (g.wait_minutes) labels_.push_back({wait_, model::kEmptyStr, *g.wait_minutes, minutes_});
    if (g.locked) labels_.push_back({locked_, true_, 0, model::kEmptyStr});
    WordHash h;
    h.add(stack_.size());
    for (model::LocationId l : stack_) h.add(l.value());
    for (const model::Label& l : labels_) {
      h.add(l.key.value());
      h.add(l.str.value());
      h.add(static_cast<uint64_t>(l.num));
    }
    // Samples are found by their own stack and labels (no key copies).
    const auto [id, added] = sample_of_.find_or_add(h.value(), [&](uint32_t s) {
      const model::Sample& t = p_.samples[s];
      if (t.locations_count != stack_.size() || t.labels_count != labels_.size()) return false;
      if (!std::equal(stack_.begin(), stack_.end(), p_.sample_locations.begin() + t.locations_begin)) return false;
      for (size_t i = 0; i < labels_.size(); ++i) {
        const model::Label& x = labels_[i];
        const model::Label& y = p_.labels[t.labels_begin + i];
        if (x.key != y.key || x.str != y.str || x.num != y.num) return false;
      }
      return true;
    });
    if (!added) {
      ++p_.values[id];
      return;
    }
    model::Sample s;
    s.locations_begin = static_cast<uint32_t>(p_.sample_locations.size());
    s.locations_count = static_cast<uint32_t>(stack_.size());
    p_.sample_locations.insert(p_.sample_locations.end(), stack_.begin(), stack_.end());
    s.labels_begin = static_cast<uint32_t>(p_.labels.size());
    s.labels_count = static_cast<uint32_t>(labels_.size());
    p_.labels.insert(p_.labels.end(), labels_.begin(), labels_.end());
    p_.samples.push_back(s);
    p_.values.push_back(1);
  }

  size_t samples() const { return p_.samples.size(); }
  model::Profile finish() { return std::move(p_); }

 private:
  model::LocationId location(const Frame& f) {
    const model::StrId name = p_.strings.intern(f.function), file = p_.strings.intern(f.file);
    const uint64_t fkey = (uint64_t{name.value()} << 32) | file.value();
    auto [fit, fnew] = function_of_.try_emplace(fkey, model::FunctionId(static_cast<uint32_t>(p_.functions.size())));
    if (fnew) {
      model::Function fn;
      fn.file_id = p_.functions.size() + 1;
      fn.name = fn.system_name = name;
      fn.filename = file;
      p_.functions.push_back(fn);
    }
    auto [lit, lnew] = location_of_.try_emplace({fit->second.value(), f.line},
                                                model::LocationId(static_cast<uint32_t>(p_.locations.size())));
    if (lnew) {
      model::Location l;
      l.file_id = p_.locations.size() + 1;
      l.lines_begin = static_cast<uint32_t>(p_.lines.size());
      l.lines_count = 1;
      p_.lines.push_back({fit->second, f.line, 0});
      p_.locations.push_back(l);
    }
    return lit->second;
  }

  model::Profile p_;
  model::StrId state_, wait_, minutes_, locked_, true_;
  std::unordered_map<uint64_t, model::FunctionId> function_of_;
  struct PairHash {
    size_t operator()(const std::pair<uint32_t, int64_t>& k) const {
      return std::hash<uint64_t>()((uint64_t{k.first} << 40) ^ static_cast<uint64_t>(k.second));
    }
  };
  std::unordered_map<std::pair<uint32_t, int64_t>, model::LocationId, PairHash> location_of_;  // (function, line)
  IdIndex sample_of_;
  std::vector<model::LocationId> stack_;
  std::vector<model::Label> labels_;
};

// The header's "chan receive, 5 minutes, locked to thread".
void parse_status(std::string_view status, Goroutine& g) {
  size_t i = 0;
  for (bool first = true; i <= status.size(); first = false) {
    const size_t comma = std::min(status.find(", ", i), status.size());
    const std::string_view item = status.substr(i, comma - i);
    i = comma + 2;
    if (first) {
      g.state = item;
    } else if (item == "locked to thread") {
      g.locked = true;
    } else if (const size_t sp = item.find(' '); sp != std::string_view::npos && all_digits(item.substr(0, sp)) &&
                                                 (item.substr(sp) == " minutes" || item.substr(sp) == " minute")) {
      int64_t m = 0;
      if (parse_int64(item.substr(0, sp), &m)) g.wait_minutes = m;
    }
    if (comma == status.size()) break;
  }
  if (g.state.empty()) g.state = "unknown";
}

}  // namespace

bool looks_like_goroutine_dump(std::string_view bytes) {
  Lines lines(bytes.substr(0, kSniffWindow));
  bool after_header = false;
  while (lines.next()) {
    const std::string_view l = lines.line();
    if (after_header) {
      if (!frame_function(l).empty() || starts_with(l, "\tgoroutine running on other thread")) return true;
      after_header = false;
    }
    after_header = header_status(l).has_value();
  }
  return false;
}

Result<model::Profile> parse_goroutine_dump(std::string_view bytes, std::string_view name, const Limits& limits) {
  Builder b;
  Lines lines(bytes);
  enum class At { kPreamble, kBetween, kStack, kSkipBlock } at = At::kPreamble;
  Goroutine g;
  std::string_view function_line;  // the frame line whose file line comes next (empty when none)
  size_t goroutines = 0;
  auto fail = [&](std::string_view what) {
    return Error{fmt::format("{}: line {}: {}", name, lines.number(), what)};
  };
  auto finish_goroutine = [&]() -> Status {
    if (at != At::kStack) return Ok{};
    if (b.samples() >= limits.max_samples) return fail(fmt::format("more than {} goroutine stacks", limits.max_samples));
    b.add(g);
    return Ok{};
  };
  while (lines.next()) {
    const std::string_view l = lines.line();
    if (!function_line.empty()) {
      std::string_view file;
      int64_t number = 0;
      if (!file_line(l, &file, &number)) {
        return fail(fmt::format("expected the file line of {} (line {}): TAB FILE:LINE, as Go prints it",
                                text_escaped(function_line), lines.number() - 1));
      }
      g.frames.back().file = file;
      g.frames.back().line = number;
      function_line = {};
      continue;
    }
    if (const auto status = header_status(l)) {
      if (Status s = finish_goroutine(); !s) return s.error();
      g = Goroutine{};
      parse_status(*status, g);
      at = At::kStack;
      ++goroutines;
      continue;
    }
    if (at == At::kPreamble) {
      if (l.find_first_not_of(" \t") != std::string_view::npos) b.comment(l);
      continue;
    }
    if (at != At::kStack) {
      if (at == At::kSkipBlock && l.empty()) at = At::kBetween;
      continue;
    }
    // Inside a goroutine's stack.
    if (l.empty()) {
      if (Status s = finish_goroutine(); !s) return s.error();
      at = At::kBetween;
      continue;
    }
    if (starts_with(l, "[originating from goroutine ")) {  // GODEBUG=tracebackancestors: not this goroutine's stack
      if (Status s = finish_goroutine(); !s) return s.error();
      at = At::kSkipBlock;
      continue;
    }
    if (starts_with(l, "...")) continue;  // "...additional frames elided..."
    if (starts_with(l, "\tgoroutine running on other thread")) {
      g.frames.push_back({"(stack unavailable: running on another thread)", "", 0});
      continue;
    }
    std::string_view function;
    if (starts_with(l, "created by ")) {
      function = l.substr(0, l.find(" in goroutine "));  // the root frame: "created by F"
    } else {
      function = frame_function(l);
    }
    if (function.empty()) {
      if (l.front() == '\t') return fail("a file line with no function line before it");
      // Not a frame: the end of the stack ("exit status 2", a register dump).
      if (Status s = finish_goroutine(); !s) return s.error();
      at = At::kBetween;
      continue;
    }
    if (g.frames.size() >= limits.max_stack_depth) {
      return fail(fmt::format("a goroutine's stack is deeper than {} frames", limits.max_stack_depth));
    }
    g.frames.push_back({function, "", 0});
    function_line = l;  // a view into bytes, which outlive the parse
  }
  // The dump may end inside a stack (runtime.Stack's buffer was full): keep what was read.
  if (Status s = finish_goroutine(); !s) return s.error();
  if (goroutines == 0) return Error{fmt::format("{}: no goroutine in the dump (no line \"goroutine N [state]:\")", name)};
  return b.finish();
}

}  // namespace pprofx::decode
