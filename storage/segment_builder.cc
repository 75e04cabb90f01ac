#include "storage/segment_builder.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <numeric>
#include <roaring/roaring.hh>

#include "storage/block.h"
#include "storage/coding.h"
#include "storage/dictionary_writer.h"
#include "storage/file_io.h"
#include "storage/numeric_column.h"
#include "storage/postings_writer.h"
#include "storage/segment_format.h"
#include "storage/term_filter.h"
#include "storage/term_index_builder.h"
#include "storage/text.h"

namespace cairn::storage {

struct SegmentBuilder::FieldBuild {
  std::string name;
  uint8_t flags = 0;
  // Interned values: key is the type byte followed by the text.
  StringInterner values;
  // The value interned last: consecutive events often repeat it (versions, regions, flags).
  uint32_t last_id = UINT32_MAX;
  // Lookups so far. A field whose values are nearly all new (ids, times, tokens) stops
  // looking them up: it appends each, and sorting merges the few repeats at Finish.
  uint32_t lookups = 0;
  bool append_only = false;
};

namespace {

constexpr uint32_t kNoShape = 0xffffffffu;
constexpr size_t kVerbatimChunkBytes = 256 * 1024;
// How often a field checks whether its values are nearly all new.
constexpr uint32_t kAppendCheckLookups = 4096;
// A field of integers with more distinct values than this is a numeric column: beyond a
// byte per code, its values bit-packed cost less than codes plus postings.
constexpr uint32_t kNumericColumnMinDistinct = 256;

void AppendSection(std::string_view raw, bool compress, std::string* file, Extent* extent,
                   double max_ratio = 1.0) {
  extent->offset = file->size();
  EncodeBlock(raw, file, compress, max_ratio);
  extent->size = file->size() - extent->offset;
}

// A section that queries read a few bytes of, in place: checked per 4 KiB chunk.
void AppendCheckedSection(std::string_view raw, std::string* file, Extent* extent) {
  extent->offset = file->size();
  EncodeCheckedBlock(raw, file);
  extent->size = file->size() - extent->offset;
}

// The term filter of a high-cardinality field: every part of every (folded) value.
std::string EncodeTermFilter(const std::vector<std::string_view>& folded) {
  std::vector<uint64_t> hashes;
  hashes.reserve(folded.size() * 4);
  for (std::string_view text : folded)
    ForEachFoldedPart(text, [&](std::string_view part) { hashes.push_back(TermHash(part)); });
  return BuildTermFilter(std::move(hashes));
}

std::string EncodeBitmap(const std::vector<uint32_t>& rows) {
  Roaring bm;
  bm.addMany(rows.size(), rows.data());
  bm.runOptimize();
  std::string out(bm.getSizeInBytes(true), '\0');
  bm.write(out.data(), true);
  return out;
}

// The bytes that occur in any of `texts`, as a 256-bit set.
void AddByteSet(const std::vector<std::string_view>& texts, std::array<uint64_t, 4>* byte_set) {
  bool seen[256] = {};
  for (std::string_view t : texts)
    for (char c : t) seen[static_cast<unsigned char>(c)] = true;
  for (int b = 0; b < 256; ++b)
    if (seen[b]) (*byte_set)[b >> 6] |= 1ull << (b & 63);
}

// A field's values in dictionary order.
struct SortedValues {
  std::vector<uint32_t> order;           // code → a local id of it
  std::vector<uint32_t> code_of;         // local id → code
  std::vector<std::string_view> folded;  // local id → folded text (without the type byte)
  std::string arena;                     // the folded texts that differ from the text
};

// Sorts local ids by (folded text, text, type) and gives equal keys one code. `keys` are
// type byte + text.
void SortValues(const std::vector<std::string_view>& keys, SortedValues* out) {
  const size_t n = keys.size();
  // Folded texts: the text itself when folding changes nothing, else a copy in the arena
  // (reserved up front, so the views stay valid).
  size_t total = 0;
  for (std::string_view k : keys) total += k.size();
  out->arena.clear();
  out->arena.reserve(total);
  out->folded.resize(n);
  for (size_t i = 0; i < n; ++i) {
    std::string_view text = keys[i].substr(1);
    bool plain = std::none_of(text.begin(), text.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
    });
    if (plain) {
      out->folded[i] = text;
      continue;
    }
    size_t at = out->arena.size();
    FoldInto(text, &out->arena);
    out->folded[i] = std::string_view(out->arena.data() + at, text.size());
  }
  // Sort by the first eight folded bytes as a big-endian number, then order each run of
  // equal prefixes by whole texts.
  std::vector<std::pair<uint64_t, uint32_t>> prefixed(n);
  for (size_t i = 0; i < n; ++i) {
    std::string_view f = out->folded[i];
    uint64_t prefix = 0;
    for (size_t k = 0; k < 8; ++k)
      prefix = (prefix << 8) | (k < f.size() ? static_cast<unsigned char>(f[k]) : 0u);
    prefixed[i] = {prefix, static_cast<uint32_t>(i)};
  }
  std::sort(prefixed.begin(), prefixed.end());
  auto less = [&](uint32_t a, uint32_t b) {
    if (int c = out->folded[a].compare(out->folded[b]); c != 0) return c < 0;
    std::string_view ta = keys[a].substr(1), tb = keys[b].substr(1);
    if (int c = ta.compare(tb); c != 0) return c < 0;
    return keys[a][0] < keys[b][0];
  };
  out->order.resize(n);
  for (size_t i = 0; i < n; ++i) out->order[i] = prefixed[i].second;
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && prefixed[j].first == prefixed[i].first) ++j;
    if (j - i > 1) std::sort(out->order.begin() + i, out->order.begin() + j, less);
    i = j;
  }
  // Equal keys (values appended without lookup) share one code.
  out->code_of.resize(n);
  uint32_t codes = 0;
  for (size_t i = 0; i < n; ++i) {
    uint32_t local = out->order[i];
    if (i > 0 && keys[local] == keys[out->order[codes - 1]]) {
      out->code_of[local] = codes - 1;
      continue;
    }
    out->order[codes] = local;
    out->code_of[local] = codes++;
  }
  out->order.resize(codes);
}

