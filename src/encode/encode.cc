#include "pprofx/encode/encode.h"

#include "pprofx/io/gzip.h"

namespace pprofx::encode {
namespace {

using model::Profile;

constexpr size_t kPiece = 64 * 1024;

size_t varint_size(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}
// A scalar field as protobuf writes it: left out when zero.
size_t field_size(uint32_t field, uint64_t v) { return v == 0 ? 0 : varint_size(field << 3) + varint_size(v); }
size_t sub_size(uint32_t field, size_t len) { return varint_size(field << 3 | 2) + varint_size(len) + len; }
uint64_t u(int64_t v) { return static_cast<uint64_t>(v); }
// String fields hold the string table index, which is the StrId.
size_t field_size(uint32_t field, model::StrId s) { return field_size(field, s.value()); }
uint64_t u(model::StrId s) { return s.value(); }

class Writer {
 public:
  explicit Writer(const ByteSink& sink) : sink_(sink) { buf_.reserve(kPiece + 1024); }
  void flush() {
    if (!buf_.empty()) sink_(buf_);
    buf_.clear();
  }
  void varint(uint64_t v) {
    while (v >= 0x80) {
      buf_.push_back(static_cast<char>(v | 0x80));
      v >>= 7;
    }
    buf_.push_back(static_cast<char>(v));
    if (buf_.size() >= kPiece) flush();
  }
  void field(uint32_t field, uint64_t v) {
    if (v == 0) return;
    varint(field << 3);
    varint(v);
  }
  void field(uint32_t field, model::StrId s) { this->field(field, s.value()); }
  void header(uint32_t field, size_t len) {
    varint(field << 3 | 2);
    varint(len);
  }
  void bytes(std::string_view s) {
    buf_.append(s);
    if (buf_.size() >= kPiece) flush();
  }

