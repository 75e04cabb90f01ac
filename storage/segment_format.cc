#include "storage/segment_format.h"

#include "storage/coding.h"

namespace cairn::storage {

namespace {
void PutExtent(ByteWriter* w, const Extent& e) {
  w->PutVarint(e.offset);
  w->PutVarint(e.size);
}
Extent GetExtent(ByteReader* r) {
  Extent e;
  e.offset = r->GetVarint();
  e.size = r->GetVarint();
  return e;
}
}  // namespace

void SegmentFooter::EncodeTo(std::string* out) const {
  ByteWriter w(out);
  w.PutVarint(rows);
  w.PutI64(min_time_us);
  w.PutI64(max_time_us);
  PutExtent(&w, times);
  PutExtent(&w, verbatim_index);
  w.PutVarint(verbatim_chunks.size());
  for (const Extent& e : verbatim_chunks) PutExtent(&w, e);
  w.PutVarint(fields.size());
  for (const FieldEntry& f : fields) {
    w.PutString(f.name);
    w.PutU8(f.flags);
    w.PutVarint(f.distinct);
    w.PutVarint(f.rows_present);
    w.PutVarint(f.value_count);
    w.PutU8(f.code_width);
    for (uint64_t word : f.byte_set) w.PutU64(word);
    PutExtent(&w, f.dictionary);
    PutExtent(&w, f.postings);
    PutExtent(&w, f.presence);
    w.PutVarint(f.column_groups.size());
    for (const Extent& e : f.column_groups) PutExtent(&w, e);
  }
}

Status SegmentFooter::DecodeFrom(std::string_view data, const std::string& what, SegmentFooter* footer) {
  ByteReader r(data);
  footer->rows = static_cast<uint32_t>(r.GetVarint());
  footer->min_time_us = r.GetI64();
  footer->max_time_us = r.GetI64();
  footer->times = GetExtent(&r);
  footer->verbatim_index = GetExtent(&r);
  uint64_t chunks = r.GetVarint();
  if (!r.ok() || chunks > data.size()) return Status::Corruption(what + ": footer is malformed");
  footer->verbatim_chunks.resize(chunks);
  for (Extent& e : footer->verbatim_chunks) e = GetExtent(&r);
  uint64_t nfields = r.GetVarint();
  if (!r.ok() || nfields > data.size()) return Status::Corruption(what + ": footer is malformed");
  footer->fields.resize(nfields);
  for (FieldEntry& f : footer->fields) {
    f.name = std::string(r.GetString());
    f.flags = r.GetU8();
    f.distinct = static_cast<uint32_t>(r.GetVarint());
    f.rows_present = static_cast<uint32_t>(r.GetVarint());
    f.value_count = r.GetVarint();
    f.code_width = r.GetU8();
    for (uint64_t& word : f.byte_set) word = r.GetU64();
    f.dictionary = GetExtent(&r);
    f.postings = GetExtent(&r);
    f.presence = GetExtent(&r);
    uint64_t groups = r.GetVarint();
    if (!r.ok() || groups > data.size()) return Status::Corruption(what + ": footer is malformed");
    f.column_groups.resize(groups);
    for (Extent& e : f.column_groups) e = GetExtent(&r);
  }
  if (!r.ok()) return Status::Corruption(what + ": footer is truncated");
  return Status::OK();
}

}  // namespace cairn::storage
