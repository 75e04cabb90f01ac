#include "storage/segment_builder.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <roaring/roaring.hh>

#include "storage/block.h"
#include "storage/coding.h"
#include "storage/file_io.h"
#include "storage/segment_format.h"
#include "storage/term_filter.h"
#include "storage/text.h"

namespace cairn::storage {

struct SegmentBuilder::FieldBuild {
  std::string name;
  uint8_t flags = 0;
  // Interned values: key is the type byte followed by the text.
  StringInterner values;
  // The value interned last: consecutive events often repeat it (versions, regions, flags).
  uint32_t last_id = UINT32_MAX;
};

namespace {

constexpr uint32_t kNoShape = 0xffffffffu;
constexpr size_t kVerbatimChunkBytes = 256 * 1024;

// Rows of each dictionary code, for one field, in row order without repeats.
struct Postings {
  std::vector<uint32_t> offsets;  // code → start in rows; size distinct + 1
  std::vector<uint32_t> rows;
  size_t size(uint32_t code) const { return offsets[code + 1] - offsets[code]; }
  const uint32_t* begin(uint32_t code) const { return rows.data() + offsets[code]; }
};

void AppendSection(std::string_view raw, bool compress, std::string* file, Extent* extent) {
  extent->offset = file->size();
  EncodeBlock(raw, file, compress);
  extent->size = file->size() - extent->offset;
}

// A section that queries read a few bytes of, in place: checked per 4 KiB chunk.
void AppendCheckedSection(std::string_view raw, std::string* file, Extent* extent) {
  extent->offset = file->size();
  EncodeCheckedBlock(raw, file);
  extent->size = file->size() - extent->offset;
}

// The term filter of a high-cardinality field: every part of every value.
std::string EncodeTermFilter(const std::vector<std::string_view>& keys) {
  std::vector<uint64_t> hashes;
  hashes.reserve(keys.size() * 4);
  for (std::string_view k : keys) ForEachPart(k.substr(1), [&](std::string_view part) { hashes.push_back(TermHash(part)); });
  return BuildTermFilter(std::move(hashes));
}

// Postings section: u32 n, u32 refs[n], u32 m, u32 bitmap offsets[m+1], bitmap bytes.
// A ref with kInlineRowFlag holds the single row itself; otherwise it indexes a bitmap.
std::string EncodePostings(const Postings& p, uint32_t distinct) {
  std::string refs, offsets, bitmaps;
  ByteWriter rw(&refs), ow(&offsets);
  uint32_t m = 0;
  ow.PutU32(0);
  std::string buf;
  for (uint32_t c = 0; c < distinct; ++c) {
    if (p.size(c) == 1) {
      rw.PutU32(kInlineRowFlag | *p.begin(c));
      continue;
    }
    Roaring bm;
    bm.addMany(p.size(c), p.begin(c));
    bm.runOptimize();
    buf.resize(bm.getSizeInBytes(true));
    bm.write(buf.data(), true);
    bitmaps.append(buf);
    rw.PutU32(m++);
    ow.PutU32(static_cast<uint32_t>(bitmaps.size()));
  }
  std::string out;
  ByteWriter w(&out);
  w.PutU32(distinct);
  w.PutRaw(refs.data(), refs.size());
  w.PutU32(m);
  w.PutRaw(offsets.data(), offsets.size());
  w.PutRaw(bitmaps.data(), bitmaps.size());
  return out;
}

// Dictionary section: u32 n, u8 types[n], u32 offsets[n+1], text bytes.
std::string EncodeDictionary(const std::vector<std::string_view>& sorted_keys) {
  std::string out;
  ByteWriter w(&out);
  w.PutU32(static_cast<uint32_t>(sorted_keys.size()));
  for (std::string_view k : sorted_keys) w.PutU8(static_cast<uint8_t>(k[0]));
  uint32_t off = 0;
  w.PutU32(0);
  for (std::string_view k : sorted_keys) {
    off += static_cast<uint32_t>(k.size() - 1);
    w.PutU32(off);
  }
  for (std::string_view k : sorted_keys) w.PutRaw(k.data() + 1, k.size() - 1);
  // Numeric index: the entries that are numbers, by value.
  std::vector<std::pair<double, uint32_t>> numbers;
  for (uint32_t c = 0; c < sorted_keys.size(); ++c)
    if (auto v = ParseNumber(sorted_keys[c].substr(1))) numbers.emplace_back(*v, c);
  std::sort(numbers.begin(), numbers.end());
  w.PutU32(static_cast<uint32_t>(numbers.size()));
  for (const auto& [v, c] : numbers) {
    uint64_t bits;
    std::memcpy(&bits, &v, 8);
    w.PutU64(bits);
  }
  for (const auto& [v, c] : numbers) w.PutU32(c);
  return out;
}

std::string EncodeBitmap(const std::vector<uint32_t>& rows) {
  Roaring bm;
  bm.addMany(rows.size(), rows.data());
  bm.runOptimize();
  std::string out(bm.getSizeInBytes(true), '\0');
  bm.write(out.data(), true);
  return out;
}

// Sorted codes: local ids ordered by (folded text, text, type).
std::vector<uint32_t> SortLocalIds(const std::vector<std::string_view>& keys) {
  // Folded texts: the text itself when folding changes nothing, else a copy in one arena
  // (reserved up front, so the views stay valid).
  size_t total = 0;
  for (std::string_view k : keys) total += k.size();
  std::string arena;
  arena.reserve(total);
  std::vector<std::string_view> folded(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    std::string_view text = keys[i].substr(1);
    bool plain = std::none_of(text.begin(), text.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
    });
    if (plain) {
      folded[i] = text;
      continue;
    }
    size_t at = arena.size();
    FoldInto(text, &arena);
    folded[i] = std::string_view(arena.data() + at, text.size());
  }
  std::vector<uint32_t> order(keys.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (int c = folded[a].compare(folded[b]); c != 0) return c < 0;
    std::string_view ta = keys[a].substr(1), tb = keys[b].substr(1);
    if (int c = ta.compare(tb); c != 0) return c < 0;
    return keys[a][0] < keys[b][0];
  });
  return order;
}

