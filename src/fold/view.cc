// Filters over a profile's stacks, following pprof's profile/filter.go and
// profile/prune.go. Regexes are matched once per function and per mapping,
// never per sample.
#include "pprofx/fold/view.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <memory>
#include <unordered_set>

#include "pprofx/base/regex.h"
#include "pprofx/fold/tag_filter.h"

namespace pprofx::fold {
namespace {

using model::FunctionId;
using model::LineId;
using model::LocationId;
using model::MappingId;
using model::StrId;
// Per-function, per-mapping and per-location tables.
using FunctionTable = IdVector<FunctionId, uint8_t>;
using MappingTable = IdVector<MappingId, uint8_t>;
using LocationTable = IdVector<LocationId, uint8_t>;

Result<std::shared_ptr<const RE2>> compile(std::string_view option, const std::string& pattern) {
  auto re = compile_regex(pattern);
  if (!re) return Error{fmt::format("parsing {} regexp: {}", option, re.error().message)};
  return re;
}

// pprof's simplifyFunc: drop a leading '.', cut the argument list at the first
// '(' that does not start "(anonymous namespace)" or "operator()".
std::string_view simplify_func(std::string_view name) {
  if (!name.empty() && name[0] == '.') name.remove_prefix(1);
  size_t pos = 0;
  while (pos < name.size()) {
    size_t paren = name.find('(', pos);
    size_t anon = name.find("(anonymous namespace)", pos);
    size_t op = name.find("operator()", pos);
    size_t first = std::min({paren, anon, op});
    if (first == std::string_view::npos) break;
    if (first == anon) {
      pos = anon + 21;
    } else if (first == op) {
      pos = op + 10;
    } else {
      return name.substr(0, first);
    }
  }
  return name;
}

class Builder {
 public:
  Builder(const model::Profile& p, View& v) : p_(p), v_(v) {}

  void init() {
    v_.profile = &p_;
    const size_t nloc = p_.locations.size();
    v_.line_begin.resize(nloc);
    v_.line_count.resize(nloc);
    v_.line_refs.resize(p_.lines.size());
    for (size_t i = 0; i < p_.lines.size(); ++i) v_.line_refs[i] = id_at<LineId>(i);
    for (size_t l = 0; l < nloc; ++l) {
      v_.line_begin[l] = p_.locations[l].lines_begin;
      v_.line_count[l] = p_.locations[l].lines_count;
    }
    v_.samples.reserve(p_.samples.size());
    for (size_t s = 0; s < p_.samples.size(); ++s) {
      const model::Sample& sm = p_.samples[s];
      v_.samples.push_back({static_cast<uint32_t>(s), sm.locations_count,
                            p_.sample_locations.data() + sm.locations_begin});
    }
  }

  // Profile::RemoveUninteresting / Prune.
  void drop_frames(const RE2& drop, const RE2* keep) {
    FunctionTable droppable(p_.functions.size());
    for (size_t f = 0; f < p_.functions.size(); ++f) {
      const std::string_view name = p_.str(p_.functions[f].name);
      if (name.empty()) continue;
      const std::string_view simple = simplify_func(name);
      droppable[f] = RE2::PartialMatch(simple, drop) && !(keep && RE2::PartialMatch(simple, *keep));
    }
    // 1: prune the whole location; 2: prune beneath it (lines were cut).
    LocationTable mark(p_.locations.size());
    for (LocationId l : p_.locations.ids()) {
      if (p_.locations[l].is_label_frame) continue;  // pprof prunes before it makes --tagroot's frames
      auto lines = v_.lines(l);
      for (size_t i = lines.size(); i-- > 0;) {
        if (droppable[p_.lines[lines[i]].function]) {
          if (i == lines.size() - 1) {
            mark[l] = 1;
          } else {
            mark[l] = 2;
            v_.line_begin[l] += static_cast<uint32_t>(i + 1);
            v_.line_count[l] -= static_cast<uint32_t>(i + 1);
          }
          break;
        }
      }
    }
    const auto is_label_frame = [&](LocationId l) { return p_.locations[l].is_label_frame; };
    std::vector<std::pair<size_t, size_t>> rewritten;  // (sample, offset into pruned_storage)
    for (size_t k = 0; k < v_.samples.size(); ++k) {
      ViewSample& s = v_.samples[k];
      bool found_user = false;
      for (size_t i = s.count; i-- > 0;) {
        if (is_label_frame(s.stack[i])) continue;  // --tagroot's frames: not there when pprof prunes
        const uint8_t m = mark[s.stack[i]];
        if (m == 0) {
          found_user = true;
          continue;
        }
        if (!found_user) continue;
        const size_t cut = m == 1 ? i + 1 : i;  // keep stack[cut:]
        // --tagleaf's frames stay at the leaf: pprof adds them to the pruned stack.
        size_t leaf_frames = 0;
        while (leaf_frames < cut && is_label_frame(s.stack[leaf_frames])) ++leaf_frames;
        if (leaf_frames == 0) {
          s.stack += cut;
          s.count -= static_cast<uint32_t>(cut);
          break;
        }
        rewritten.emplace_back(k, v_.pruned_storage.size());
        v_.pruned_storage.insert(v_.pruned_storage.end(), s.stack, s.stack + leaf_frames);
        v_.pruned_storage.insert(v_.pruned_storage.end(), s.stack + cut, s.stack + s.count);
        s.count -= static_cast<uint32_t>(cut - leaf_frames);
        break;
      }
    }
    for (auto [k, offset] : rewritten) v_.samples[k].stack = v_.pruned_storage.data() + offset;
  }

