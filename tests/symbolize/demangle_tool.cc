// Test helper: for each name on stdin prints MODE<TAB>NAME<TAB>RESULT for the
// modes default, templates and full, as tests/symbolize/demangle-oracle does
// with pprof's demangler.
#include <iostream>
#include <string>

#include "pprofx/symbolize/demangle.h"

int main() {
  using pprofx::symbolize::DemangleMode;
  std::string name;
  while (std::getline(std::cin, name)) {
    for (auto [mode, label] : {std::pair{DemangleMode::kDefault, "default"}, std::pair{DemangleMode::kTemplates, "templates"},
                               std::pair{DemangleMode::kFull, "full"}}) {
      std::cout << label << '\t' << name << '\t' << pprofx::symbolize::demangle(name, mode) << '\n';
    }
  }
  return 0;
}
