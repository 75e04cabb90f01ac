#include "storage/segment_format.h"

#include <algorithm>
#include <cstring>
#include <numeric>

#include "storage/coding.h"

namespace cairn::storage {

namespace {

constexpr size_t kHeaderBytes = 4 + 8 + 8 + 16 + 16 + 4 * 6;
constexpr size_t kRecordBytes = 132;
constexpr size_t kGroupBytes = 12;

void PutExtent(ByteWriter* w, const Extent& e) {
  w->PutU64(e.offset);
  w->PutU64(e.size);
}

Extent GetExtent(ByteReader* r) {
  Extent e;
  e.offset = r->GetU64();
  e.size = r->GetU64();
  return e;
}

uint32_t LoadU32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

uint64_t LoadU64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

}  // namespace

void SegmentFooter::EncodeTo(std::string* out) const {
  std::vector<uint32_t> order(fields.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return fields[a].name < fields[b].name; });
  uint32_t terms = kNoField, shapes = kNoField;
  size_t groups = 0, name_bytes = 0;
  for (uint32_t i = 0; i < order.size(); ++i) {
    const FieldEntry& f = fields[order[i]];
    if (f.flags & kFieldTerms) terms = i;
    if (f.flags & kFieldShapes) shapes = i;
    groups += column_groups[order[i]].size();
    name_bytes += f.name.size();
  }
  ByteWriter w(out);
  w.PutU32(rows);
  w.PutI64(min_time_us);
  w.PutI64(max_time_us);
  PutExtent(&w, times);
  PutExtent(&w, verbatim_index);
  w.PutU32(static_cast<uint32_t>(verbatim_chunks.size()));
  w.PutU32(static_cast<uint32_t>(fields.size()));
  w.PutU32(static_cast<uint32_t>(groups));
  w.PutU32(static_cast<uint32_t>(name_bytes));
  w.PutU32(terms);
  w.PutU32(shapes);
  for (const Extent& e : verbatim_chunks) PutExtent(&w, e);
  uint32_t name_offset = 0, first_group = 0;
  for (uint32_t i : order) {
    const FieldEntry& f = fields[i];
    w.PutU32(name_offset);
    w.PutU32(static_cast<uint32_t>(f.name.size()));
    w.PutU8(f.flags);
    w.PutU8(f.code_width);
    w.PutU8(0);
    w.PutU8(0);
    w.PutU32(f.distinct);
    w.PutU32(f.rows_present);
    w.PutU64(f.value_count);
    for (uint64_t word : f.byte_set) w.PutU64(word);
    PutExtent(&w, f.dictionary);
    PutExtent(&w, f.postings);
    PutExtent(&w, f.presence);
    PutExtent(&w, f.term_filter);
    w.PutU32(first_group);
    w.PutU32(static_cast<uint32_t>(column_groups[i].size()));
    name_offset += static_cast<uint32_t>(f.name.size());
    first_group += static_cast<uint32_t>(column_groups[i].size());
  }
  for (uint32_t i : order)
    for (const Extent& e : column_groups[i]) {
      w.PutU64(e.offset);
      w.PutU32(static_cast<uint32_t>(e.size));
    }
  for (uint32_t i : order) w.PutRaw(fields[i].name.data(), fields[i].name.size());
}

