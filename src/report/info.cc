#include "pprofx/report/info.h"

#include <fmt/format.h>

#include <map>

#include "pprofx/base/strings.h"
#include "pprofx/fold/options.h"
#include "pprofx/model/units.h"
#include "pprofx/report/header.h"

namespace pprofx::report {
namespace {

std::string bytes_label(uint64_t n) { return model::scaled_label(static_cast<int64_t>(n), "bytes", "auto"); }

std::string value_type(const model::Profile& p, const model::ValueType& vt) {
  return text_escaped(fmt::format("{}/{}", p.str(vt.type), p.str(vt.unit)));
}

}  // namespace

std::string format_info(const model::Profile& p, const InfoInput& in) {
  std::string out;
  auto line = [&](std::string_view key, std::string_view value) {
    out += fmt::format("{:<13}{}\n", key, value);
  };
  // Every string from the profile or the command line is shown terminal_escaped.
  auto str = [&](model::StrId id) { return text_escaped(p.str(id)); };
  const std::string name = text_escaped(in.name);
  line("File:", in.gzipped ? fmt::format("{} (gzip, {} -> {})", name, bytes_label(in.file_bytes),
                                         bytes_label(in.raw_bytes))
                           : fmt::format("{} ({}, uncompressed)", name, bytes_label(in.raw_bytes)));
  const size_t def = fold::default_sample_index(p);
  std::string types;
  for (size_t i = 0; i < p.sample_types.size(); ++i) {
    types += fmt::format("{}{}{}", i ? ", " : "", value_type(p, p.sample_types[i]), i == def ? " [default]" : "");
  }
  line("Sample types:", types.empty() ? "(none)" : types);
  if (p.period_type.type != model::kEmptyStr || p.period_type.unit != model::kEmptyStr || p.period != 0) {
    std::string period = fmt::format("{} every {}", value_type(p, p.period_type), p.period);
    const std::string scaled = text_escaped(model::scaled_label(p.period, p.str(p.period_type.unit), "auto"));
    if (model::is_known_unit(p.str(p.period_type.unit))) period += fmt::format(" ({})", scaled);
    line("Period:", period);
  }
  if (p.time_nanos != 0) line("Time:", format_time(p.time_nanos));
  if (p.duration_nanos != 0) line("Duration:", model::scaled_label(p.duration_nanos, "nanoseconds", "auto"));
  line("Counts:", fmt::format("{} samples, {} locations, {} functions, {} mappings, {} strings",
                              p.samples.size(), p.locations.size(), p.functions.size(), p.mappings.size(),
                              p.strings.size()));

  if (!p.sample_types.empty()) {
    out += "Totals:\n";
    for (size_t i = 0; i < p.sample_types.size(); ++i) {
      int64_t total = 0;
      for (size_t s = 0; s < p.samples.size(); ++s) total += p.sample_values(s)[i];
      const std::string_view unit = p.str(p.sample_types[i].unit);
      out += fmt::format("  {:<24} {:>14}  {}{}\n", str(p.sample_types[i].type),
                         text_escaped(model::scaled_label(total, unit, "auto")), text_escaped(unit), i == def ? "  (default)" : "");
    }
  }

  // Label keys: how many samples carry each, string or numeric, with units.
  struct KeyStats {
    uint64_t string_samples = 0, numeric_samples = 0;
    std::map<std::string, uint64_t> units;
    uint64_t last_sample = ~uint64_t{0};
  };
  std::map<std::string, KeyStats> keys;
  for (size_t s = 0; s < p.samples.size(); ++s) {
    for (const model::Label& l : p.sample_labels(p.samples[s])) {
      KeyStats& k = keys[std::string(p.str(l.key))];
      if (k.last_sample == s) continue;
      k.last_sample = s;
      if (l.str != model::kEmptyStr) {
        ++k.string_samples;
      } else {
        ++k.numeric_samples;
        ++k.units[std::string(l.num_unit == model::kEmptyStr ? "" : p.str(l.num_unit))];
      }
    }
  }
  if (!keys.empty()) {
    out += "Labels:\n";
    for (const auto& [key, k] : keys) {
      std::string what;
      if (k.string_samples) what += fmt::format("string on {} samples", k.string_samples);
      if (k.numeric_samples) {
        std::string units;
        for (const auto& [u, n] : k.units) units += fmt::format("{}{}", units.empty() ? "" : ", ", u.empty() ? "no unit" : text_escaped(u));
        what += fmt::format("{}numeric ({}) on {} samples", what.empty() ? "" : "; ", units, k.numeric_samples);
      }
      out += fmt::format("  {:<24} {}\n", text_escaped(key), what);
    }
  }
  if (!p.comments.empty()) {
    out += "Comments:\n";
    for (model::StrId c : p.comments) out += fmt::format("  {}\n", str(c));
  }
  if (p.drop_frames != model::kEmptyStr) line("Drop frames:", str(p.drop_frames));
  if (p.keep_frames != model::kEmptyStr) line("Keep frames:", str(p.keep_frames));
  if (p.doc_url != model::kEmptyStr) line("Doc URL:", str(p.doc_url));

  // Per mapping: how many of its locations carry function names.
  IdVector<model::MappingId, uint64_t> locs(p.mappings.size()), named(p.mappings.size());
  uint64_t unmapped = 0, unmapped_named = 0;
  for (const model::Location& l : p.locations) {
    const bool has_names = l.lines_count > 0;
    if (l.mapping == model::kNone) {
      ++unmapped;
      unmapped_named += has_names;
    } else {
      ++locs[l.mapping];
      named[l.mapping] += has_names;
    }
  }
  if (!p.mappings.empty()) {
    out += "Mappings:\n";
    for (size_t m = 0; m < p.mappings.size(); ++m) {
      const model::Mapping& mp = p.mappings[m];
      std::string flags;
      if (mp.has_functions) flags += " functions";
      if (mp.has_filenames) flags += " filenames";
      if (mp.has_line_numbers) flags += " lines";
      if (mp.has_inline_frames) flags += " inline";
      out += fmt::format("  {:>3} {}\n", mp.file_id,
                         mp.filename == model::kEmptyStr ? "(no file name)" : str(mp.filename));
      out += fmt::format("      range {:#x}-{:#x} offset {:#x}{}\n", mp.memory_start, mp.memory_limit,
                         mp.file_offset,
                         mp.build_id == model::kEmptyStr ? "" : fmt::format(", build id {}", str(mp.build_id)));
      out += fmt::format("      symbolized: {} of {} locations have names; flags:{}\n", named[m], locs[m],
                         flags.empty() ? " none" : flags);
    }
  }
  if (unmapped > 0) {
    out += fmt::format("Unmapped:    {} locations without a mapping, {} of them with names\n", unmapped,
                       unmapped_named);
  }
  if (p.dangling_mapping_refs || p.dropped_zero_labels) {
    out += fmt::format("Notes:       {} locations refer to undefined mappings; {} numeric labels with value 0 "
                       "and no unit were dropped (pprof does the same)\n",
                       p.dangling_mapping_refs, p.dropped_zero_labels);
  }
  return out;
}

}  // namespace pprofx::report
