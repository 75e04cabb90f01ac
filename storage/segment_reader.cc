#include "storage/segment_reader.h"

#include <algorithm>
#include <cstring>

#include "storage/bitset_roaring.h"
#include "storage/block.h"
#include "storage/coding.h"
#include "storage/dictionary_writer.h"
#include "storage/postings_writer.h"
#include "storage/term_filter.h"

namespace cairn::storage {

namespace {

// The rows in [begin, begin + n) of a presence bitmap, read from an iterator placed at
// `begin` (an offset into the bitmap would count every row before it); false if unreadable.
bool PresentRowsOf(const Roaring& present, uint32_t begin, uint32_t n, std::vector<uint32_t>* rows) {
  rows->resize(present.rank(begin + n - 1) - (begin == 0 ? 0 : present.rank(begin - 1)));
  if (rows->empty()) return true;
  roaring_uint32_iterator_t it;
  roaring_init_iterator(&present.roaring, &it);
  roaring_move_uint32_iterator_equalorlarger(&it, begin);
  return roaring_read_uint32_iterator(&it, rows->data(), static_cast<uint32_t>(rows->size())) == rows->size();
}

}  // namespace

Result<PostingsView> PostingsView::Parse(CheckedView block, std::string what, uint32_t rows) {
  PostingsView p;
  p.block_ = block;
  p.what_ = std::move(what);
  p.rows_ = rows;
  size_t size = block.data().size();
  Status s = block.Check(0, std::min<size_t>(size, 4), p.what_);
  if (!s.ok()) return s;
  if (size < 8) return Status::Corruption(p.what_ + ": postings header is malformed");
  p.n_ = p.LoadU32(0);
  if (p.n_ > size / 4 - 2) return Status::Corruption(p.what_ + ": postings header is malformed");
  p.refs_ = 4;
  size_t m_at = p.refs_ + size_t{p.n_} * 4;
  s = block.Check(m_at, 4, p.what_);
  if (!s.ok()) return s;
  p.m_ = p.LoadU32(m_at);
  p.offsets_ = m_at + 4;
  if (p.m_ > size / 4 || p.offsets_ + (size_t{p.m_} + 1) * 4 > size)
    return Status::Corruption(p.what_ + ": postings are truncated");
  p.bitmaps_ = p.offsets_ + (size_t{p.m_} + 1) * 4;
  p.bitmap_bytes_ = size - p.bitmaps_;
  size_t last_at = p.offsets_ + size_t{p.m_} * 4;
  s = block.Check(last_at, 4, p.what_);
  if (!s.ok()) return s;
  if (p.LoadU32(last_at) != p.bitmap_bytes_) return Status::Corruption(p.what_ + ": postings sizes disagree");
  return p;
}

uint32_t PostingsView::LoadU32(size_t offset) const {
  uint32_t v;
  std::memcpy(&v, block_.data().data() + offset, 4);
  return v;
}

Status PostingsView::Locate(uint32_t code, bool* single, uint32_t* row, uint32_t* ref,
                            std::string_view* bitmap) const {
  Status s = block_.Check(refs_ + size_t{code} * 4, 4, what_);
  if (!s.ok()) return s;
  uint32_t r = LoadU32(refs_ + size_t{code} * 4);
  *single = (r & kInlineRowFlag) != 0;
  if (*single) {
    *row = r & ~kInlineRowFlag;
    if (*row >= rows_) return Status::Corruption(what_ + ": postings row is out of range");
    return Status::OK();
  }
  if (r >= m_) return Status::Corruption(what_ + ": postings reference is out of range");
  s = block_.Check(offsets_ + size_t{r} * 4, 8, what_);
  if (!s.ok()) return s;
  uint32_t begin = LoadU32(offsets_ + size_t{r} * 4), end = LoadU32(offsets_ + size_t{r} * 4 + 4);
  if (begin > end || end > bitmap_bytes_)
    return Status::Corruption(what_ + ": postings offsets are malformed");
  s = block_.Check(bitmaps_ + begin, end - begin, what_);
  if (!s.ok()) return s;
  *ref = r;
  *bitmap = block_.data().substr(bitmaps_ + begin, end - begin);
  return Status::OK();
}

Status PostingsView::ReadBitmap(uint32_t ref, std::string_view bitmap, Roaring* out) const {
  if (well_formed_.size() < m_) well_formed_.resize(m_);
  Status s = ReadStoredBitmap(bitmap, rows_, what_, out, well_formed_[ref]);
  if (s.ok()) well_formed_[ref] = true;
  return s;
}

Status PostingsView::Count(uint32_t code, const Roaring* within, uint64_t* n) const {
  *n = 0;
  if (code >= n_) return Status::OK();
  bool single = false;
  uint32_t row = 0, ref = 0;
  std::string_view bitmap;
  Status s = Locate(code, &single, &row, &ref, &bitmap);
  if (!s.ok()) return s;
  if (single) {
    *n = within == nullptr || within->contains(row) ? 1 : 0;
    return Status::OK();
  }
  if (decoded_.size() < m_) decoded_.resize(m_);
  if (!decoded_[ref]) {
    auto rows = std::make_unique<Roaring>();
    if (s = ReadBitmap(ref, bitmap, rows.get()); !s.ok()) return s;
    decoded_[ref] = std::move(rows);
  }
  const Roaring& rows = *decoded_[ref];
  *n = within == nullptr ? rows.cardinality() : rows.and_cardinality(*within);
  return Status::OK();
}

template <typename CodeAt>
Status PostingsView::AddEach(size_t n, CodeAt&& code_at, Roaring* out) const {
  std::vector<uint32_t> singles;
  std::vector<Roaring> bitmaps;
  for (size_t i = 0; i < n; ++i) {
    bool single = false;
    uint32_t row = 0, ref = 0;
    std::string_view bitmap;
    Status s = Locate(code_at(i), &single, &row, &ref, &bitmap);
    if (!s.ok()) return s;
    if (single) {
      singles.push_back(row);
      continue;
    }
    Roaring rows;
    if (s = ReadBitmap(ref, bitmap, &rows); !s.ok()) return s;
    if (rows.cardinality() <= 64) {
      for (uint32_t r : rows) singles.push_back(r);  // a few rows: merged with the singles
    } else {
      bitmaps.push_back(std::move(rows));
    }
  }
  if (bitmaps.size() == 1) {
    *out |= bitmaps[0];
  } else if (!bitmaps.empty()) {
    std::vector<const Roaring*> inputs;
    inputs.reserve(bitmaps.size() + 1);
    inputs.push_back(out);
    for (const Roaring& b : bitmaps) inputs.push_back(&b);
    *out = Roaring::fastunion(inputs.size(), inputs.data());
  }
  if (singles.size() > 1024) {
    // Many rows: mark them in a bitset and read it back in order, cheaper than sorting.
    uint32_t max_row = *std::max_element(singles.begin(), singles.end());
    std::vector<uint64_t> bits(max_row / 64 + 1, 0);
    for (uint32_t r : singles) bits[r >> 6] |= 1ull << (r & 63);
    singles.clear();
    for (size_t w = 0; w < bits.size(); ++w)
      for (uint64_t b = bits[w]; b != 0; b &= b - 1)
        singles.push_back(static_cast<uint32_t>(w * 64 + static_cast<size_t>(__builtin_ctzll(b))));
  } else {
    std::sort(singles.begin(), singles.end());
  }
  if (!singles.empty()) out->addMany(singles.size(), singles.data());
  return Status::OK();
}

Status PostingsView::AddRangeTo(uint32_t first, uint32_t last, Roaring* out) const {
  last = std::min(last, n_);
  if (first >= last) return Status::OK();
  return AddEach(
      last - first, [first](size_t i) { return first + static_cast<uint32_t>(i); }, out);
}

Status PostingsView::AddCodesTo(const std::vector<uint32_t>& codes, Roaring* out) const {
  for (uint32_t c : codes)
    if (c >= n_) return Status::Corruption(what_ + ": code " + std::to_string(c) + " beyond the postings");
  return AddEach(
      codes.size(), [&codes](size_t i) { return codes[i]; }, out);
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
  if (version < kOldestReadableSegmentVersion || version > kSegmentVersion)
    return Status::Unsupported("segment " + name + ": format version " + std::to_string(version) +
                               ", this cairn reads versions " +
                               std::to_string(kOldestReadableSegmentVersion) + " to " +
                               std::to_string(kSegmentVersion) + " (ingest the logs again into a new index)");
  seg->version_ = version;
  std::string_view trailer = data.substr(data.size() - kSegmentTrailerSize);
  if (std::memcmp(trailer.data() + 16, kSegmentEndMagic, 8) != 0)
    return Status::Corruption("segment " + name + ": truncated (no end marker)");
  ByteReader tr(trailer);
  uint64_t footer_offset = tr.GetU64();
  uint32_t footer_size = tr.GetU32();
  if (footer_offset + footer_size + kSegmentTrailerSize != data.size())
    return Status::Corruption("segment " + name + ": footer position is invalid");
  std::string_view footer_raw;
  Status s =
      ViewRawBlock(data.substr(footer_offset, footer_size), "segment " + name + " footer", &footer_raw);
  if (!s.ok()) return s;
  auto footer = FooterView::Parse(footer_raw, "segment " + name);
  if (!footer.ok()) return footer.status();
  seg->footer_ = footer.value();
  return seg;
}

std::string SegmentReader::What(int field, const char* section) const {
  return "segment " + name_ + " field " + std::string(footer_.field_name(static_cast<uint32_t>(field))) +
         " " + section;
}

Status SegmentReader::Section(const Extent& e, const std::string& what, std::string* raw) {
  std::string_view data = file_.data();
  if (e.offset > data.size() || e.size > data.size() - e.offset)
    return Status::Corruption(what + ": section lies outside the file");
  size_t consumed = 0;
  return DecodeBlock(data.substr(e.offset, e.size), what, raw, &consumed);
}

Status SegmentReader::SectionBytes(const Extent& e, const std::string& what, std::string* owned,
                                   std::string_view* bytes) {
  std::string_view data = file_.data();
  if (e.offset > data.size() || e.size > data.size() - e.offset)
    return Status::Corruption(what + ": section lies outside the file");
  owned->clear();
  if (IsRawBlock(data.substr(e.offset, e.size))) return RawSection(e, what, bytes);
  if (Status s = Section(e, what, owned); !s.ok()) return s;
  *bytes = *owned;
  return Status::OK();
}

Status SegmentReader::RawSection(const Extent& e, const std::string& what, std::string_view* raw) {
  std::string_view data = file_.data();
  if (e.offset > data.size() || e.size > data.size() - e.offset)
    return Status::Corruption(what + ": section lies outside the file");
  return ViewRawBlock(data.substr(e.offset, e.size), what, raw);
}

Result<const Dictionary*> SegmentReader::GetDictionary(int field) {
  if (auto it = dictionaries_.find(field); it != dictionaries_.end()) return it->second.get();
  if (IsNumeric(field)) {
    auto built = BuildNumericDictionary(field);
    if (!built.ok()) return built.status();
    return dictionaries_[field].get();
  }
  std::string what = What(field, "dictionary");
  const Extent e = footer_.field(static_cast<uint32_t>(field)).dictionary;
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
  // Column codes are checked against the footer's count: the dictionary must hold that many.
  if (d.value().size() != footer_.field(static_cast<uint32_t>(field)).distinct)
    return Status::Corruption(what + ": holds " + std::to_string(d.value().size()) +
                              " values where the footer says " +
                              std::to_string(footer_.field(static_cast<uint32_t>(field)).distinct));
  auto& slot = dictionaries_[field];
  slot = std::make_unique<Dictionary>(d.take());
  return slot.get();
}

Result<const PostingsView*> SegmentReader::GetPostings(int field) {
  if (auto it = postings_.find(field); it != postings_.end()) return it->second.get();
  if (IsNumeric(field)) return BuildNumericPostings(field);
  const Extent e = footer_.field(static_cast<uint32_t>(field)).postings;
  std::string what = What(field, "postings");
  std::string_view data = file_.data();
  if (e.offset > data.size() || e.size > data.size() - e.offset)
    return Status::Corruption(what + ": section lies outside the file");
  auto block = CheckedView::Open(data.substr(e.offset, e.size), what);
  if (!block.ok()) return block.status();
  auto p = PostingsView::Parse(block.value(), what, rows());
  if (!p.ok()) return p.status();
  auto& slot = postings_[field];
  slot = std::make_unique<PostingsView>(p.take());
  return slot.get();
}

Result<const Roaring*> SegmentReader::GetPresence(int field) {
  if (auto it = presence_.find(field); it != presence_.end()) return it->second.get();
  const Extent e = footer_.field(static_cast<uint32_t>(field)).presence;
  std::string what = What(field, "presence");
  std::string_view raw;
  Status s = RawSection(e, what, &raw);
  if (!s.ok()) return s;
  auto presence = std::make_unique<Roaring>();
  if (s = ReadStoredBitmap(raw, rows(), what, presence.get()); !s.ok()) return s;
  auto& slot = presence_[field];
  slot = std::move(presence);
  return slot.get();
}

Result<const std::vector<int64_t>*> SegmentReader::GetTimes() {
  if (times_) return times_.get();
  std::string raw;
  std::string what = "segment " + name_ + " time column";
  Status s = Section(footer_.times(), what, &raw);
  if (!s.ok()) return s;
  auto times = DecodeTimes(raw, what);
  if (!times.ok()) return times.status();
  times_ = std::make_unique<std::vector<int64_t>>(times.take());
  return times_.get();
}

Result<std::vector<int64_t>> SegmentReader::DecodeTimes(std::string_view raw, const std::string& what) const {
  const uint32_t rows = footer_.rows();
  std::vector<int64_t> times(rows);
  ByteReader r(raw);
  if (version_ < 5) {  // the first time, then varint deltas
    int64_t t = 0;
    for (uint32_t i = 0; i < rows; ++i) {
      t = (i == 0) ? r.GetI64() : t + static_cast<int64_t>(r.GetVarint());
      times[i] = t;
    }
    if (!r.ok()) return Status::Corruption(what + ": truncated");
    return times;
  }
  for (uint32_t begin = 0; begin < rows; begin += kColumnGroupRows) {
    uint64_t size = r.GetVarint();
    if (!r.ok() || size > r.remaining()) return Status::Corruption(what + ": truncated");
    std::string_view group = r.GetRaw(static_cast<size_t>(size));
    if (!DecodeNumericGroup(group, std::min(kColumnGroupRows, rows - begin), times.data() + begin))
      return Status::Corruption(what + ": group of rows from " + std::to_string(begin) + " is malformed");
  }
  if (r.remaining() != 0) return Status::Corruption(what + ": trailing bytes");
  return times;
}

Result<const NumericZonesView*> SegmentReader::GetNumericZones(int field) {
  if (auto it = numeric_zones_.find(field); it != numeric_zones_.end()) return it->second.get();
  const FieldEntry f = footer_.field(static_cast<uint32_t>(field));
  std::string what = What(field, "numeric zones");
  if (!(f.flags & kFieldNumeric)) return Status::InvalidArgument(what + ": not a numeric column");
  std::string_view raw;
  Status s = RawSection(f.dictionary, what, &raw);
  if (!s.ok()) return s;
  auto zones = NumericZonesView::Parse(raw, f.group_count, what);
  if (!zones.ok()) return zones.status();
  auto& slot = numeric_zones_[field];
  slot = std::make_unique<NumericZonesView>(zones.take());
  return slot.get();
}

Result<const int64_t*> SegmentReader::GetNumericGroup(int field, uint32_t group) {
  auto key = std::make_pair(field, group);
  if (auto it = numeric_groups_.find(key); it != numeric_groups_.end()) return it->second.data();
  const FieldEntry f = footer_.field(static_cast<uint32_t>(field));
  std::string what = What(field, "column");
  uint32_t begin = group * kColumnGroupRows;
  if (group >= f.group_count || begin >= footer_.rows())
    return Status::Corruption(what + ": missing column group");
  std::string owned;
  std::string_view raw;
  if (Status s = SectionBytes(footer_.column_group(f, group), what, &owned, &raw); !s.ok()) return s;
  std::vector<int64_t> values(std::min(footer_.rows() - begin, kColumnGroupRows));
  if (!DecodeNumericGroup(raw, static_cast<uint32_t>(values.size()), values.data()))
    return Status::Corruption(what + ": numeric group " + std::to_string(group) + " is malformed");
  return numeric_groups_.emplace(key, std::move(values)).first->second.data();
}

Status SegmentReader::AddNumericRows(int field, int64_t lo, int64_t hi, Roaring* out) {
  if (lo > hi) return Status::OK();
  auto zones = GetNumericZones(field);
  if (!zones.ok()) return zones.status();
  auto presence = GetPresence(field);
  if (!presence.ok()) return presence.status();
  // Hits are marked in words, 64 rows at a time (groups start at multiples of 64).
  std::vector<uint64_t> words((footer_.rows() + 63) / 64, 0);
  bool any = false;
  const auto span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  for (uint32_t g = 0; g < zones.value()->size(); ++g) {
    NumericZone z = zones.value()->zone(g);
    if (z.empty() || z.max < lo || z.min > hi) continue;
    any = true;
    const uint32_t first = g * kColumnGroupRows, n = std::min(footer_.rows() - first, kColumnGroupRows);
    uint64_t* w = words.data() + first / 64;
    if (lo <= z.min && z.max <= hi) {  // the whole group: its present rows
      for (uint32_t i = 0; i < n / 64; ++i) w[i] = ~uint64_t{0};
      if (n % 64) w[n / 64] = (uint64_t{1} << (n % 64)) - 1;
      continue;
    }
    auto values = GetNumericGroup(field, g);
    if (!values.ok()) return values.status();
    const int64_t* v = values.value();
    for (uint32_t i = 0; i < n; i += 64) {
      const uint32_t m = std::min<uint32_t>(64, n - i);
      uint64_t bits = 0;
      for (uint32_t j = 0; j < m; ++j)
        bits |= static_cast<uint64_t>(static_cast<uint64_t>(v[i + j]) - static_cast<uint64_t>(lo) <= span)
                << j;
      w[i / 64] = bits;
    }
  }
  if (!any) return Status::OK();
  Roaring found = RoaringFromWords(words);
  found &= *presence.value();
  *out |= found;
  return Status::OK();
}

Result<const SegmentReader::NumericCodes*> SegmentReader::BuildNumericDictionary(int field) {
  if (auto it = numeric_codes_.find(field); it != numeric_codes_.end()) return &it->second;
  auto zones = GetNumericZones(field);
  if (!zones.ok()) return zones.status();
  auto presence = GetPresence(field);
  if (!presence.ok()) return presence.status();
  NumericCodes nc;
  for (uint32_t g = 0; g < zones.value()->size(); ++g) {
    if (zones.value()->zone(g).empty()) continue;
    auto values = GetNumericGroup(field, g);
    if (!values.ok()) return values.status();
    const uint32_t first = g * kColumnGroupRows, n = std::min(footer_.rows() - first, kColumnGroupRows);
    for (uint32_t i = 0; i < n; ++i)
      if (presence.value()->contains(first + i)) nc.values.push_back(values.value()[i]);
  }
  std::sort(nc.values.begin(), nc.values.end());
  nc.values.erase(std::unique(nc.values.begin(), nc.values.end()), nc.values.end());
  // Dictionary entries in text order: the type byte, then the decimal text.
  const auto type = static_cast<char>(zones.value()->type());
  std::string texts(nc.values.size() * 21, '\0');
  std::vector<std::string_view> typed(nc.values.size());
  for (size_t i = 0; i < nc.values.size(); ++i) {
    char* at = texts.data() + i * 21;
    at[0] = type;
    typed[i] = std::string_view(at, 1 + FormatInteger(nc.values[i], at + 1));
  }
  std::vector<uint32_t> order(nc.values.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return typed[a] < typed[b]; });
  nc.codes.assign(order.size(), 0);
  std::vector<std::string_view> sorted(order.size());
  for (uint32_t c = 0; c < order.size(); ++c) {
    nc.codes[order[c]] = c;
    sorted[c] = typed[order[c]];
  }
  std::string section;
  EncodeDictionary(sorted, &section);
  auto d = Dictionary::Parse(std::move(section), What(field, "dictionary"));
  if (!d.ok()) return d.status();
  dictionaries_[field] = std::make_unique<Dictionary>(d.take());
  return &numeric_codes_.emplace(field, std::move(nc)).first->second;
}