// Column groups: a layout byte, per row a varint count unless the layout makes them
// needless, then all codes of the group bit-packed.
void WriteColumn(const std::vector<std::pair<uint32_t, uint32_t>>& cells, uint32_t rows, int width,
                 bool has_presence, std::string* file, std::vector<Extent>* groups) {
  size_t pos = 0;
  std::string raw;
  std::vector<uint32_t> codes;
  for (uint32_t g = 0; g * kColumnGroupRows < rows; ++g) {
    uint32_t begin = g * kColumnGroupRows, end = std::min(rows, begin + kColumnGroupRows);
    raw.clear();
    codes.clear();
    // At most one value per row: the rows are the presence bitmap's (or all of them).
    size_t last = pos;
    bool multivalue = false;
    while (last < cells.size() && cells[last].first < end) {
      multivalue |= last > pos && cells[last].first == cells[last - 1].first;
      ++last;
    }
    const bool all_rows = last - pos == end - begin;
    if (!multivalue && (all_rows || has_presence)) {
      raw.push_back(static_cast<char>(all_rows ? kGroupOnePerRow : kGroupPresentRows));
      for (; pos < last; ++pos) codes.push_back(cells[pos].second);
      BitPack(codes.data(), codes.size(), width, &raw);
      Extent e;
      AppendSection(raw, true, file, &e);
      groups->push_back(e);
      continue;
    }
    raw.push_back(static_cast<char>(kGroupCounts));
    ByteWriter w(&raw);
    for (uint32_t row = begin; row < end;) {
      // Rows without the field: a run of zero counts (most rows, for most fields).
      uint32_t next = pos < cells.size() ? std::min(cells[pos].first, end) : end;
      if (next > row) {
        raw.append(next - row, '\0');
        row = next;
        continue;
      }
      uint32_t count = 0;
      while (pos < cells.size() && cells[pos].first == row) {
        codes.push_back(cells[pos].second);
        ++count;
        ++pos;
      }
      if (count < 0x80)
        raw.push_back(static_cast<char>(count));
      else
        w.PutVarint(count);
      ++row;
    }
    BitPack(codes.data(), codes.size(), width, &raw);
    Extent e;
    AppendSection(raw, true, file, &e);
    groups->push_back(e);
  }
}