  // Per function and per mapping: does the regex match its name or file?
  void match_tables(const RE2& re, FunctionTable* fn, MappingTable* mapping) {
    fn->assign(p_.functions.size(), 0);
    for (size_t f = 0; f < p_.functions.size(); ++f) {
      const model::Function& func = p_.functions[f];
      (*fn)[f] = RE2::PartialMatch(p_.str(func.name), re) || RE2::PartialMatch(p_.str(func.filename), re);
    }
    mapping->assign(p_.mappings.size(), 0);
    for (size_t m = 0; m < p_.mappings.size(); ++m) {
      (*mapping)[m] = RE2::PartialMatch(p_.str(p_.mappings[m].filename), re);
    }
  }

  bool location_matches(LocationId l, const FunctionTable& fn, const MappingTable& mapping) {
    for (LineId line : v_.lines(l)) {
      if (fn[p_.lines[line].function]) return true;
    }
    const MappingId m = p_.locations[l].mapping;
    return m != model::kNone && mapping[m];
  }

  // Profile::FilterSamplesByName.
  void filter_by_name(const RE2* focus, const RE2* ignore, const RE2* hide, const RE2* show) {
    struct Table {
      FunctionTable fn;
      MappingTable mapping;
    };
    Table tf, ti, th, ts;
    if (focus) match_tables(*focus, &tf.fn, &tf.mapping);
    if (ignore) match_tables(*ignore, &ti.fn, &ti.mapping);
    if (hide) match_tables(*hide, &th.fn, &th.mapping);
    if (show) match_tables(*show, &ts.fn, &ts.mapping);

    bool fm = false, im = false, hm = false, hnm = false;
    // 0: neither, 1: focused, 2: ignored.
    LocationTable focus_or_ignore(p_.locations.size());
    LocationTable hidden(p_.locations.size());
    bool any_hidden = false;
    const bool rewrite_lines = hide || show;
    std::vector<LineId> new_refs;
    if (rewrite_lines) new_refs.reserve(v_.line_refs.size());
    for (LocationId l : p_.locations.ids()) {
      if (ignore && location_matches(l, ti.fn, ti.mapping)) {
        im = true;
        focus_or_ignore[l] = 2;
      } else if (!focus || location_matches(l, tf.fn, tf.mapping)) {
        fm = true;
        focus_or_ignore[l] = 1;
      }
      if (!rewrite_lines) continue;
      const MappingId mapping = p_.locations[l].mapping;
      std::vector<LineId> lines(v_.lines(l).begin(), v_.lines(l).end());
      if (hide && location_matches(l, th.fn, th.mapping)) {
        hm = true;
        if (mapping != model::kNone && th.mapping[mapping]) {
          lines.clear();
        } else {
          std::erase_if(lines, [&](LineId line) { return th.fn[p_.lines[line].function] != 0; });
        }
        if (lines.empty()) hidden[l] = 1;
      }
      if (show) {
        if (!(mapping != model::kNone && ts.mapping[mapping])) {
          std::erase_if(lines, [&](LineId line) { return ts.fn[p_.lines[line].function] == 0; });
        }
        if (lines.empty()) {
          hidden[l] = 1;
        } else {
          hnm = true;
        }
      }
      any_hidden = any_hidden || hidden[l];
      v_.line_begin[l] = static_cast<uint32_t>(new_refs.size());
      v_.line_count[l] = static_cast<uint32_t>(lines.size());
      new_refs.insert(new_refs.end(), lines.begin(), lines.end());
    }
    if (rewrite_lines) v_.line_refs = std::move(new_refs);

    // Filtered in place (kept samples move down): no second array of samples.
    size_t kept = 0;
    std::vector<std::pair<size_t, size_t>> rewritten;  // (kept index, storage offset)
    const bool all_focused = !focus && !ignore;  // every location is 1: a sample is kept if it has one
    for (size_t r = 0; r < v_.samples.size(); ++r) {
      const ViewSample s = v_.samples[r];
      bool focused = all_focused && s.count > 0, ignored = false;
      for (size_t i = 0; i < s.count && !all_focused; ++i) {
        const LocationId loc = s.stack[i];
        if (focus_or_ignore[loc] == 2) {
          ignored = true;
          break;
        }
        if (focus_or_ignore[loc] == 1) focused = true;
      }
      if (ignored || !focused) continue;
      if (any_hidden) {
        const size_t offset = v_.stack_storage.size();
        for (LocationId loc : v_.stack(s)) {
          if (!hidden[loc]) v_.stack_storage.push_back(loc);
        }
        const size_t count = v_.stack_storage.size() - offset;
        if (count == 0) continue;
        if (count != s.count) {
          rewritten.emplace_back(kept, offset);
          v_.samples[kept++] = {s.sample, static_cast<uint32_t>(count), nullptr};
          continue;
        }
        v_.stack_storage.resize(offset);
      }
      v_.samples[kept++] = s;
    }
    v_.samples.resize(kept);
    for (auto [k, offset] : rewritten) v_.samples[k].stack = v_.stack_storage.data() + offset;
    warn(!focus || fm, "Focus");
    warn(!ignore || im, "Ignore");
    warn(!hide || hm, "Hide");
    warn(!show || hnm, "Show");
  }