Result<const SegmentReader::ColumnGroup*> SegmentReader::BuildNumericGroup(int field, uint32_t group) {
  auto nc = BuildNumericDictionary(field);
  if (!nc.ok()) return nc.status();
  auto values = GetNumericGroup(field, group);
  if (!values.ok()) return values.status();
  auto presence = GetPresence(field);
  if (!presence.ok()) return presence.status();
  const uint32_t first = group * kColumnGroupRows, n = std::min(footer_.rows() - first, kColumnGroupRows);
  auto g = std::make_unique<ColumnGroup>();
  g->rows = n;
  const Roaring& present = *presence.value();
  const bool all = present.rank(first + n - 1) - (first == 0 ? 0 : present.rank(first - 1)) == n;
  if (!all) g->starts.reserve(n + 1);
  for (uint32_t i = 0; i < n; ++i) {
    if (!all) g->starts.push_back(static_cast<uint32_t>(g->codes.size()));
    if (all || present.contains(first + i)) g->codes.push_back(nc.value()->CodeOf(values.value()[i]));
  }
  if (!all) g->starts.push_back(static_cast<uint32_t>(g->codes.size()));
  auto& slot = groups_[std::make_pair(field, group)];
  slot = std::move(g);
  return slot.get();
}

Result<const PostingsView*> SegmentReader::BuildNumericPostings(int field) {
  auto nc = BuildNumericDictionary(field);
  if (!nc.ok()) return nc.status();
  auto presence = GetPresence(field);
  if (!presence.ok()) return presence.status();
  const auto distinct = static_cast<uint32_t>(nc.value()->values.size());
  std::vector<std::vector<uint32_t>> rows(distinct);
  std::vector<uint32_t> present(presence.value()->cardinality());
  presence.value()->toUint32Array(present.data());
  for (uint32_t row : present) {
    auto values = GetNumericGroup(field, row / kColumnGroupRows);
    if (!values.ok()) return values.status();
    rows[nc.value()->CodeOf(values.value()[row % kColumnGroupRows])].push_back(row);
  }
  PostingsWriter writer;
  for (const auto& r : rows) {
    if (r.size() == 1) {
      writer.AddRow(r[0]);
      continue;
    }
    Roaring bm;
    bm.addMany(r.size(), r.data());
    writer.AddBitmap(bm);
  }
  std::string section;
  writer.AppendTo(&section);
  std::string& block = numeric_postings_[field];
  block.clear();
  EncodeCheckedBlock(section, &block);
  std::string what = What(field, "postings");
  auto view = CheckedView::Open(block, what);
  if (!view.ok()) return view.status();
  auto p = PostingsView::Parse(view.value(), what, footer_.rows());
  if (!p.ok()) return p.status();
  auto& slot = postings_[field];
  slot = std::make_unique<PostingsView>(p.take());
  return slot.get();
}