// The integer of each code when `keys` (type byte + text, in code order) are all canonical
// integers of one type; empty otherwise.
std::vector<int64_t> IntegerValues(const std::vector<std::string_view>& keys) {
  std::vector<int64_t> values(keys.size());
  for (size_t c = 0; c < keys.size(); ++c)
    if (keys[c][0] != keys[0][0] || !ParseCanonicalInteger(keys[c].substr(1), &values[c])) return {};
  return values;
}

// A numeric column: per group of rows the values, a row without the field holding its
// predecessor's (the presence bitmap tells them apart), and the zones of all groups.
void WriteNumericColumn(const std::vector<std::pair<uint32_t, uint32_t>>& cells,
                        const std::vector<int64_t>& values, uint32_t rows, std::string* file,
                        std::vector<Extent>* groups, std::vector<NumericZone>* zones) {
  size_t pos = 0;
  std::string raw;
  std::vector<int64_t> group;
  int64_t last = cells.empty() ? 0 : values[cells[0].second];
  for (uint32_t g = 0; g * kColumnGroupRows < rows; ++g) {
    uint32_t begin = g * kColumnGroupRows, end = std::min(rows, begin + kColumnGroupRows);
    NumericZone zone{std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()};
    group.clear();
    for (uint32_t row = begin; row < end; ++row) {
      if (pos < cells.size() && cells[pos].first == row) {
        last = values[cells[pos++].second];
        zone.min = std::min(zone.min, last);
        zone.max = std::max(zone.max, last);
      }
      group.push_back(last);
    }
    raw.clear();
    EncodeNumericGroup(group.data(), static_cast<uint32_t>(group.size()), &raw);
    Extent e;
    AppendSection(raw, true, file, &e, 0.75);
    groups->push_back(e);
    zones->push_back(zone);
  }
}

// The rows of each code of one field, without repeats, written as postings; each
// code's rows also go to `terms` when the field's values are indexed as terms.
void WritePostings(const std::vector<std::pair<uint32_t, uint32_t>>& cells,
                   const std::vector<std::string_view>& texts, TermIndexBuilder* terms, std::string* file,
                   Extent* extent) {
  const auto distinct = static_cast<uint32_t>(texts.size());
  // Counting sort of the cells by code; rows stay ascending within a code.
  std::vector<uint32_t> offsets(distinct + 1, 0);
  for (const auto& cell : cells) offsets[cell.second + 1]++;
  for (uint32_t c = 0; c < distinct; ++c) offsets[c + 1] += offsets[c];
  std::vector<uint32_t> rows(cells.size());
  std::vector<uint32_t> fill(offsets.begin(), offsets.end() - 1);
  for (const auto& [row, code] : cells) rows[fill[code]++] = row;

  PostingsWriter writer;
  Roaring bm;
  for (uint32_t c = 0; c < distinct; ++c) {
    uint32_t* begin = rows.data() + offsets[c];
    // A value twice in one event (a multivalue field) gives the row twice.
    uint32_t* last = std::unique(begin, rows.data() + offsets[c + 1]);
    size_t n = static_cast<size_t>(last - begin);
    if (n == 1) {
      writer.AddRow(*begin);
      if (terms != nullptr) terms->AddValue(texts[c], *begin);
      continue;
    }
    if (terms == nullptr) {
      writer.AddSortedRows(begin, n);
      continue;
    }
    bm = Roaring();
    bm.addMany(n, begin);
    bm.runOptimize();
    writer.AddBitmap(bm);
    if (terms != nullptr) terms->AddValue(texts[c], std::move(bm));
  }
  std::string section;
  writer.AppendTo(&section);
  AppendCheckedSection(section, file, extent);
}

}  // namespace

SegmentBuilder::SegmentBuilder() {
  Reset();
}
SegmentBuilder::~SegmentBuilder() = default;

void SegmentBuilder::Reset() {
  ++generation_;
  fields_.clear();
  field_ids_.clear();
  shapes_ = std::make_unique<FieldBuild>();
  shapes_->name = "_shape";
  shapes_->flags = kFieldShapes;
  times_.clear();
  shape_ids_.clear();
  value_begin_.clear();
  values_.clear();
  verbatim_.clear();
  verbatim_text_.clear();
  memory_bytes_ = 0;
}