  // Profile::ShowFrom.
  void show_from(const RE2& re) {
    FunctionTable fn;
    MappingTable mapping;
    match_tables(re, &fn, &mapping);
    LocationTable matched(p_.locations.size());
    bool any = false;
    for (LocationId l : p_.locations.ids()) {
      const MappingId m = p_.locations[l].mapping;
      if (m != model::kNone && mapping[m]) {
        matched[l] = 1;
      } else {
        auto lines = v_.lines(l);
        for (size_t i = lines.size(); i-- > 0;) {
          if (fn[p_.lines[lines[i]].function]) {
            v_.line_count[l] = static_cast<uint32_t>(i + 1);
            matched[l] = 1;
            break;
          }
        }
      }
      any = any || matched[l];
    }
    std::vector<ViewSample> kept;
    for (ViewSample s : v_.samples) {
      for (size_t i = s.count; i-- > 0;) {
        if (matched[s.stack[i]]) {
          s.count = static_cast<uint32_t>(i + 1);
          kept.push_back(s);
          break;
        }
      }
    }
    v_.samples = std::move(kept);
    warn(any, "ShowFrom");
  }

  // Profile::FilterTagsByName: a label stays if its key matches show (when
  // given) and not hide; "matched" counts keys of the samples still in the view.
  void filter_label_keys(const RE2* show, const RE2* hide) {
    std::unordered_set<uint32_t> seen;  // distinct keys only: a label array can be large
    for (const ViewSample& s : v_.samples) {
      for (const model::Label& l : p_.sample_labels(p_.samples[s.sample])) seen.insert(l.key.value());
    }
    std::vector<StrId> keys;
    keys.reserve(seen.size());
    for (uint32_t k : seen) keys.emplace_back(k);
    std::sort(keys.begin(), keys.end());  // hidden_label_keys is searched
    bool shown = false, hidden = false;
    for (StrId key : keys) {
      const std::string_view name = p_.str(key);
      const bool match_show = show == nullptr || RE2::PartialMatch(name, *show);
      const bool match_hide = hide != nullptr && RE2::PartialMatch(name, *hide);
      shown = shown || match_show;
      hidden = hidden || match_hide;
      if (!match_show || match_hide) v_.hidden_label_keys.push_back(key);
    }
    warn(show == nullptr || shown, "TagShow");
    warn(hide == nullptr || hidden, "TagHide");
  }

  void filter_by_tag(const SamplePredicate* focus, const SamplePredicate* ignore) {
    bool fm = false, im = false;
    std::erase_if(v_.samples, [&](const ViewSample& s) {  // in place
      const model::Sample& sm = p_.samples[s.sample];
      const bool focused = focus == nullptr || (*focus)(sm);
      const bool ignored = ignore != nullptr && (*ignore)(sm);
      fm = fm || focused;
      im = im || ignored;
      return !(focused && !ignored);
    });
    warn(!focus || fm, "TagFocus");
    warn(!ignore || im, "TagIgnore");
  }