Result<const SegmentReader::ColumnGroup*> SegmentReader::GetGroup(int field, uint32_t group) {
  auto key = std::make_pair(field, group);
  if (auto it = groups_.find(key); it != groups_.end()) return it->second.get();
  if (IsNumeric(field)) return BuildNumericGroup(field, group);
  const FieldEntry f = footer_.field(static_cast<uint32_t>(field));
  std::string what = What(field, "column");
  if (group >= f.group_count) return Status::Corruption(what + ": missing column group");
  std::string raw;
  Status s = Section(footer_.column_group(f, group), what, &raw);
  if (!s.ok()) return s;
  uint32_t begin = group * kColumnGroupRows;
  if (begin >= footer_.rows()) return Status::Corruption(what + ": column group past the last row");
  uint32_t n = std::min(footer_.rows() - begin, kColumnGroupRows);
  auto g = std::make_unique<ColumnGroup>();
  g->rows = n;
  ByteReader r(raw);
  uint8_t layout = version_ >= 5 ? r.GetU8() : static_cast<uint8_t>(kGroupCounts);
  // Version 4 counts are one byte each while they are small: a group of single values is n ones.
  bool single = layout == kGroupOnePerRow ||
                (version_ < 5 && r.remaining() >= n &&
                 std::all_of(r.position(), r.position() + n, [](char c) { return c == 1; }));
  uint32_t total = 0;
  if (single) {
    if (version_ < 5) r.GetRaw(n);
    total = n;
  } else if (layout == kGroupPresentRows) {
    auto presence = GetPresence(field);
    if (!presence.ok()) return presence.status();
    std::vector<uint32_t> rows;
    if (!PresentRowsOf(*presence.value(), begin, n, &rows))
      return Status::Corruption(what + ": presence bitmap is unreadable");
    g->starts.resize(n + 1);
    size_t next = 0;
    for (uint32_t i = 0; i < n; ++i) {
      g->starts[i] = total;
      if (next < rows.size() && rows[next] == begin + i) {
        ++total;
        ++next;
      }
    }
    g->starts[n] = total;
  } else if (layout != kGroupCounts) {
    return Status::Corruption(what + ": column group layout " + std::to_string(layout) + " is unknown");
  } else {
    g->starts.resize(n + 1);
    for (uint32_t i = 0; i < n; ++i) {
      g->starts[i] = total;
      const uint64_t count = r.GetVarint();
      if (count > UINT32_MAX - total)
        return Status::Corruption(what + ": column group counts are out of range");
      total += static_cast<uint32_t>(count);
    }
    g->starts[n] = total;
  }
  // The counts must fit the packed codes behind them before that many codes are allocated.
  if (!r.ok() || (f.code_width > 0 && (uint64_t{total} * f.code_width + 7) / 8 > r.remaining()))
    return Status::Corruption(what + ": column group is truncated");
  g->codes.resize(total);
  if (!r.ok() ||
      !BitUnpack(std::string_view(r.position(), r.remaining()), total, f.code_width, g->codes.data()))
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
  v.starts = g.value()->starts.empty() ? nullptr : g.value()->starts.data();
  v.codes = g.value()->codes.data();
  v.first_row = group * kColumnGroupRows;
  v.rows = g.value()->rows;
  return v;
}