// Column groups: per row a varint count, then all codes of the group bit-packed.
void WriteColumn(const std::vector<std::pair<uint32_t, uint32_t>>& cells, uint32_t rows, int width,
                 std::string* file, std::vector<Extent>* groups) {
  size_t pos = 0;
  std::string raw;
  std::vector<uint32_t> codes;
  for (uint32_t g = 0; g * kColumnGroupRows < rows; ++g) {
    uint32_t begin = g * kColumnGroupRows, end = std::min(rows, begin + kColumnGroupRows);
    raw.clear();
    codes.clear();
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
      if (count < 0x80) raw.push_back(static_cast<char>(count)); else w.PutVarint(count);
      ++row;
    }
    BitPack(codes.data(), codes.size(), width, &raw);
    Extent e;
    AppendSection(raw, true, file, &e);
    groups->push_back(e);
  }
}

}  // namespace

SegmentBuilder::SegmentBuilder() { Reset(); }
SegmentBuilder::~SegmentBuilder() = default;

void SegmentBuilder::Reset() {
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

uint32_t SegmentBuilder::Intern(FieldBuild* field, ValueType type, std::string_view text) {
  if (field->last_id != UINT32_MAX) {
    std::string_view last = field->values.Get(field->last_id);
    if (last.size() == text.size() + 1 && last[0] == static_cast<char>(type) && last.substr(1) == text)
      return field->last_id;
  }
  uint32_t before = field->values.size();
  uint32_t id = field->values.Intern2(static_cast<char>(type), text);
  if (id == before) memory_bytes_ += text.size() + 24;
  field->last_id = id;
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
    verbatim_.emplace(row, std::string(verbatim_raw));
    memory_bytes_ += verbatim_raw.size() + 64;
  }
  memory_bytes_ += 16 + values.size() * 8;
}

