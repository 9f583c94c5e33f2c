#include "pprofx/encode/encode.h"

#include "pprofx/io/input.h"
#include "proto/profile.pb.h"

namespace pprofx::encode {

std::string encode_profile(const model::Profile& p) {
  perftools::profiles::Profile o;
  for (model::StrId i = 0; i < p.strings.size(); ++i) o.add_string_table(std::string(p.str(i)));
  for (const model::ValueType& vt : p.sample_types) {
    auto* t = o.add_sample_type();
    t->set_type(vt.type);
    t->set_unit(vt.unit);
  }
  for (size_t s = 0; s < p.samples.size(); ++s) {
    const model::Sample& sm = p.samples[s];
    auto* os = o.add_sample();
    for (model::Index l : p.stack(sm)) os->add_location_id(p.locations[l].file_id);
    for (int64_t v : p.sample_values(s)) os->add_value(v);
    for (const model::Label& l : p.sample_labels(sm)) {
      auto* ol = os->add_label();
      ol->set_key(l.key);
      if (l.str != model::kEmptyStr) {
        ol->set_str(l.str);
      } else {
        ol->set_num(l.num);
        ol->set_num_unit(l.num_unit);
      }
    }
  }
  for (const model::Mapping& m : p.mappings) {
    auto* om = o.add_mapping();
    om->set_id(m.file_id);
    om->set_memory_start(m.memory_start);
    om->set_memory_limit(m.memory_limit);
    om->set_file_offset(m.file_offset);
    om->set_filename(m.filename);
    om->set_build_id(m.build_id);
    om->set_has_functions(m.has_functions);
    om->set_has_filenames(m.has_filenames);
    om->set_has_line_numbers(m.has_line_numbers);
    om->set_has_inline_frames(m.has_inline_frames);
  }
  for (const model::Location& l : p.locations) {
    auto* ol = o.add_location();
    ol->set_id(l.file_id);
    if (l.mapping != model::kNone) ol->set_mapping_id(p.mappings[l.mapping].file_id);
    ol->set_address(l.address);
    ol->set_is_folded(l.is_folded);
    for (const model::Line& ln : p.location_lines(l)) {
      auto* line = ol->add_line();
      line->set_function_id(p.functions[ln.function].file_id);
      line->set_line(ln.line);
      line->set_column(ln.column);
    }
  }
  for (const model::Function& f : p.functions) {
    auto* of = o.add_function();
    of->set_id(f.file_id);
    of->set_name(f.name);
    of->set_system_name(f.system_name);
    of->set_filename(f.filename);
    of->set_start_line(f.start_line);
  }
  o.set_drop_frames(p.drop_frames);
  o.set_keep_frames(p.keep_frames);
  o.set_time_nanos(p.time_nanos);
  o.set_duration_nanos(p.duration_nanos);
  o.mutable_period_type()->set_type(p.period_type.type);
  o.mutable_period_type()->set_unit(p.period_type.unit);
  o.set_period(p.period);
  for (model::StrId c : p.comments) o.add_comment(c);
  o.set_default_sample_type(p.default_sample_type);
  o.set_doc_url(p.doc_url);
  return o.SerializeAsString();
}

std::string encode_profile_gzip(const model::Profile& p) { return io::gzip(encode_profile(p)); }

}  // namespace pprofx::encode
