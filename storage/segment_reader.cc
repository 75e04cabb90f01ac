#include "storage/segment_reader.h"

#include <algorithm>
#include <cstring>

#include "storage/block.h"
#include "storage/coding.h"

namespace cairn::storage {

Result<PostingsView> PostingsView::Parse(std::string_view raw, const std::string& what) {
  PostingsView p;
  ByteReader r(raw);
  p.n_ = r.GetU32();
  if (!r.ok() || p.n_ > raw.size() / 4) return Status::Corruption(what + ": postings header is malformed");
  p.refs_ = r.GetRaw(static_cast<size_t>(p.n_) * 4).data();
  p.m_ = r.GetU32();
  if (!r.ok() || p.m_ > raw.size() / 4) return Status::Corruption(what + ": postings are truncated");
  p.offsets_ = r.GetRaw((static_cast<size_t>(p.m_) + 1) * 4).data();
  if (!r.ok()) return Status::Corruption(what + ": postings are truncated");
  p.bitmaps_ = r.position();
  p.bitmap_bytes_ = r.remaining();
  uint32_t last = 0;
  std::memcpy(&last, p.offsets_ + static_cast<size_t>(p.m_) * 4, 4);
  if (last != p.bitmap_bytes_) return Status::Corruption(what + ": postings sizes disagree");
  return p;
}

void PostingsView::AddTo(uint32_t code, Roaring* out) const { AddRangeTo(code, code + 1, out); }

void PostingsView::AddRangeTo(uint32_t first, uint32_t last, Roaring* out) const {
  std::vector<uint32_t> singles;
  for (uint32_t c = first; c < last && c < n_; ++c) {
    uint32_t ref;
    std::memcpy(&ref, refs_ + static_cast<size_t>(c) * 4, 4);
    if (ref & kInlineRowFlag) {
      singles.push_back(ref & ~kInlineRowFlag);
      continue;
    }
    if (ref >= m_) continue;
    uint32_t begin, end;
    std::memcpy(&begin, offsets_ + static_cast<size_t>(ref) * 4, 4);
    std::memcpy(&end, offsets_ + static_cast<size_t>(ref + 1) * 4, 4);
    if (begin > end || end > bitmap_bytes_) continue;
    *out |= Roaring::readSafe(bitmaps_ + begin, end - begin);
  }
  if (!singles.empty()) {
    std::sort(singles.begin(), singles.end());
    out->addMany(singles.size(), singles.data());
  }
}

Result<std::unique_ptr<SegmentReader>> SegmentReader::Open(const std::string& path, const std::string& name) {
  auto mapped = MappedFile::Open(path);
  if (!mapped.ok()) return mapped.status();
  std::unique_ptr<SegmentReader> seg(new SegmentReader());
  seg->name_ = name;
  seg->file_ = mapped.take();
  std::string_view data = seg->file_.data();
  if (data.size() < kSegmentHeaderSize + kSegmentTrailerSize ||
      std::memcmp(data.data(), kSegmentMagic, 8) != 0)
    return Status::Corruption("segment " + name + ": not a cairn segment (bad header)");
  ByteReader header(data.substr(8, 4));
  uint32_t version = header.GetU32();
  if (version != kSegmentVersion)
    return Status::Unsupported("segment " + name + ": format version " + std::to_string(version) +
                               ", this cairn reads version " + std::to_string(kSegmentVersion));
  std::string_view trailer = data.substr(data.size() - kSegmentTrailerSize);
  if (std::memcmp(trailer.data() + 16, kSegmentEndMagic, 8) != 0)
    return Status::Corruption("segment " + name + ": truncated (no end marker)");
  ByteReader tr(trailer);
  uint64_t footer_offset = tr.GetU64();
  uint32_t footer_size = tr.GetU32();
  if (footer_offset + footer_size + kSegmentTrailerSize != data.size())
    return Status::Corruption("segment " + name + ": footer position is invalid");
  std::string footer_raw;
  size_t consumed = 0;
  Status s = DecodeBlock(data.substr(footer_offset, footer_size), "segment " + name + " footer", &footer_raw,
                         &consumed);
  if (!s.ok()) return s;
  s = SegmentFooter::DecodeFrom(footer_raw, "segment " + name, &seg->footer_);
  if (!s.ok()) return s;
  for (size_t i = 0; i < seg->footer_.fields.size(); ++i) {
    const FieldEntry& f = seg->footer_.fields[i];
    if (f.flags & kFieldTerms) seg->terms_field_ = static_cast<int>(i);
    else if (f.flags & kFieldShapes) seg->shapes_field_ = static_cast<int>(i);
    else seg->field_index_.emplace(f.name, static_cast<int>(i));
  }
  return seg;
}

int SegmentReader::FindField(std::string_view name) const {
  auto it = field_index_.find(std::string(name));
  return it == field_index_.end() ? -1 : it->second;
}

std::string SegmentReader::What(int field, const char* section) const {
  return "segment " + name_ + " field " + footer_.fields[field].name + " " + section;
}

Status SegmentReader::Section(const Extent& e, const std::string& what, std::string* raw) {
  std::string_view data = file_.data();
  if (e.offset > data.size() || e.size > data.size() - e.offset)
    return Status::Corruption(what + ": section lies outside the file");
  size_t consumed = 0;
  return DecodeBlock(data.substr(e.offset, e.size), what, raw, &consumed);
}

Status SegmentReader::RawSection(const Extent& e, const std::string& what, std::string_view* raw) {
  std::string_view data = file_.data();
  if (e.offset > data.size() || e.size > data.size() - e.offset)
    return Status::Corruption(what + ": section lies outside the file");
  return ViewRawBlock(data.substr(e.offset, e.size), what, raw);
}

Result<const Dictionary*> SegmentReader::GetDictionary(int field) {
  if (auto it = dictionaries_.find(field); it != dictionaries_.end()) return it->second.get();
  std::string what = What(field, "dictionary");
  const Extent& e = footer_.fields[field].dictionary;
  std::string_view data = file_.data();
  if (e.offset > data.size() || e.size > data.size() - e.offset)
    return Status::Corruption(what + ": section lies outside the file");
  std::string_view view;
  Result<Dictionary> d = Status::OK();
  if (IsRawBlock(data.substr(e.offset, e.size))) {
    Status s = RawSection(e, what, &view);
    if (!s.ok()) return s;
    d = Dictionary::ParseView(view, what);
  } else {
    std::string raw;
    Status s = Section(e, what, &raw);
    if (!s.ok()) return s;
    d = Dictionary::Parse(std::move(raw), what);
  }
  if (!d.ok()) return d.status();
  auto& slot = dictionaries_[field];
  slot = std::make_unique<Dictionary>(d.take());
  return slot.get();
}

Result<const PostingsView*> SegmentReader::GetPostings(int field) {
  if (auto it = postings_.find(field); it != postings_.end()) return it->second.get();
  const Extent& e = footer_.fields[field].postings;
  std::string what = What(field, "postings");
  std::string_view raw;
  Status s = RawSection(e, what, &raw);
  if (!s.ok()) return s;
  auto p = PostingsView::Parse(raw, what);
  if (!p.ok()) return p.status();
  auto& slot = postings_[field];
  slot = std::make_unique<PostingsView>(p.take());
  return slot.get();
}

Result<const Roaring*> SegmentReader::GetPresence(int field) {
  if (auto it = presence_.find(field); it != presence_.end()) return it->second.get();
  const Extent& e = footer_.fields[field].presence;
  std::string what = What(field, "presence");
  std::string_view raw;
  Status s = RawSection(e, what, &raw);
  if (!s.ok()) return s;
  auto& slot = presence_[field];
  slot = std::make_unique<Roaring>(Roaring::readSafe(raw.data(), raw.size()));
  return slot.get();
}

Result<const std::vector<int64_t>*> SegmentReader::GetTimes() {
  if (times_) return times_.get();
  std::string raw;
  std::string what = "segment " + name_ + " time column";
  Status s = Section(footer_.times, what, &raw);
  if (!s.ok()) return s;
  auto times = std::make_unique<std::vector<int64_t>>();
  times->reserve(footer_.rows);
  ByteReader r(raw);
  int64_t t = 0;
  for (uint32_t i = 0; i < footer_.rows; ++i) {
    t = (i == 0) ? r.GetI64() : t + static_cast<int64_t>(r.GetVarint());
    times->push_back(t);
  }
  if (!r.ok()) return Status::Corruption(what + ": truncated");
  times_ = std::move(times);
  return times_.get();
}

Result<const SegmentReader::ColumnGroup*> SegmentReader::GetGroup(int field, uint32_t group) {
  auto key = std::make_pair(field, group);
  if (auto it = groups_.find(key); it != groups_.end()) return it->second.get();
  const FieldEntry& f = footer_.fields[field];
  std::string what = What(field, "column");
  if (group >= f.column_groups.size()) return Status::Corruption(what + ": missing column group");
  std::string raw;
  Status s = Section(f.column_groups[group], what, &raw);
  if (!s.ok()) return s;
  uint32_t begin = group * kColumnGroupRows;
  uint32_t n = std::min(footer_.rows - begin, kColumnGroupRows);
  auto g = std::make_unique<ColumnGroup>();
  g->starts.resize(n + 1);
  ByteReader r(raw);
  uint32_t total = 0;
  for (uint32_t i = 0; i < n; ++i) {
    g->starts[i] = total;
    total += static_cast<uint32_t>(r.GetVarint());
  }
  g->starts[n] = total;
  g->codes.resize(total);
  if (!r.ok() || !BitUnpack(std::string_view(r.position(), r.remaining()), total, f.code_width, g->codes.data()))
    return Status::Corruption(what + ": column group is truncated");
  for (uint32_t c : g->codes)
    if (c >= f.distinct) return Status::Corruption(what + ": code outside the dictionary");
  auto& slot = groups_[key];
  slot = std::move(g);
  return slot.get();
}

Result<SegmentReader::ColumnGroupView> SegmentReader::GetColumnGroup(int field, uint32_t group) {
  auto g = GetGroup(field, group);
  if (!g.ok()) return g.status();
  ColumnGroupView v;
  v.starts = g.value()->starts.data();
  v.codes = g.value()->codes.data();
  v.first_row = group * kColumnGroupRows;
  v.rows = static_cast<uint32_t>(g.value()->starts.size() - 1);
  return v;
}

Status SegmentReader::GetRowCodes(int field, uint32_t row, std::vector<uint32_t>* codes) {
  codes->clear();
  if (row >= footer_.rows) return Status::InvalidArgument("row out of range");
  auto g = GetGroup(field, row / kColumnGroupRows);
  if (!g.ok()) return g.status();
  uint32_t i = row % kColumnGroupRows;
  const ColumnGroup& group = *g.value();
  codes->assign(group.codes.begin() + group.starts[i], group.codes.begin() + group.starts[i + 1]);
  return Status::OK();
}

Result<const SegmentReader::ShapePlan*> SegmentReader::GetShapePlan(uint32_t shape_code) {
  if (auto it = shape_plans_.find(shape_code); it != shape_plans_.end()) return it->second.get();
  auto dict = GetDictionary(shapes_field_);
  if (!dict.ok()) return dict.status();
  std::vector<std::string> paths;
  if (!ShapeValuePaths(dict.value()->text(shape_code), &paths))
    return Status::Corruption("segment " + name_ + ": event shape is malformed");
  auto plan = std::make_unique<ShapePlan>();
  for (const std::string& p : paths) {
    int f = FindField(p);
    if (f < 0) return Status::Corruption("segment " + name_ + ": shape names missing field " + p);
    plan->fields.push_back(f);
  }
  auto& slot = shape_plans_[shape_code];
  slot = std::move(plan);
  return slot.get();
}

Status SegmentReader::GetRaw(uint32_t row, std::string* out) {
  out->clear();
  if (!verbatim_loaded_) {
    std::string raw;
    Status s = Section(footer_.verbatim_index, "segment " + name_ + " raw index", &raw);
    if (!s.ok()) return s;
    ByteReader r(raw);
    uint32_t n = r.GetU32();
    if (!r.ok() || n > raw.size() / 16) return Status::Corruption("segment " + name_ + ": raw index malformed");
    for (uint32_t i = 0; i < n; ++i) {
      verbatim_rows_.push_back(r.GetU32());
      verbatim_chunk_.push_back(r.GetU32());
      verbatim_offset_.push_back(r.GetU32());
      verbatim_len_.push_back(r.GetU32());
    }
    if (!r.ok()) return Status::Corruption("segment " + name_ + ": raw index truncated");
    verbatim_loaded_ = true;
  }
  auto it = std::lower_bound(verbatim_rows_.begin(), verbatim_rows_.end(), row);
  if (it != verbatim_rows_.end() && *it == row) {
    size_t i = static_cast<size_t>(it - verbatim_rows_.begin());
    uint32_t chunk = verbatim_chunk_[i];
    if (chunk >= footer_.verbatim_chunks.size()) return Status::Corruption("segment " + name_ + ": raw chunk missing");
    auto c = chunks_.find(chunk);
    if (c == chunks_.end()) {
      std::string raw;
      Status s = Section(footer_.verbatim_chunks[chunk], "segment " + name_ + " raw chunk", &raw);
      if (!s.ok()) return s;
      c = chunks_.emplace(chunk, std::move(raw)).first;
    }
    if (static_cast<uint64_t>(verbatim_offset_[i]) + verbatim_len_[i] > c->second.size())
      return Status::Corruption("segment " + name_ + ": raw text outside its chunk");
    out->assign(c->second, verbatim_offset_[i], verbatim_len_[i]);
    return Status::OK();
  }
  std::vector<uint32_t> shape_codes;
  Status s = GetRowCodes(shapes_field_, row, &shape_codes);
  if (!s.ok()) return s;
  if (shape_codes.size() != 1) return Status::Corruption("segment " + name_ + ": event has no shape");
  auto plan = GetShapePlan(shape_codes[0]);
  if (!plan.ok()) return plan.status();
  std::unordered_map<int, std::pair<std::vector<uint32_t>, size_t>> cursors;
  std::vector<TypedText> values;
  for (int f : plan.value()->fields) {
    auto& cur = cursors[f];
    if (cur.second == 0 && cur.first.empty()) {
      s = GetRowCodes(f, row, &cur.first);
      if (!s.ok()) return s;
    }
    if (cur.second >= cur.first.size()) return Status::Corruption("segment " + name_ + ": shape and values disagree");
    auto dict = GetDictionary(f);
    if (!dict.ok()) return dict.status();
    uint32_t code = cur.first[cur.second++];
    values.push_back({dict.value()->type(code), dict.value()->text(code)});
  }
  auto dict = GetDictionary(shapes_field_);
  if (!dict.ok()) return dict.status();
  if (!RenderShape(dict.value()->text(shape_codes[0]), values, out))
    return Status::Corruption("segment " + name_ + ": shape does not render");
  return Status::OK();
}

Status SegmentReader::VerifyAll() {
  auto t = GetTimes();
  if (!t.ok()) return t.status();
  for (size_t i = 0; i < footer_.fields.size(); ++i) {
    int f = static_cast<int>(i);
    const FieldEntry& e = footer_.fields[i];
    auto d = GetDictionary(f);
    if (!d.ok()) return d.status();
    if (e.postings.size > 0) {
      auto p = GetPostings(f);
      if (!p.ok()) return p.status();
    }
    if (e.presence.size > 0) {
      auto p = GetPresence(f);
      if (!p.ok()) return p.status();
    }
    for (uint32_t g = 0; g < e.column_groups.size(); ++g) {
      auto c = GetGroup(f, g);
      if (!c.ok()) return c.status();
    }
    groups_.clear();
  }
  std::string raw;
  Status s = Section(footer_.verbatim_index, "segment " + name_ + " raw index", &raw);
  if (!s.ok()) return s;
  for (const Extent& e : footer_.verbatim_chunks) {
    s = Section(e, "segment " + name_ + " raw chunk", &raw);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

void SegmentReader::TrimCaches() {
  if (groups_.size() > 4096) groups_.clear();
  if (chunks_.size() > 64) chunks_.clear();
}

}  // namespace cairn::storage
