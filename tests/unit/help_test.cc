#include <doctest/doctest.h>

#include <string>

#include "pprofx/help/help.h"

using namespace pprofx;
using help::CommandInfo;
using help::OptionInfo;

namespace {

// pprofx [-h] with `flame PROFILE... [-o FILE] [--palette {hot,mem,io}]` and
// `baseline save PROFILE [--store DIR]`, described as the CLI would.
CommandInfo small_cli() {
  CommandInfo root{.path = "pprofx", .name = "pprofx", .description = "the program"};
  root.options.push_back({.names = {"-h", "--help"}, .description = "Print this help message and exit"});

  CommandInfo flame{.path = "flame", .name = "flame", .description = ".dot first, a\\b and c-d"};
  flame.options.push_back({.positional = "profile", .description = "Profiles", .repeatable = true, .path = true});
  flame.options.push_back({.names = {"-o", "--output"}, .value = "TEXT", .description = "Output file", .path = true});
  flame.options.push_back({.names = {"--palette"},
                           .value = "TEXT",
                           .choices = {"hot", "mem", "io"},
                           .description = "Colour scheme (one of three)",
                           .default_value = "hot"});

  CommandInfo save{.path = "baseline save", .name = "save", .description = "Store a baseline"};
  save.options.push_back({.positional = "profile", .description = "Profile", .path = true});
  save.options.push_back({.names = {"--store"}, .value = "TEXT", .description = "The store", .path = true});
  CommandInfo baseline{.path = "baseline", .name = "baseline", .description = "Baselines for check"};
  baseline.subcommands.push_back(save);

  root.subcommands = {flame, baseline};
  return root;
}

}  // namespace

TEST_CASE("help: man page escapes roff and lists nested commands") {
  const std::string man = help::man_page(small_cli(), "9.9");
  CHECK(man.starts_with(".TH PPROFX 1 \"\" \"pprofx 9.9\" \"User Commands\"\n"));
  // A leading '.' would be a roff request: \& guards it; '\' is \e, '-' is \-.
  CHECK(man.find(".SS \"pprofx flame profile...\"\n\\&.dot first, a\\eb and c\\-d\n") != std::string::npos);
  CHECK(man.find(".TP\n\\fB\\-o\\fR, \\fB\\-\\-output\\fR \\fITEXT\\fR\nOutput file\n") != std::string::npos);
  CHECK(man.find(".TP\n\\fB\\-\\-palette\\fR \\fI{hot,mem,io}\\fR\nColour scheme (one of three) (default: hot)\n") !=
        std::string::npos);
  // A command with only subcommands gets no section of its own; its subcommands do.
  CHECK(man.find(".SS \"pprofx baseline\"") == std::string::npos);
  CHECK(man.find(".SS \"pprofx baseline save profile\"\nStore a baseline\n.TP\n\\fB\\-\\-store\\fR \\fITEXT\\fR\n") !=
        std::string::npos);
  CHECK(man.find(".SH GLOBAL OPTIONS\n.TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nPrint this help message and exit\n") !=
        std::string::npos);
}

TEST_CASE("help: bash completes choices, files and nested commands") {
  const std::string bash = help::bash_completion(small_cli());
  const std::string flame = R"(    "flame")
      case "$prev" in
        --palette) COMPREPLY=($(compgen -W "hot mem io" -- "$cur")); return ;;
        -o|--output) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --palette) return ;;
      esac
      if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "-o --output --palette" -- "$cur")); return; fi
      COMPREPLY=($(compgen -f -- "$cur")) ;;
)";
  CHECK(bash.find(flame) != std::string::npos);
  // Which words are subcommands at each level, then the nested command's own case.
  CHECK(bash.find("      \"\") subs=\"flame baseline\" ;;\n      \"baseline\") subs=\"save\" ;;\n    esac\n") !=
        std::string::npos);
  CHECK(bash.find("    \"baseline\")\n      case \"$prev\" in\n      esac\n"
                  "      if [[ \"$cur\" == -* ]]; then COMPREPLY=($(compgen -W \"\" -- \"$cur\")); return; fi\n"
                  "      COMPREPLY=($(compgen -W \"save\" -- \"$cur\")) ;;\n") != std::string::npos);
  CHECK(bash.find("    \"baseline save\")\n      case \"$prev\" in\n"
                  "        --store) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n") != std::string::npos);
  CHECK(bash.find("COMPREPLY=($(compgen -W \"-h --help\" -- \"$cur\")); return; fi\n"
                  "      COMPREPLY=($(compgen -W \"flame baseline\" -- \"$cur\")) ;;\n") != std::string::npos);
  CHECK(bash.ends_with("complete -o filenames -o bashdefault -F _pprofx pprofx\n"));
}

TEST_CASE("help: zsh defines nested functions before their callers") {
  const std::string zsh = help::zsh_completion(small_cli());
  CHECK(zsh.starts_with("#compdef pprofx\n"));
  const size_t save = zsh.find("_pprofx_baseline_save() {\n  _arguments -s -S \\\n    '1:profile:_files' \\\n"
                               "    '--store=[The store]:text:_files' \\\n    && return\n}\n");
  const size_t baseline = zsh.find("_pprofx_baseline() {\n");
  const size_t root = zsh.find("_pprofx() {\n");
  REQUIRE(save != std::string::npos);
  REQUIRE(baseline != std::string::npos);
  REQUIRE(root != std::string::npos);
  CHECK(save < baseline);
  CHECK(baseline < root);
  CHECK(zsh.find("        save) _pprofx_baseline_save ;;\n", baseline) != std::string::npos);
  // The menu text stops at the first '(' and escapes _arguments' specials ('\' here).
  CHECK(zsh.find("    '--palette=[Colour scheme]:text:(hot mem io)' \\\n") != std::string::npos);
  CHECK(zsh.find("    '*:profile:_files' \\\n") != std::string::npos);
  CHECK(zsh.find("    'flame:.dot first, a\\\\b and c-d'\n") != std::string::npos);
  CHECK(zsh.ends_with("_pprofx \"$@\"\n"));
}
