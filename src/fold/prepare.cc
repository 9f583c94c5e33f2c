#include "pprofx/fold/prepare.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include "pprofx/base/regex.h"

namespace pprofx::fold {

Result<PreparedFold> prepare_fold(const model::Profile& profile, const std::string& name, const Selection& selection,
                                  TrieOptions shape) {
  auto value = choose_value(profile, selection.sample_index, false);
  if (!value) return Error{fmt::format("{}: {}", name, value.error().message)};
  auto view = build_view(profile, selection.filters);
  if (!view) return Error{fmt::format("{}: {}", name, view.error().message)};
  shape.granularity = selection.granularity;
  shape.noinlines = selection.noinlines;
  shape.value = *value;
  std::vector<std::string> warnings = std::move(view->warnings);
  return PreparedFold{std::move(*view), shape, std::move(warnings)};
}

Result<FoldedProfile> fold_profile(const model::Profile& profile, const std::string& name, const Selection& selection,
                                   TrieOptions shape) {
  auto prepared = prepare_fold(profile, name, selection, shape);
  if (!prepared) return prepared.error();
  return FoldedProfile{build_trie(prepared->view, prepared->options), prepared->options.value,
                       std::move(prepared->warnings)};
}

Result<std::shared_ptr<Pivot>> make_pivot(const std::string& regex, bool callers) {
  auto re = compile_regex(regex);
  if (!re) return Error{fmt::format("--focus-function: parsing regexp {}: {}", regex, re.error().message)};
  auto pivot = std::make_shared<Pivot>();
  pivot->matches = [re = *re](std::string_view frame) { return RE2::PartialMatch(frame, *re); };
  pivot->callers = callers;
  return pivot;
}

}  // namespace pprofx::fold