  // Profile::PruneFrom.
  void prune_from(const RE2& re) {
    FunctionTable fn_match(p_.functions.size());
    for (size_t f = 0; f < p_.functions.size(); ++f) {
      const std::string_view name = p_.str(p_.functions[f].name);
      fn_match[f] = !name.empty() && RE2::PartialMatch(simplify_func(name), re);
    }
    LocationTable beneath(p_.locations.size());
    for (LocationId l : p_.locations.ids()) {
      auto lines = v_.lines(l);
      for (size_t i = 0; i < lines.size(); ++i) {
        if (fn_match[p_.lines[lines[i]].function]) {
          beneath[l] = 1;
          v_.line_begin[l] += static_cast<uint32_t>(i);
          v_.line_count[l] -= static_cast<uint32_t>(i);
          break;
        }
      }
    }
    for (ViewSample& s : v_.samples) {
      for (size_t i = 0; i < s.count; ++i) {
        if (beneath[s.stack[i]]) {
          s.stack += i;
          s.count -= static_cast<uint32_t>(i);
          break;
        }
      }
    }
  }

 private:
  void warn(bool ok, std::string_view option) {
    if (!ok) v_.warnings.push_back(fmt::format("{} expression matched no samples", option));
  }

  const model::Profile& p_;
  View& v_;
};

}  // namespace

Result<View> build_view(const model::Profile& p, const Filters& f) {
  View view;
  Builder b(p, view);
  b.init();

  // The profile's own drop_frames. pprof ignores a drop_frames regex that
  // does not compile; so do we, with a warning.
  if (!f.all_frames && p.drop_frames != model::kEmptyStr) {
    auto drop = compile("drop_frames", "^(" + std::string(p.str(p.drop_frames)) + ")$");
    Result<std::shared_ptr<const RE2>> keep = std::shared_ptr<const RE2>();
    if (p.keep_frames != model::kEmptyStr) {
      keep = compile("keep_frames", "^(" + std::string(p.str(p.keep_frames)) + ")$");
    }
    if (drop && keep) {
      b.drop_frames(**drop, keep->get());
    } else {
      view.warnings.push_back(fmt::format("ignoring the profile's drop_frames: {}",
                                          drop ? keep.error().message : drop.error().message));
    }
  }

  std::shared_ptr<const RE2> focus, ignore, hide, show, show_from, prune_from;
  for (auto [name, pattern, out] :
       {std::tuple{"focus", &f.focus, &focus}, std::tuple{"ignore", &f.ignore, &ignore},
        std::tuple{"hide", &f.hide, &hide}, std::tuple{"show", &f.show, &show},
        std::tuple{"show_from", &f.show_from, &show_from},
        std::tuple{"prune_from", &f.prune_from, &prune_from}}) {
    if (pattern->empty()) continue;
    auto re = compile(name, *pattern);
    if (!re) return re.error();
    *out = std::move(*re);
  }
  SamplePredicate tag_focus, tag_ignore;
  for (auto [name, expr, out] : {std::tuple{"tagfocus", &f.tag_focus, &tag_focus},
                                 std::tuple{"tagignore", &f.tag_ignore, &tag_ignore}}) {
    if (expr->empty()) continue;
    std::string note;
    auto pred = compile_tag_filter(p, name, *expr, &note);
    if (!pred) return pred.error();
    if (!note.empty()) view.warnings.push_back(note);
    *out = std::move(*pred);
  }

  b.filter_by_name(focus.get(), ignore.get(), hide.get(), show.get());
  if (show_from) b.show_from(*show_from);
  if (tag_focus || tag_ignore) {
    b.filter_by_tag(tag_focus ? &tag_focus : nullptr, tag_ignore ? &tag_ignore : nullptr);
  }
  // Compiled after the sample filters, as pprof does; an invalid one fails the run.
  std::shared_ptr<const RE2> tag_show, tag_hide;
  for (auto [name, pattern, out] : {std::tuple{"tagshow", &f.tag_show, &tag_show},
                                    std::tuple{"taghide", &f.tag_hide, &tag_hide}}) {
    if (pattern->empty()) continue;
    auto re = compile(name, *pattern);
    if (!re) return re.error();
    *out = std::move(*re);
  }
  if (tag_show || tag_hide) b.filter_label_keys(tag_show.get(), tag_hide.get());
  if (prune_from) b.prune_from(*prune_from);
  return view;
}

int64_t report_total(const model::Profile& p, const ValueChoice& value, const View* relative) {
  int64_t total = 0, div = 0;
  auto add = [&](size_t s) {
    auto v = p.sample_values(s);
    int64_t x = v[value.index];
    total += x < 0 ? -x : x;
    if (value.mean) div += v[0];
  };
  if (relative != nullptr) {
    for (const ViewSample& s : relative->samples) add(s.sample);
  } else {
    for (size_t s = 0; s < p.samples.size(); ++s) add(s);
  }
  return div != 0 ? total / div : total;
}

}  // namespace pprofx::fold