Status SegmentReader::GetRowCodes(int field, uint32_t row, std::vector<uint32_t>* codes) {
  codes->clear();
  return AppendRowCodes(field, row, codes);
}

Status SegmentReader::LoadRowBlock(int field, uint32_t group, RowBlock* block) {
  const FieldEntry f = footer_.field(static_cast<uint32_t>(field));
  std::string what = What(field, "column");
  const uint32_t begin = group * kColumnGroupRows;
  if (group >= f.group_count || begin >= footer_.rows())
    return Status::Corruption(what + ": missing column group");
  const uint32_t n = std::min(footer_.rows() - begin, kColumnGroupRows);
  std::string_view bytes;
  if (Status s = SectionBytes(footer_.column_group(f, group), what, &block->owned, &bytes); !s.ok()) return s;
  if (bytes.empty()) return Status::Corruption(what + ": column group is truncated");
  block->group = group;
  block->reads = 0;
  block->decoded = nullptr;
  block->layout = static_cast<uint8_t>(bytes[0]);
  block->bytes = bytes.substr(1);
  uint64_t total = 0;
  if (block->layout == kGroupOnePerRow) {
    block->packed = 0;
    total = n;
  } else if (block->layout == kGroupPresentRows) {
    auto presence = GetPresence(field);
    if (!presence.ok()) return presence.status();
    if (!PresentRowsOf(*presence.value(), begin, n, &block->present_rows))
      return Status::Corruption(what + ": presence bitmap is unreadable");
    block->packed = 0;
    total = block->present_rows.size();
  } else if (block->layout == kGroupCounts) {
    ByteReader r(block->bytes);
    for (uint32_t i = 0; i < n && r.ok(); ++i) total += r.GetVarint();
    if (!r.ok()) return Status::Corruption(what + ": column group is truncated");
    block->packed = block->bytes.size() - r.remaining();
  } else {
    return Status::Corruption(what + ": column group layout " + std::to_string(block->layout) +
                              " is unknown");
  }
  if ((total * f.code_width + 7) / 8 > block->bytes.size() - block->packed)
    return Status::Corruption(what + ": column group is truncated");
  return Status::OK();
}

