// --config FILE: CLI11's TOML reader, with TOML's basic-string escapes.
//
// CLI11 2.1 keeps the text between double quotes as it is, so the TOML
// `ignore-function = ["runtime\\."]` reached the option as `runtime\\.` (a
// regex that matches nothing). Before CLI11 reads the file, each basic string
// ("...") is unescaped (\\ \" \t \n \r \b \f \uXXXX \UXXXXXXXX) and written as
// the TOML literal string ('...') CLI11 keeps verbatim; one that holds a '
// cannot be a literal string and is left as it was.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

namespace pprofx::cli {

// The file's text with its basic strings rewritten as literal strings.
std::string literal_strings(const std::string& toml);

class TomlConfig : public CLI::ConfigTOML {
 public:
  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override;
};

}  // namespace pprofx::cli
