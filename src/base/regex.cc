#include "pprofx/base/regex.h"

#include <re2/re2.h>

namespace pprofx {

Result<std::shared_ptr<const RE2>> compile_regex(std::string_view pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<RE2>(pattern, options);
  if (!re->ok()) return Error{re->error()};
  return std::shared_ptr<const RE2>(std::move(re));
}

}  // namespace pprofx