Status SegmentReader::AppendRowCodes(int field, uint32_t row, std::vector<uint32_t>* codes) {
  if (row >= footer_.rows()) return Status::InvalidArgument("row out of range");
  const uint32_t group = row / kColumnGroupRows;
  const uint32_t in_group = row % kColumnGroupRows;
  auto append_decoded = [&](const ColumnGroup& g) {
    auto [begin, end] = g.RowCodes(in_group);
    codes->insert(codes->end(), g.codes.begin() + begin, g.codes.begin() + end);
    return Status::OK();
  };
  if (version_ < 5 || IsNumeric(field)) {
    auto g = GetGroup(field, group);
    if (!g.ok()) return g.status();
    return append_decoded(*g.value());
  }
  RowBlock& block = row_blocks_[field];
  if (block.group != group) {
    if (auto it = groups_.find({field, group}); it != groups_.end()) {
      block.group = group;
      block.decoded = it->second.get();
    } else if (Status s = LoadRowBlock(field, group, &block); !s.ok()) {
      block.group = UINT32_MAX;
      return s;
    }
  }
  if (block.decoded == nullptr && ++block.reads > kSingleRowReads) {
    auto g = GetGroup(field, group);
    if (!g.ok()) return g.status();
    block.decoded = g.value();
  }
  if (block.decoded != nullptr) return append_decoded(*block.decoded);
  const FieldEntry f = footer_.field(static_cast<uint32_t>(field));
  uint32_t first = in_group, count = 1;
  if (block.layout == kGroupPresentRows) {
    auto at = std::lower_bound(block.present_rows.begin(), block.present_rows.end(), row);
    if (at == block.present_rows.end() || *at != row) return Status::OK();
    first = static_cast<uint32_t>(at - block.present_rows.begin());
  } else if (block.layout == kGroupCounts) {
    ByteReader r(block.bytes);
    first = 0;
    for (uint32_t i = 0; i < in_group; ++i) first += static_cast<uint32_t>(r.GetVarint());
    count = static_cast<uint32_t>(r.GetVarint());
    if (!r.ok()) return Status::Corruption(What(field, "column") + ": column group is truncated");
  }
  std::string_view packed = block.bytes.substr(block.packed);
  for (uint32_t c = 0; c < count; ++c) {
    uint32_t code = 0;
    if (!BitExtract(packed, first + c, f.code_width, &code))
      return Status::Corruption(What(field, "column") + ": column group is truncated");
    if (code >= f.distinct)
      return Status::Corruption(What(field, "column") + ": code outside the dictionary");
    codes->push_back(code);
  }
  return Status::OK();
}