Status SegmentBuilder::Finish(const std::string& path, SegmentWriteStats* stats) {
  const uint32_t rows = static_cast<uint32_t>(times_.size());
  value_begin_.push_back(static_cast<uint32_t>(values_.size()));
  std::vector<uint32_t> perm(rows);  // new row → old row
  std::iota(perm.begin(), perm.end(), 0);
  std::stable_sort(perm.begin(), perm.end(), [&](uint32_t a, uint32_t b) { return times_[a] < times_[b]; });

  std::string file(kSegmentMagic, sizeof kSegmentMagic);
  ByteWriter(&file).PutU32(kSegmentVersion);
  SegmentFooter footer;
  footer.rows = rows;
  footer.min_time_us = rows ? times_[perm.front()] : 0;
  footer.max_time_us = rows ? times_[perm.back()] : 0;

  // Time column: first value, then varint deltas (rows are in time order).
  {
    std::string raw;
    ByteWriter w(&raw);
    int64_t prev = 0;
    for (uint32_t r = 0; r < rows; ++r) {
      int64_t t = times_[perm[r]];
      if (r == 0) w.PutI64(t); else w.PutVarint(static_cast<uint64_t>(t - prev));
      prev = t;
    }
    AppendSection(raw, true, &file, &footer.times);
  }

  // Cells per field in new row order.
  const size_t nfields = fields_.size();
  std::vector<std::vector<uint32_t>> code_of(nfields);
  std::vector<std::vector<std::string_view>> sorted_keys(nfields);
  for (size_t f = 0; f < nfields; ++f) {
    std::vector<uint32_t> order = SortLocalIds(fields_[f]->values.strings());
    code_of[f].resize(order.size());
    for (uint32_t c = 0; c < order.size(); ++c) {
      code_of[f][order[c]] = c;
      sorted_keys[f].push_back(fields_[f]->values.Get(order[c]));
    }
  }
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> cells(nfields);
  for (uint32_t r = 0; r < rows; ++r) {
    uint32_t old = perm[r];
    for (uint32_t i = value_begin_[old]; i < value_begin_[old + 1]; ++i) {
      auto [f, local] = values_[i];
      cells[f].emplace_back(r, code_of[f][local]);
    }
  }

  // Term sources: term → (field, code) pairs, and term → extra rows (keys, verbatim text).
  std::unordered_map<std::string, std::vector<std::pair<uint32_t, uint32_t>>> term_values;
  std::unordered_map<std::string, Roaring> term_rows;
  std::vector<Postings> postings(nfields);

  for (size_t f = 0; f < nfields; ++f) {
    FieldBuild& fb = *fields_[f];
    FieldEntry entry;
    entry.name = fb.name;
    entry.flags = fb.flags;
    entry.distinct = static_cast<uint32_t>(sorted_keys[f].size());
    entry.value_count = cells[f].size();
    entry.code_width = static_cast<uint8_t>(BitWidth(entry.distinct ? entry.distinct - 1 : 0));

    Postings& p = postings[f];
    p.offsets.assign(entry.distinct + 1, 0);
    std::vector<uint32_t> present;
    uint32_t last_row = 0xffffffffu;
    for (auto [row, code] : cells[f]) {
      p.offsets[code + 1]++;
      if (row != last_row) present.push_back(row);
      last_row = row;
    }
    for (uint32_t c = 0; c < entry.distinct; ++c) p.offsets[c + 1] += p.offsets[c];
    p.rows.assign(cells[f].size(), 0);
    std::vector<uint32_t> fill(p.offsets.begin(), p.offsets.end() - 1);
    std::vector<uint32_t> last(entry.distinct, 0xffffffffu);
    for (auto [row, code] : cells[f]) {
      if (last[code] == row) continue;  // the same value twice in one event
      last[code] = row;
      p.rows[fill[code]++] = row;
    }
    // Compact away repeats left by multivalue duplicates.
    {
      std::vector<uint32_t> compact;
      compact.reserve(p.rows.size());
      std::vector<uint32_t> offsets(entry.distinct + 1, 0);
      for (uint32_t c = 0; c < entry.distinct; ++c) {
        compact.insert(compact.end(), p.rows.begin() + p.offsets[c], p.rows.begin() + fill[c]);
        offsets[c + 1] = static_cast<uint32_t>(compact.size());
      }
      p.rows.swap(compact);
      p.offsets.swap(offsets);
    }
    entry.rows_present = static_cast<uint32_t>(present.size());
    bool high_cardinality = entry.distinct > 1000 && entry.distinct * 4ull > entry.rows_present;
    if (high_cardinality) entry.flags |= kFieldHighCardinality;

    // High-cardinality dictionaries barely compress and are scanned for terms: keep them
    // uncompressed so that queries read them in place.
    AppendSection(EncodeDictionary(sorted_keys[f]), !high_cardinality, &file, &entry.dictionary);
    std::string folded;
    for (std::string_view k : sorted_keys[f]) {
      folded.clear();
      FoldInto(k.substr(1), &folded);
      for (char c : folded) {
        auto b = static_cast<unsigned char>(c);
        entry.byte_set[b >> 6] |= 1ull << (b & 63);
      }
    }
    if (high_cardinality && (fb.flags & kFieldMetadata) == 0)
      AppendCheckedSection(EncodeTermFilter(sorted_keys[f]), &file, &entry.term_filter);
    AppendCheckedSection(EncodePostings(p, entry.distinct), &file, &entry.postings);
    AppendSection(EncodeBitmap(present), false, &file, &entry.presence);
    footer.column_groups.emplace_back();
    WriteColumn(cells[f], rows, entry.code_width, &file, &footer.column_groups.back());
    footer.fields.push_back(entry);

    if ((fb.flags & kFieldMetadata) == 0 && !high_cardinality) {
      for (uint32_t c = 0; c < sorted_keys[f].size(); ++c) {
        std::string_view text = sorted_keys[f][c].substr(1);
        ForEachTerm(text, [&](std::string_view term) {
          auto& v = term_values[std::string(term)];
          if (v.empty() || v.back() != std::make_pair(static_cast<uint32_t>(f), c))
            v.emplace_back(static_cast<uint32_t>(f), c);
        });
      }
    }
    std::vector<std::pair<uint32_t, uint32_t>>().swap(cells[f]);
  }

  // Shapes: a dictionary of shape strings and one code per row (none for verbatim rows).
  {
    std::vector<uint32_t> order = SortLocalIds(shapes_->values.strings());
    std::vector<uint32_t> code(order.size());
    std::vector<std::string_view> keys;
    for (uint32_t c = 0; c < order.size(); ++c) {
      code[order[c]] = c;
      keys.push_back(shapes_->values.Get(order[c]));
    }
    std::vector<std::pair<uint32_t, uint32_t>> shape_cells;
    std::vector<std::vector<uint32_t>> shape_rows(keys.size());
    for (uint32_t r = 0; r < rows; ++r) {
      uint32_t s = shape_ids_[perm[r]];
      if (s == kNoShape) continue;
      shape_cells.emplace_back(r, code[s]);
      shape_rows[code[s]].push_back(r);
    }
    FieldEntry entry;
    entry.name = shapes_->name;
    entry.flags = kFieldShapes;
    entry.distinct = static_cast<uint32_t>(keys.size());
    entry.value_count = shape_cells.size();
    entry.rows_present = static_cast<uint32_t>(shape_cells.size());
    entry.code_width = static_cast<uint8_t>(BitWidth(entry.distinct ? entry.distinct - 1 : 0));
    AppendSection(EncodeDictionary(keys), true, &file, &entry.dictionary);
    footer.column_groups.emplace_back();
    WriteColumn(shape_cells, rows, entry.code_width, &file, &footer.column_groups.back());
    footer.fields.push_back(entry);

    std::vector<std::string_view> shape_keys;
    for (uint32_t c = 0; c < keys.size(); ++c) {
      ShapeKeys(keys[c].substr(1), &shape_keys);
      if (ShapeHasNull(keys[c].substr(1)))
        term_rows["null"].addMany(shape_rows[c].size(), shape_rows[c].data());
      std::unordered_map<std::string, bool> seen;
      for (std::string_view k : shape_keys) {
        ForEachTerm(k, [&](std::string_view term) {
          if (!seen.emplace(std::string(term), true).second) return;
          term_rows[std::string(term)].addMany(shape_rows[c].size(), shape_rows[c].data());
        });
      }
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
      const std::string& raw = verbatim_[perm[r]];
      iw.PutU32(r);
      iw.PutU32(chunk_no);
      iw.PutU32(static_cast<uint32_t>(chunk.size()));
      iw.PutU32(static_cast<uint32_t>(raw.size()));
      chunk.append(raw);
      ForEachTerm(raw, [&](std::string_view term) { term_rows[std::string(term)].add(r); });
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
    std::vector<std::string> terms;
    terms.reserve(term_values.size() + term_rows.size());
    for (auto& [t, _] : term_values) terms.push_back(t);
    for (auto& [t, _] : term_rows)
      if (!term_values.count(t)) terms.push_back(t);
    std::sort(terms.begin(), terms.end());
    Postings tp;
    tp.offsets.reserve(terms.size() + 1);
    tp.rows.reserve(size_t{rows} * 24);
    tp.offsets.push_back(0);
    std::vector<uint32_t> rows_buf;
    std::vector<uint64_t> row_bits;
    for (const std::string& t : terms) {
      rows_buf.clear();
      size_t sources = 0;
      if (auto it = term_values.find(t); it != term_values.end()) {
        for (auto [f, c] : it->second) {
          rows_buf.insert(rows_buf.end(), postings[f].begin(c), postings[f].begin(c) + postings[f].size(c));
          ++sources;
        }
      }
      if (auto it = term_rows.find(t); it != term_rows.end()) {
        // Key and raw-text rows are a bitmap: merge the value rows into it.
        Roaring merged = it->second;
        if (!rows_buf.empty()) merged.addMany(rows_buf.size(), rows_buf.data());
        rows_buf.resize(merged.cardinality());
        merged.toUint32Array(rows_buf.data());
      } else if (sources > 1 && rows_buf.size() > rows / 16) {
        // Many rows: mark them in a bitset and read it back in order.
        row_bits.assign((rows + 63) / 64, 0);
        for (uint32_t r : rows_buf) row_bits[r >> 6] |= 1ull << (r & 63);
        rows_buf.clear();
        for (size_t w = 0; w < row_bits.size(); ++w)
          for (uint64_t bits = row_bits[w]; bits != 0; bits &= bits - 1)
            rows_buf.push_back(static_cast<uint32_t>(w * 64 + static_cast<size_t>(__builtin_ctzll(bits))));
      } else if (sources > 1) {
        std::sort(rows_buf.begin(), rows_buf.end());
        rows_buf.erase(std::unique(rows_buf.begin(), rows_buf.end()), rows_buf.end());
      }
      tp.rows.insert(tp.rows.end(), rows_buf.begin(), rows_buf.end());
      tp.offsets.push_back(static_cast<uint32_t>(tp.rows.size()));
    }
    std::vector<std::string> keyed;
    keyed.reserve(terms.size());
    for (const std::string& t : terms) keyed.push_back(std::string(1, '\0') + t);
    std::vector<std::string_view> keys;
    for (const std::string& k : keyed) keys.push_back(k);
    FieldEntry entry;
    entry.name = "_terms";
    entry.flags = kFieldTerms;
    entry.distinct = static_cast<uint32_t>(terms.size());
    entry.value_count = tp.rows.size();
    // Read in place: a term lookup binary-searches it without decoding it whole.
    AppendSection(EncodeDictionary(keys), false, &file, &entry.dictionary);
    AppendCheckedSection(EncodePostings(tp, entry.distinct), &file, &entry.postings);
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
  if (!s.ok()) return s;
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
