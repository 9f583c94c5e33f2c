#include "pprofx/help/help.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace pprofx::help {
namespace {

// --- man page --------------------------------------------------------------

std::string roff(std::string_view s) {
  std::string out;
  bool line_start = true;
  for (char ch : s) {
    if (line_start && (ch == '.' || ch == '\'')) out += "\\&";
    if (ch == '\\') {
      out += "\\e";
    } else if (ch == '-') {
      out += "\\-";
    } else {
      out += ch;
    }
    line_start = ch == '\n';
  }
  return out;
}

std::string bold_names(const std::vector<std::string>& names) {  // "\fB\-n\fR, \fB\-\-nodecount\fR"
  std::string head;
  for (const std::string& n : names) head += (head.empty() ? "" : ", ") + fmt::format("\\fB{}\\fR", roff(n));
  return head;
}

void man_command(std::string& out, const CommandInfo& c) {
  if (c.subcommands.empty() || !c.options.empty()) {
    std::string synopsis = "pprofx " + c.path;
    for (const OptionInfo& o : c.options) {
      if (!o.positional.empty()) synopsis += " " + o.positional + (o.repeatable ? "..." : "");
    }
    out += fmt::format(".SS \"{}\"\n{}\n", roff(synopsis), roff(c.description));
    for (const OptionInfo& o : c.options) {
      if (!o.positional.empty()) continue;
      std::string head = bold_names(o.names);
      if (!o.value.empty()) {
        const std::string value = o.choices.empty() ? o.value : fmt::format("{{{}}}", fmt::join(o.choices, ","));
        head += fmt::format(" \\fI{}\\fR", roff(value));
      }
      std::string text = o.description;
      if (!o.default_value.empty() && o.default_value != "[]") text += fmt::format(" (default: {})", o.default_value);
      out += fmt::format(".TP\n{}\n{}\n", head, roff(text));
    }
  }
  for (const CommandInfo& s : c.subcommands) man_command(out, s);
}

// --- bash ------------------------------------------------------------------

std::string words(const std::vector<std::string>& w) { return fmt::format("{}", fmt::join(w, " ")); }

void bash_command(std::string& out, const CommandInfo& c) {
  std::vector<std::string> opts, subs, path_opts, value_opts;
  for (const OptionInfo& o : c.options) {
    for (const std::string& n : o.names) {
      opts.push_back(n);
      if (!o.value.empty()) (o.path ? path_opts : value_opts).push_back(n);
    }
  }
  for (const CommandInfo& s : c.subcommands) subs.push_back(s.name);
  out += fmt::format("    \"{}\")\n", c.path);
  out += "      case \"$prev\" in\n";
  std::vector<std::string> positional_choices;
  for (const OptionInfo& o : c.options) {
    if (o.choices.empty()) continue;
    if (o.names.empty()) {
      positional_choices = o.choices;
      continue;
    }
    out += fmt::format("        {}) COMPREPLY=($(compgen -W \"{}\" -- \"$cur\")); return ;;\n",
                       fmt::join(o.names, "|"), words(o.choices));
  }
  if (!path_opts.empty()) {
    out += fmt::format("        {}) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", fmt::join(path_opts, "|"));
  }
  if (!value_opts.empty()) out += fmt::format("        {}) return ;;\n", fmt::join(value_opts, "|"));
  out += "      esac\n";
  out += fmt::format("      if [[ \"$cur\" == -* ]]; then COMPREPLY=($(compgen -W \"{}\" -- \"$cur\")); return; fi\n",
                     words(opts));
  if (!subs.empty() || !positional_choices.empty()) {
    out += fmt::format("      COMPREPLY=($(compgen -W \"{}\" -- \"$cur\")) ;;\n",
                       words(subs.empty() ? positional_choices : subs));
  } else {
    out += "      COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n";
  }
  for (const CommandInfo& s : c.subcommands) bash_command(out, s);
}

void bash_levels(std::string& out, const CommandInfo& c) {
  if (c.subcommands.empty()) return;
  std::vector<std::string> subs;
  for (const CommandInfo& s : c.subcommands) subs.push_back(s.name);
  out += fmt::format("      \"{}\") subs=\"{}\" ;;\n", c.path, words(subs));
  for (const CommandInfo& s : c.subcommands) bash_levels(out, s);
}

// --- zsh -------------------------------------------------------------------

std::string zsh_quote(std::string_view s) {  // inside '...'
  std::string out;
  for (char ch : s) {
    if (ch == '\'') {
      out += "'\\''";
    } else {
      out += ch;
    }
  }
  return out;
}

std::string zsh_description(std::string_view s) {  // inside [...] of an _arguments spec
  std::string out;
  for (char ch : s.substr(0, s.find('('))) {  // the first clause is enough for a menu
    if (ch == '[' || ch == ']' || ch == ':' || ch == '\\') out += '\\';
    out += ch;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string zsh_function_name(const CommandInfo& c) {
  std::string n = "_pprofx_";
  for (char ch : c.path) n += ch == ' ' || ch == '-' ? '_' : ch;
  return c.path.empty() ? "_pprofx" : n;
}

void zsh_command(std::string& out, const CommandInfo& c) {
  for (const CommandInfo& s : c.subcommands) zsh_command(out, s);
  out += fmt::format("{}() {{\n", zsh_function_name(c));
  if (!c.subcommands.empty()) {
    out += "  local -a commands\n  commands=(\n";
    for (const CommandInfo& s : c.subcommands) {
      out += fmt::format("    '{}:{}'\n", s.name, zsh_quote(zsh_description(s.description)));
    }
    out += "  )\n";
    out += "  _arguments -C '1:command:->command' '*::argument:->argument' && return\n";
    out += "  case $state in\n    command) _describe -t commands 'pprofx command' commands ;;\n";
    out += "    argument)\n      case $words[1] in\n";
    for (const CommandInfo& s : c.subcommands) out += fmt::format("        {}) {} ;;\n", s.name, zsh_function_name(s));
    out += "      esac ;;\n  esac\n}\n";
    return;
  }
  out += "  _arguments -s -S \\\n";
  for (const OptionInfo& o : c.options) {
    if (!o.positional.empty()) {
      const std::string action = o.choices.empty() ? "_files" : fmt::format("({})", words(o.choices));
      out += fmt::format("    '{}:{}:{}' \\\n", o.repeatable ? "*" : "1", o.positional, action);
      continue;
    }
    for (const std::string& n : o.names) {
      const bool long_name = n.size() > 2;
      std::string spec = (o.repeatable ? "*" : "") + n;
      if (!o.value.empty() && long_name) spec += "=";
      spec += "[" + zsh_description(o.description) + "]";
      if (!o.value.empty()) {
        std::string action = o.path ? "_files" : !o.choices.empty() ? fmt::format("({})", words(o.choices)) : " ";
        std::string label = o.value;
        std::transform(label.begin(), label.end(), label.begin(), [](unsigned char ch) { return std::tolower(ch); });
        spec += ":" + label + ":" + action;
      }
      out += fmt::format("    '{}' \\\n", zsh_quote(spec));
    }
  }
  out += "    && return\n}\n";
}

}  // namespace

std::string man_page(const CommandInfo& root, std::string_view version) {
  std::string out;
  out += fmt::format(".TH PPROFX 1 \"\" \"pprofx {}\" \"User Commands\"\n", version);
  out += ".SH NAME\npprofx \\- analyse pprof profiles and render flame graphs\n";
  out += ".SH SYNOPSIS\n.B pprofx\n\\fICOMMAND\\fR [\\fIOPTIONS\\fR] \\fIPROFILE\\fR...\n";
  out += ".SH DESCRIPTION\n";
  out += roff("pprofx reads pprof profiles (profile.proto, gzip or not; pprof's legacy formats; folded stacks; "
              "http(s)://host:port/debug/pprof/... URLs) and prints pprof's reports with pprof's numbers (top, "
              "tree), draws flame graphs (interactive SVG or PNG), converts between formats, compares profiles "
              "and checks them against baselines in CI.") +
         "\n.PP\n" + roff("Every command that reads profiles takes several and merges them first.") + "\n";
  out += ".SH COMMANDS\n";
  for (const CommandInfo& c : root.subcommands) man_command(out, c);
  out += ".SH GLOBAL OPTIONS\n";
  for (const OptionInfo& o : root.options) {
    if (o.names.empty()) continue;
    out += fmt::format(".TP\n{}\n{}\n", bold_names(o.names), roff(o.description));
  }
  out += ".SH EXIT STATUS\n.TP\n0\nSuccess.\n.TP\n1\n" +
         roff("Error: bad input, an unreadable or unwritable file, a failed fetch. One line on standard error: "
              "pprofx: error: FILE: what is wrong.") +
         "\n.TP\n2\nUsage error.\n.TP\n3\n" + roff("pprofx check found a regression.") + "\n";
  out += ".SH ENVIRONMENT\n.TP\n.B PPROF_BINARY_PATH\n" +
         roff("Directories (colon-separated) searched for the binaries of address-only profiles, after "
              "--binary-path; default $HOME/pprof/binaries.") +
         "\n.TP\n.B NO_COLOR\n" + roff("When set and not empty, tables are not coloured unless --color=always.") +
         "\n.TP\n.B TZ\n" + roff("Times in report headers are shown in this time zone.") + "\n";
  out += ".SH EXAMPLES\n";
  for (auto [what, cmd] :
       {std::pair{"A flame graph of a CPU profile:", "pprofx flame cpu.pb.gz -o cpu.svg"},
        std::pair{"pprof's -top, with the same numbers:", "pprofx top -n 20 heap.pb.gz"},
        std::pair{"Collect 30 s of CPU from a Go service:", "pprofx flame localhost:6060 --seconds 30 -o live.svg"},
        std::pair{"Who calls a function, and what it calls:",
                  "pprofx flame cpu.pb.gz --focus-function 'json\\.Unmarshal' -o s.svg"},
        std::pair{"Fail CI when a function regressed:", "pprofx check new.pb.gz --baseline base.pb.gz"},
        std::pair{"Open in speedscope:", "pprofx convert cpu.pb.gz -o cpu.speedscope.json"}}) {
    out += fmt::format(".PP\n{}\n.PP\n.RS\n.nf\n{}\n.fi\n.RE\n", roff(what), roff(cmd));
  }
  out += ".SH SEE ALSO\n" +
         roff("go tool pprof, flamegraph.pl, speedscope; the guide in docs/ of pprofx's sources.") + "\n";
  return out;
}

std::string bash_completion(const CommandInfo& root) {
  std::string out =
      "# bash completion for pprofx (generated by: pprofx completion bash)\n"
      "_pprofx() {\n"
      "  local cur prev cmd subs word i\n"
      "  cur=\"${COMP_WORDS[COMP_CWORD]}\"\n"
      "  prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
      "  # --opt=value: bash splits at '='.\n"
      "  if [[ \"$cur\" == \"=\" ]]; then cur=\"\"; "
      "elif [[ \"$prev\" == \"=\" ]]; then prev=\"${COMP_WORDS[COMP_CWORD-2]}\"; fi\n"
      "  cmd=\"\"\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    word=\"${COMP_WORDS[i]}\"\n"
      "    subs=\"\"\n"
      "    case \"$cmd\" in\n";
  std::vector<std::string> top;
  for (const CommandInfo& c : root.subcommands) top.push_back(c.name);
  out += fmt::format("      \"\") subs=\"{}\" ;;\n", words(top));
  for (const CommandInfo& c : root.subcommands) bash_levels(out, c);
  out += "    esac\n"
         "    if [[ \" $subs \" == *\" $word \"* ]]; then cmd=\"${cmd:+$cmd }$word\"; fi\n"
         "  done\n"
         "  case \"$cmd\" in\n";
  std::vector<std::string> root_opts;
  for (const OptionInfo& o : root.options) root_opts.insert(root_opts.end(), o.names.begin(), o.names.end());
  out += fmt::format("    \"\")\n      if [[ \"$cur\" == -* ]]; then COMPREPLY=($(compgen -W \"{}\" -- \"$cur\")); "
                     "return; fi\n      COMPREPLY=($(compgen -W \"{}\" -- \"$cur\")) ;;\n",
                     words(root_opts), words(top));
  for (const CommandInfo& c : root.subcommands) bash_command(out, c);
  out += "  esac\n}\ncomplete -o filenames -o bashdefault -F _pprofx pprofx\n";
  return out;
}

std::string zsh_completion(const CommandInfo& root) {
  CommandInfo top = root;
  top.path = "";  // its function is _pprofx
  std::string out = "#compdef pprofx\n# zsh completion for pprofx (generated by: pprofx completion zsh)\n";
  zsh_command(out, top);
  out += "_pprofx \"$@\"\n";
  return out;
}

}  // namespace pprofx::help