uint32_t SegmentBuilder::FieldId(std::string_view name, bool metadata) {
  auto it = field_ids_.find(name);
  if (it != field_ids_.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(fields_.size());
  auto f = std::make_unique<FieldBuild>();
  f->name = std::string(name);
  f->flags = metadata ? kFieldMetadata : 0;
  fields_.push_back(std::move(f));
  field_ids_.emplace(std::string(name), id);
  return id;
}

std::string_view SegmentBuilder::FieldName(uint32_t id) const {
  return fields_[id]->name;
}

uint32_t SegmentBuilder::Intern(FieldBuild* field, ValueType type, std::string_view text) {
  if (field->last_id != UINT32_MAX) {
    std::string_view last = field->values.Get(field->last_id);
    if (last.size() == text.size() + 1 && last[0] == static_cast<char>(type) && last.substr(1) == text)
      return field->last_id;
  }
  uint32_t before = field->values.size();
  uint32_t id = field->append_only ? field->values.Append(static_cast<char>(type), text)
                                   : field->values.Intern(static_cast<char>(type), text);
  if (id == before) memory_bytes_ += text.size() + 24;
  field->last_id = id;
  if (++field->lookups % kAppendCheckLookups == 0 && !field->append_only)
    field->append_only = uint64_t{field->values.size()} * 10 >= uint64_t{field->lookups} * 9;
  return id;
}

void SegmentBuilder::Add(int64_t time_us, std::string_view shape, const std::vector<FieldValue>& values,
                         std::string_view verbatim_raw) {
  uint32_t row = static_cast<uint32_t>(times_.size());
  times_.push_back(time_us);
  shape_ids_.push_back(shape.empty() ? kNoShape : Intern(shapes_.get(), ValueType::kString, shape));
  value_begin_.push_back(static_cast<uint32_t>(values_.size()));
  for (const FieldValue& v : values) {
    values_.emplace_back(v.field, Intern(fields_[v.field].get(), v.type, v.text));
  }
  if (shape.empty()) {
    verbatim_.push_back({row, static_cast<uint32_t>(verbatim_raw.size()), verbatim_text_.size()});
    verbatim_text_.append(verbatim_raw);
    memory_bytes_ += verbatim_raw.size() + 16;
  }
  memory_bytes_ += 16 + values.size() * 8;
}

Status SegmentBuilder::Finish(const std::string& path, SegmentWriteStats* stats) {
  const uint32_t rows = static_cast<uint32_t>(times_.size());
  value_begin_.push_back(static_cast<uint32_t>(values_.size()));
  std::vector<uint32_t> perm(rows);  // new row → old row
  std::iota(perm.begin(), perm.end(), 0);
  std::stable_sort(perm.begin(), perm.end(), [&](uint32_t a, uint32_t b) { return times_[a] < times_[b]; });

  // The segment's bytes, in a buffer kept from one segment to the next: growing a fresh one
  // would copy it several times over.
  std::string& file = file_;
  file.assign(kSegmentMagic, sizeof kSegmentMagic);
  ByteWriter(&file).PutU32(kSegmentVersion);
  SegmentFooter footer;
  footer.rows = rows;
  footer.min_time_us = rows ? times_[perm.front()] : 0;
  footer.max_time_us = rows ? times_[perm.back()] : 0;

  // Time column: groups of rows encoded as a numeric column's, each after its size.
  {
    std::string raw, group;
    std::vector<int64_t> times;
    for (uint32_t begin = 0; begin < rows; begin += kColumnGroupRows) {
      uint32_t end = std::min(rows, begin + kColumnGroupRows);
      times.clear();
      for (uint32_t r = begin; r < end; ++r) times.push_back(times_[perm[r]]);
      group.clear();
      EncodeNumericGroup(times.data(), end - begin, &group);
      ByteWriter(&raw).PutVarint(group.size());
      raw += group;
    }
    AppendSection(raw, true, &file, &footer.times);
  }

  // Sorted dictionaries, and the cells of each field in new row order.
  const size_t nfields = fields_.size();
  // Integers of many values, one per row, become numeric columns: their cells hold local
  // ids, and their values are never sorted as text.
  std::vector<std::vector<int64_t>> integers(nfields);  // by local id, for numeric columns
  std::vector<uint32_t> distinct_integers(nfields, 0);
  {
    std::vector<uint32_t> last_row(nfields, UINT32_MAX);
    std::vector<bool> multivalue(nfields, false);
    for (uint32_t row = 0; row < rows; ++row)
      for (uint32_t i = value_begin_[row]; i < value_begin_[row + 1]; ++i) {
        uint32_t f = values_[i].first;
        if (last_row[f] == row) multivalue[f] = true;
        last_row[f] = row;
      }
    std::vector<int64_t> unique;
    for (size_t f = 0; f < nfields; ++f) {
      const FieldBuild& fb = *fields_[f];
      if ((fb.flags & kFieldMetadata) || multivalue[f] || fb.values.size() <= kNumericColumnMinDistinct)
        continue;
      std::vector<int64_t> values = IntegerValues(fb.values.strings());
      if (values.empty()) continue;
      // Texts interned one by one are distinct, and so are their integers; appended ones
      // (values nearly all new) may repeat.
      auto n = static_cast<uint32_t>(values.size());
      if (fb.append_only) {
        unique = values;
        std::sort(unique.begin(), unique.end());
        n = static_cast<uint32_t>(std::unique(unique.begin(), unique.end()) - unique.begin());
      }
      if (n <= kNumericColumnMinDistinct) continue;
      integers[f] = std::move(values);
      distinct_integers[f] = n;
    }
  }
  std::vector<SortedValues> sorted(nfields);
  for (size_t f = 0; f < nfields; ++f)
    if (integers[f].empty()) SortValues(fields_[f]->values.strings(), &sorted[f]);
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> cells(nfields);
  {
    std::vector<size_t> counts(nfields, 0);
    for (const auto& v : values_) counts[v.first]++;
    for (size_t f = 0; f < nfields; ++f) cells[f].reserve(counts[f]);
  }
  for (uint32_t r = 0; r < rows; ++r) {
    uint32_t old = perm[r];
    for (uint32_t i = value_begin_[old]; i < value_begin_[old + 1]; ++i) {
      auto [f, local] = values_[i];
      cells[f].emplace_back(r, integers[f].empty() ? sorted[f].code_of[local] : local);
    }
  }

  TermIndexBuilder terms;
  std::vector<std::string_view> keys, texts, folded;
  const bool scan_terms = nfields <= scanned_terms_max_fields_;
  // Fields present in the same rows (every field of a fixed-layout line) share one bitmap,
  // found by its rows before it is built.
  std::unordered_map<uint64_t, std::vector<std::pair<std::vector<uint32_t>, Extent>>> presence_blocks;
  auto write_presence = [&](const std::vector<uint32_t>& present, Extent* extent) {
    auto& same_hash = presence_blocks[HashBytes(reinterpret_cast<const char*>(present.data()),
                                                present.size() * sizeof(uint32_t))];
    for (const auto& [rows_present, written] : same_hash) {
      if (rows_present == present) {
        *extent = written;
        return;
      }
    }
    AppendSection(EncodeBitmap(present), false, &file, extent);
    same_hash.emplace_back(present, *extent);
  };
  for (size_t f = 0; f < nfields; ++f) {
    FieldBuild& fb = *fields_[f];
    const SortedValues& sv = sorted[f];
    FieldEntry entry;
    entry.name = fb.name;
    entry.flags = fb.flags;
    if (!integers[f].empty()) {  // a numeric column, out of the term index
      entry.flags |= kFieldNumeric;
      entry.distinct = distinct_integers[f];
      entry.value_count = cells[f].size();
      entry.rows_present = static_cast<uint32_t>(cells[f].size());
      entry.code_width = static_cast<uint8_t>(BitWidth(entry.distinct - 1));
      texts.clear();
      for (std::string_view key : fb.values.strings()) texts.push_back(key.substr(1));
      AddByteSet(texts, &entry.byte_set);
      std::vector<uint32_t> present;
      present.reserve(cells[f].size());
      for (const auto& cell : cells[f]) present.push_back(cell.first);
      write_presence(present, &entry.presence);
      footer.column_groups.emplace_back();
      std::vector<NumericZone> zones;
      WriteNumericColumn(cells[f], integers[f], rows, &file, &footer.column_groups.back(), &zones);
      std::string zone_section;
      EncodeNumericZones(static_cast<ValueType>(fb.values.Get(0)[0]), zones, &zone_section);
      AppendSection(zone_section, false, &file, &entry.dictionary);  // read in place
      footer.fields.push_back(entry);
      std::vector<std::pair<uint32_t, uint32_t>>().swap(cells[f]);
      continue;
    }
    entry.distinct = static_cast<uint32_t>(sv.order.size());
    entry.value_count = cells[f].size();
    entry.code_width = static_cast<uint8_t>(BitWidth(entry.distinct ? entry.distinct - 1 : 0));
    keys.clear();
    texts.clear();
    folded.clear();
    for (uint32_t local : sv.order) {
      keys.push_back(fb.values.Get(local));
      texts.push_back(keys.back().substr(1));
      folded.push_back(sv.folded[local]);
    }
    std::vector<uint32_t> present;
    present.reserve(cells[f].size());
    for (const auto& cell : cells[f])
      if (present.empty() || present.back() != cell.first) present.push_back(cell.first);
    entry.rows_present = static_cast<uint32_t>(present.size());
    bool metadata = (fb.flags & kFieldMetadata) != 0;
    bool high_cardinality = entry.distinct > 1000 && entry.distinct * 4ull > entry.rows_present;
    if (high_cardinality) entry.flags |= kFieldHighCardinality;
    if (scan_terms && !metadata) entry.flags |= kFieldTermsScanned;

    // High-cardinality dictionaries of text barely compress and are scanned for terms: they
    // stay uncompressed, read in place, unless LZ4 halves them (numbers: times, ports, sizes).
    std::string dictionary;
    EncodeDictionary(keys, &dictionary);
    AppendSection(dictionary, true, &file, &entry.dictionary, high_cardinality ? 0.75 : 1.0);
    AddByteSet(folded, &entry.byte_set);
    if (high_cardinality && !metadata)
      AppendCheckedSection(EncodeTermFilter(folded), &file, &entry.term_filter);
    // Values of other fields are index terms; high-cardinality ones have the filter instead.
    bool in_term_index = !metadata && !high_cardinality && !scan_terms;
    WritePostings(cells[f], texts, in_term_index ? &terms : nullptr, &file, &entry.postings);
    write_presence(present, &entry.presence);
    footer.column_groups.emplace_back();
    WriteColumn(cells[f], rows, entry.code_width, true, &file, &footer.column_groups.back());
    footer.fields.push_back(entry);
    std::vector<std::pair<uint32_t, uint32_t>>().swap(cells[f]);
  }

  // Shapes: a dictionary of shape strings and one code per row (none for verbatim rows).
  {
    SortedValues sv;
    SortValues(shapes_->values.strings(), &sv);
    keys.clear();
    for (uint32_t local : sv.order) keys.push_back(shapes_->values.Get(local));
    std::vector<std::pair<uint32_t, uint32_t>> shape_cells;
    std::vector<std::vector<uint32_t>> shape_rows(keys.size());
    for (uint32_t r = 0; r < rows; ++r) {
      uint32_t s = shape_ids_[perm[r]];
      if (s == kNoShape) continue;
      shape_cells.emplace_back(r, sv.code_of[s]);
      shape_rows[sv.code_of[s]].push_back(r);
    }
    FieldEntry entry;
    entry.name = shapes_->name;
    entry.flags = kFieldShapes;
    entry.distinct = static_cast<uint32_t>(keys.size());
    entry.value_count = shape_cells.size();
    entry.rows_present = static_cast<uint32_t>(shape_cells.size());
    entry.code_width = static_cast<uint8_t>(BitWidth(entry.distinct ? entry.distinct - 1 : 0));
    std::string dictionary;
    EncodeDictionary(keys, &dictionary);
    AppendSection(dictionary, true, &file, &entry.dictionary);
    footer.column_groups.emplace_back();
    WriteColumn(shape_cells, rows, entry.code_width, false, &file, &footer.column_groups.back());
    footer.fields.push_back(entry);

    // The keys of a shape are terms of every row of that shape.
    std::vector<std::string_view> shape_keys;
    std::vector<std::string> shape_terms;
    Roaring shape_bm;
    for (uint32_t c = 0; c < keys.size(); ++c) {
      std::string_view shape = keys[c].substr(1);
      shape_bm = Roaring();
      shape_bm.addMany(shape_rows[c].size(), shape_rows[c].data());
      ShapeKeys(shape, &shape_keys);
      shape_terms.clear();
      if (ShapeHasNull(shape)) shape_terms.emplace_back("null");
      for (std::string_view k : shape_keys)
        ForEachTerm(k, [&](std::string_view term) { shape_terms.emplace_back(term); });
      std::sort(shape_terms.begin(), shape_terms.end());
      shape_terms.erase(std::unique(shape_terms.begin(), shape_terms.end()), shape_terms.end());
      for (const std::string& term : shape_terms) terms.AddRows(term, shape_bm);
    }
  }

  // Verbatim raw texts, in row order, packed into LZ4 chunks.
  uint32_t verbatim_rows = 0;
  {
    std::vector<uint32_t> vrows;
    for (uint32_t r = 0; r < rows; ++r)
      if (shape_ids_[perm[r]] == kNoShape) vrows.push_back(r);
    std::string index, chunk;
    ByteWriter iw(&index);
    iw.PutU32(static_cast<uint32_t>(vrows.size()));
    uint32_t chunk_no = 0;
    for (uint32_t r : vrows) {
      auto span = std::lower_bound(verbatim_.begin(), verbatim_.end(), perm[r],
                                   [](const VerbatimSpan& v, uint32_t row) { return v.row < row; });
      std::string_view raw(verbatim_text_.data() + span->offset, span->size);
      iw.PutU32(r);
      iw.PutU32(chunk_no);
      iw.PutU32(static_cast<uint32_t>(chunk.size()));
      iw.PutU32(static_cast<uint32_t>(raw.size()));
      chunk.append(raw);
      ForEachTerm(raw, [&](std::string_view term) { terms.AddRow(term, r); });
      if (chunk.size() >= kVerbatimChunkBytes) {
        Extent e;
        AppendSection(chunk, true, &file, &e);
        footer.verbatim_chunks.push_back(e);
        chunk.clear();
        ++chunk_no;
      }
    }
    if (!chunk.empty()) {
      Extent e;
      AppendSection(chunk, true, &file, &e);
      footer.verbatim_chunks.push_back(e);
    }
    AppendSection(index, true, &file, &footer.verbatim_index);
    verbatim_rows = static_cast<uint32_t>(vrows.size());
  }

  // Term index: a pseudo field whose dictionary is the sorted terms.
  {
    std::string dictionary, postings;
    terms.Encode(&dictionary, &postings);
    FieldEntry entry;
    entry.name = "_terms";
    entry.flags = kFieldTerms;
    entry.distinct = static_cast<uint32_t>(terms.term_count());
    entry.value_count = terms.row_count();
    // Read in place: a term lookup binary-searches it without decoding it whole.
    AppendSection(dictionary, false, &file, &entry.dictionary);
    AppendCheckedSection(postings, &file, &entry.postings);
    footer.fields.push_back(entry);
    footer.column_groups.emplace_back();
  }

  std::string footer_bytes;
  footer.EncodeTo(&footer_bytes);
  uint64_t footer_offset = file.size();
  EncodeBlock(footer_bytes, &file, false);  // read in place when the segment is opened
  uint32_t footer_size = static_cast<uint32_t>(file.size() - footer_offset);
  ByteWriter tw(&file);
  tw.PutU64(footer_offset);
  tw.PutU32(footer_size);
  tw.PutU32(kSegmentVersion);
  tw.PutRaw(kSegmentEndMagic, sizeof kSegmentEndMagic);

  Status s = WriteFileAtomically(path, file);
  if (!s.ok()) {
    Reset();  // the rows are not in any segment; the caller reports it, the next ingest resumes
    return s;
  }
  if (stats != nullptr) {
    stats->rows = rows;
    stats->verbatim_rows = verbatim_rows;
    stats->bytes = file.size();
    stats->min_time_us = footer.min_time_us;
    stats->max_time_us = footer.max_time_us;
  }
  Reset();
  return Status::OK();
}

}  // namespace cairn::storage