 private:
  const ByteSink& sink_;
  std::string buf_;
};

size_t value_type_size(const model::ValueType& vt) { return field_size(1, vt.type) + field_size(2, vt.unit); }
void write_value_type(Writer& w, uint32_t field, const model::ValueType& vt) {
  w.header(field, value_type_size(vt));
  w.field(1, vt.type);
  w.field(2, vt.unit);
}

size_t label_size(const model::Label& l) {
  size_t n = field_size(1, l.key);
  if (l.str != model::kEmptyStr) return n + field_size(2, l.str);
  return n + field_size(3, u(l.num)) + field_size(4, l.num_unit);
}

void write_sample(Writer& w, const Profile& p, size_t s) {
  const model::Sample& sm = p.samples[s];
  size_t ids = 0, vals = 0, size = 0;
  for (model::LocationId l : p.stack(sm)) ids += varint_size(p.locations[l].file_id);
  for (int64_t v : p.sample_values(s)) vals += varint_size(u(v));
  if (ids) size += sub_size(1, ids);
  if (vals) size += sub_size(2, vals);
  for (const model::Label& l : p.sample_labels(sm)) size += sub_size(3, label_size(l));
  w.header(2, size);
  if (ids) {
    w.header(1, ids);
    for (model::LocationId l : p.stack(sm)) w.varint(p.locations[l].file_id);
  }
  if (vals) {
    w.header(2, vals);
    for (int64_t v : p.sample_values(s)) w.varint(u(v));
  }
  for (const model::Label& l : p.sample_labels(sm)) {
    w.header(3, label_size(l));
    w.field(1, l.key);
    if (l.str != model::kEmptyStr) {
      w.field(2, l.str);
    } else {
      w.field(3, u(l.num));
      w.field(4, l.num_unit);
    }
  }
}

void write_mapping(Writer& w, const model::Mapping& m) {
  const size_t size = field_size(1, m.file_id) + field_size(2, m.memory_start) + field_size(3, m.memory_limit) +
                      field_size(4, m.file_offset) + field_size(5, m.filename) + field_size(6, m.build_id) +
                      field_size(7, m.has_functions) + field_size(8, m.has_filenames) +
                      field_size(9, m.has_line_numbers) + field_size(10, m.has_inline_frames);
  w.header(3, size);
  w.field(1, m.file_id);
  w.field(2, m.memory_start);
  w.field(3, m.memory_limit);
  w.field(4, m.file_offset);
  w.field(5, m.filename);
  w.field(6, m.build_id);
  w.field(7, m.has_functions);
  w.field(8, m.has_filenames);
  w.field(9, m.has_line_numbers);
  w.field(10, m.has_inline_frames);
}

size_t line_size(const Profile& p, const model::Line& ln) {
  return field_size(1, p.functions[ln.function].file_id) + field_size(2, u(ln.line)) + field_size(3, u(ln.column));
}

void write_location(Writer& w, const Profile& p, const model::Location& l) {
  const uint64_t mapping_id = l.mapping != model::kNone ? p.mappings[l.mapping].file_id : 0;
  size_t size = field_size(1, l.file_id) + field_size(2, mapping_id) + field_size(3, l.address) + field_size(5, l.is_folded);
  for (const model::Line& ln : p.location_lines(l)) size += sub_size(4, line_size(p, ln));
  w.header(4, size);
  w.field(1, l.file_id);
  w.field(2, mapping_id);
  w.field(3, l.address);
  for (const model::Line& ln : p.location_lines(l)) {
    w.header(4, line_size(p, ln));
    w.field(1, p.functions[ln.function].file_id);
    w.field(2, u(ln.line));
    w.field(3, u(ln.column));
  }
  w.field(5, l.is_folded);
}

void write_function(Writer& w, const model::Function& f) {
  w.header(5, field_size(1, f.file_id) + field_size(2, f.name) + field_size(3, f.system_name) +
                  field_size(4, f.filename) + field_size(5, u(f.start_line)));
  w.field(1, f.file_id);
  w.field(2, f.name);
  w.field(3, f.system_name);
  w.field(4, f.filename);
  w.field(5, u(f.start_line));
}

}  // namespace

void write_profile(const Profile& p, const ByteSink& sink) {
  Writer w(sink);
  for (const model::ValueType& vt : p.sample_types) write_value_type(w, 1, vt);
  for (size_t s = 0; s < p.samples.size(); ++s) write_sample(w, p, s);
  for (const model::Mapping& m : p.mappings) write_mapping(w, m);
  for (const model::Location& l : p.locations) write_location(w, p, l);
  for (const model::Function& f : p.functions) write_function(w, f);
  for (model::StrId i : ids<model::StrId>(p.strings.size())) {
    w.header(6, p.str(i).size());
    w.bytes(p.str(i));
  }
  w.field(7, u(p.drop_frames));
  w.field(8, u(p.keep_frames));
  w.field(9, u(p.time_nanos));
  w.field(10, u(p.duration_nanos));
  write_value_type(w, 11, p.period_type);  // always present, as the generated code writes a set message
  w.field(12, u(p.period));
  if (!p.comments.empty()) {
    size_t len = 0;
    for (model::StrId c : p.comments) len += varint_size(c.value());
    w.header(13, len);
    for (model::StrId c : p.comments) w.varint(c.value());
  }
  w.field(14, u(p.default_sample_type));
  w.field(15, u(p.doc_url));
  w.flush();
}

void write_profile_gzip(const Profile& p, const ByteSink& sink, unsigned threads) {
  io::GzipWriter gz(6, sink, threads);
  write_profile(p, [&gz](std::string_view s) { gz.write(s); });
  gz.finish();
}

std::string encode_profile(const Profile& p) {
  std::string out;
  write_profile(p, [&out](std::string_view s) { out.append(s); });
  return out;
}

std::string encode_profile_gzip(const Profile& p) {
  std::string out;
  write_profile_gzip(p, [&out](std::string_view s) { out.append(s); });
  return out;
}

}  // namespace pprofx::encode