Result<const SegmentReader::ShapePlan*> SegmentReader::GetShapePlan(uint32_t shape_code) {
  if (auto it = shape_plans_.find(shape_code); it != shape_plans_.end()) return it->second.get();
  auto dict = GetDictionary(shapes_field());
  if (!dict.ok()) return dict.status();
  std::vector<std::string> paths;
  if (!ShapeValuePaths(dict.value()->text(shape_code), &paths))
    return Status::Corruption("segment " + name_ + ": event shape is malformed");
  auto plan = std::make_unique<ShapePlan>();
  std::vector<uint32_t> uses;  // per slot: values of that field so far
  for (const std::string& p : paths) {
    int f = FindField(p);
    if (f < 0) return Status::Corruption("segment " + name_ + ": shape names missing field " + p);
    auto slot =
        static_cast<uint32_t>(std::find(plan->fields.begin(), plan->fields.end(), f) - plan->fields.begin());
    if (slot == plan->fields.size()) {
      plan->fields.push_back(f);
      uses.push_back(0);
    }
    plan->values.emplace_back(slot, uses[slot]++);
  }
  auto& slot = shape_plans_[shape_code];
  slot = std::move(plan);
  return slot.get();
}

Status SegmentReader::GetRaw(uint32_t row, std::string* out) {
  out->clear();
  if (!verbatim_loaded_) {
    std::string raw;
    Status s = Section(footer_.verbatim_index(), "segment " + name_ + " raw index", &raw);
    if (!s.ok()) return s;
    ByteReader r(raw);
    uint32_t n = r.GetU32();
    if (!r.ok() || n > raw.size() / 16)
      return Status::Corruption("segment " + name_ + ": raw index malformed");
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
    if (chunk >= footer_.verbatim_chunk_count())
      return Status::Corruption("segment " + name_ + ": raw chunk missing");
    auto c = chunks_.find(chunk);
    if (c == chunks_.end()) {
      std::string raw;
      Status s = Section(footer_.verbatim_chunk(chunk), "segment " + name_ + " raw chunk", &raw);
      if (!s.ok()) return s;
      c = chunks_.emplace(chunk, std::move(raw)).first;
    }
    if (static_cast<uint64_t>(verbatim_offset_[i]) + verbatim_len_[i] > c->second.size())
      return Status::Corruption("segment " + name_ + ": raw text outside its chunk");
    out->assign(c->second, verbatim_offset_[i], verbatim_len_[i]);
    return Status::OK();
  }
  if (shapes_field() < 0)
    return Status::Corruption("segment " + name_ + ": no shapes to rebuild events from");
  auto shape_group = GetGroup(shapes_field(), row / kColumnGroupRows);
  if (!shape_group.ok()) return shape_group.status();
  const uint32_t in_group = row % kColumnGroupRows;
  const ColumnGroup& shapes = *shape_group.value();
  auto [shape_begin, shape_end] = shapes.RowCodes(in_group);
  if (shape_end - shape_begin != 1) return Status::Corruption("segment " + name_ + ": event has no shape");
  const uint32_t shape_code = shapes.codes[shape_begin];
  auto plan = GetShapePlan(shape_code);
  if (!plan.ok()) return plan.status();
  // Each field's codes in this row, read once however many values of the shape it gives.
  raw_spans_.assign(plan.value()->fields.size(), RowSpan());
  raw_codes_.clear();
  for (size_t slot = 0; slot < raw_spans_.size(); ++slot) {
    int f = plan.value()->fields[slot];
    if (IsNumeric(f)) {  // the value itself (the shape names only rows that hold it)
      auto values = GetNumericGroup(f, row / kColumnGroupRows);
      if (!values.ok()) return values.status();
      auto zones = GetNumericZones(f);
      if (!zones.ok()) return zones.status();
      raw_spans_[slot] = {0, 1, nullptr, zones.value()->type(), values.value()[in_group]};
      continue;
    }
    auto dict = GetDictionary(f);
    if (!dict.ok()) return dict.status();
    const size_t first = raw_codes_.size();
    if (Status s = AppendRowCodes(f, row, &raw_codes_); !s.ok()) return s;
    raw_spans_[slot] = {first, static_cast<uint32_t>(raw_codes_.size() - first), dict.value()};
  }
  raw_values_.clear();
  raw_numbers_.resize(plan.value()->values.size() * 20);
  for (const auto& [slot, nth] : plan.value()->values) {
    const RowSpan& span = raw_spans_[slot];
    if (nth >= span.size) return Status::Corruption("segment " + name_ + ": shape and values disagree");
    if (span.dictionary == nullptr) {
      char* at = raw_numbers_.data() + raw_values_.size() * 20;
      raw_values_.push_back({span.numeric_type, std::string_view(at, FormatInteger(span.number, at))});
      continue;
    }
    uint32_t code = raw_codes_[span.first + nth];
    raw_values_.push_back({span.dictionary->type(code), span.dictionary->text(code)});
  }
  auto dict = GetDictionary(shapes_field());
  if (!dict.ok()) return dict.status();
  if (!RenderShape(dict.value()->text(shape_code), raw_values_, out))
    return Status::Corruption("segment " + name_ + ": shape does not render");
  return Status::OK();
}