Result<FooterView> FooterView::Parse(std::string_view data, const std::string& what) {
  FooterView v;
  ByteReader r(data);
  v.rows_ = r.GetU32();
  // Readers size per-row arrays by it (8 bytes a row for the times): a larger count is damage.
  if (v.rows_ > kMaxSegmentRows)
    return Status::Corruption(what + ": footer claims " + std::to_string(v.rows_) +
                              " rows, more than a segment holds");
  v.min_time_us_ = r.GetI64();
  v.max_time_us_ = r.GetI64();
  v.times_ = GetExtent(&r);
  v.verbatim_index_ = GetExtent(&r);
  v.chunk_count_ = r.GetU32();
  v.field_count_ = r.GetU32();
  v.group_count_ = r.GetU32();
  uint32_t name_bytes = r.GetU32();
  uint32_t terms = r.GetU32(), shapes = r.GetU32();
  if (!r.ok()) return Status::Corruption(what + ": footer is truncated");
  uint64_t need = kHeaderBytes + uint64_t{v.chunk_count_} * 16 + uint64_t{v.field_count_} * kRecordBytes +
                  uint64_t{v.group_count_} * kGroupBytes + name_bytes;
  if (need != data.size()) return Status::Corruption(what + ": footer sizes disagree");
  v.chunks_ = data.data() + kHeaderBytes;
  v.records_ = v.chunks_ + size_t{v.chunk_count_} * 16;
  v.groups_ = v.records_ + size_t{v.field_count_} * kRecordBytes;
  v.names_ = std::string_view(v.groups_ + size_t{v.group_count_} * kGroupBytes, name_bytes);
  if (terms != kNoField && terms >= v.field_count_) return Status::Corruption(what + ": footer is malformed");
  if (shapes != kNoField && shapes >= v.field_count_) return Status::Corruption(what + ": footer is malformed");
  v.terms_field_ = terms == kNoField ? -1 : static_cast<int>(terms);
  v.shapes_field_ = shapes == kNoField ? -1 : static_cast<int>(shapes);
  for (uint32_t i = 0; i < v.field_count_; ++i) {
    const char* rec = v.records_ + size_t{i} * kRecordBytes;
    uint64_t name_end = uint64_t{LoadU32(rec)} + LoadU32(rec + 4);
    uint64_t group_end = uint64_t{LoadU32(rec + 124)} + LoadU32(rec + 128);
    if (name_end > name_bytes || group_end > v.group_count_)
      return Status::Corruption(what + ": footer field " + std::to_string(i) + " is malformed");
  }
  return v;
}

Extent FooterView::verbatim_chunk(uint32_t i) const {
  const char* p = chunks_ + size_t{i} * 16;
  return {LoadU64(p), LoadU64(p + 8)};
}

std::string_view FooterView::field_name(uint32_t i) const {
  const char* rec = records_ + size_t{i} * kRecordBytes;
  return names_.substr(LoadU32(rec), LoadU32(rec + 4));
}

uint8_t FooterView::field_flags(uint32_t i) const {
  return static_cast<uint8_t>(records_[size_t{i} * kRecordBytes + 8]);
}

FieldEntry FooterView::field(uint32_t i) const {
  const char* rec = records_ + size_t{i} * kRecordBytes;
  FieldEntry f;
  f.name = names_.substr(LoadU32(rec), LoadU32(rec + 4));
  f.flags = static_cast<uint8_t>(rec[8]);
  f.code_width = static_cast<uint8_t>(rec[9]);
  f.distinct = LoadU32(rec + 12);
  f.rows_present = LoadU32(rec + 16);
  f.value_count = LoadU64(rec + 20);
  for (int k = 0; k < 4; ++k) f.byte_set[k] = LoadU64(rec + 28 + 8 * k);
  Extent* extents[] = {&f.dictionary, &f.postings, &f.presence, &f.term_filter};
  for (int k = 0; k < 4; ++k) *extents[k] = {LoadU64(rec + 60 + 16 * k), LoadU64(rec + 68 + 16 * k)};
  f.first_group = LoadU32(rec + 124);
  f.group_count = LoadU32(rec + 128);
  return f;
}

Extent FooterView::column_group(const FieldEntry& f, uint32_t g) const {
  const char* p = groups_ + (size_t{f.first_group} + g) * kGroupBytes;
  return {LoadU64(p), LoadU32(p + 8)};
}

int FooterView::FindField(std::string_view name) const {
  uint32_t lo = 0, hi = field_count_;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    std::string_view n = field_name(mid);
    if (n < name) lo = mid + 1; else hi = mid;
  }
  return lo < field_count_ && field_name(lo) == name ? static_cast<int>(lo) : -1;
}

}  // namespace cairn::storage