Status SegmentReader::VerifyAll() {
  auto t = GetTimes();
  if (!t.ok()) return t.status();
  std::string_view data = file_.data();
  for (uint32_t i = 0; i < footer_.field_count(); ++i) {
    int f = static_cast<int>(i);
    const FieldEntry e = footer_.field(i);
    if (IsNumeric(f)) {
      auto zones = GetNumericZones(f);
      if (!zones.ok()) return zones.status();
      auto p = GetPresence(f);
      if (!p.ok()) return p.status();
      for (uint32_t g = 0; g < e.group_count; ++g) {
        auto values = GetNumericGroup(f, g);
        if (!values.ok()) return values.status();
      }
      numeric_groups_.clear();
      continue;
    }
    auto d = GetDictionary(f);
    if (!d.ok()) return d.status();
    for (const auto& [section, extent] :
         {std::pair{"postings", e.postings}, std::pair{"term filter", e.term_filter}}) {
      if (extent.size == 0) continue;
      std::string what = What(f, section);
      if (extent.offset > data.size() || extent.size > data.size() - extent.offset)
        return Status::Corruption(what + ": section lies outside the file");
      auto block = CheckedView::Open(data.substr(extent.offset, extent.size), what);
      if (!block.ok()) return block.status();
      Status s = block.value().CheckAll(what);
      if (!s.ok()) return s;
    }
    if (e.postings.size > 0) {
      auto p = GetPostings(f);
      if (!p.ok()) return p.status();
    }
    if (e.presence.size > 0) {
      auto p = GetPresence(f);
      if (!p.ok()) return p.status();
    }
    for (uint32_t g = 0; g < e.group_count; ++g) {
      auto c = GetGroup(f, g);
      if (!c.ok()) return c.status();
    }
    groups_.clear();
  }
  std::string raw;
  Status s = Section(footer_.verbatim_index(), "segment " + name_ + " raw index", &raw);
  if (!s.ok()) return s;
  for (uint32_t c = 0; c < footer_.verbatim_chunk_count(); ++c) {
    s = Section(footer_.verbatim_chunk(c), "segment " + name_ + " raw chunk", &raw);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Result<bool> SegmentReader::MayHoldParts(int field, const std::vector<std::string>& parts) {
  const FieldEntry e = footer_.field(static_cast<uint32_t>(field));
  if (e.term_filter.size == 0 || parts.empty()) return true;
  std::string what = What(field, "term filter");
  auto it = filters_.find(field);
  if (it == filters_.end()) {
    std::string_view data = file_.data();
    if (e.term_filter.offset > data.size() || e.term_filter.size > data.size() - e.term_filter.offset)
      return Status::Corruption(what + ": section lies outside the file");
    auto block = CheckedView::Open(data.substr(e.term_filter.offset, e.term_filter.size), what);
    if (!block.ok()) return block.status();
    Status s = block.value().Check(0, std::min(block.value().data().size(), kTermFilterHeaderBytes), what);
    if (!s.ok()) return s;
    it = filters_.emplace(field, std::make_unique<CheckedView>(block.value())).first;
  }
  const CheckedView& filter = *it->second;
  std::string_view bytes = filter.data();
  if (bytes.size() < kTermFilterHeaderBytes) return Status::Corruption(what + ": filter is truncated");
  uint32_t blocks;
  std::memcpy(&blocks, bytes.data(), 4);
  uint8_t probes = static_cast<uint8_t>(bytes[4]);
  if (blocks == 0 || bytes.size() != kTermFilterHeaderBytes + size_t{blocks} * kTermFilterBlockBytes ||
      probes > 7)
    return Status::Corruption(what + ": filter size is malformed");
  for (const std::string& part : parts) {
    uint64_t h = TermHash(part);
    size_t at = TermFilterBlockOffset(h, blocks);
    Status s = filter.Check(at, kTermFilterBlockBytes, what);
    if (!s.ok()) return s;
    if (!TermFilterBlockMayContain(bytes.data() + at, h, probes)) return false;
  }
  return true;
}

void SegmentReader::TrimCaches() {
  row_blocks_.clear();  // they may point into groups_
  if (groups_.size() > 4096) groups_.clear();
  if (numeric_groups_.size() > 1024) numeric_groups_.clear();
  if (chunks_.size() > 64) chunks_.clear();
}

}  // namespace cairn::storage
