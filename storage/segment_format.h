// The segment file's constants and footer directory: what the writer records about each
// field's sections (SegmentFooter) and the reader's in-place view of it (FooterView). The
// byte layout is described in docs/storage-format.md; bump kSegmentVersion with any change
// to it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/status.h"

namespace cairn::storage {

constexpr char kSegmentMagic[8] = {'C', 'A', 'I', 'R', 'N', 'S', 'E', 'G'};
constexpr char kSegmentEndMagic[8] = {'C', 'A', 'I', 'R', 'N', 'E', 'N', 'D'};
constexpr uint32_t kSegmentVersion = 5;
// Version 5 added numeric columns and the grouped time column; version 4 the text-line
// shape ops. Versions 3 and 4 are read as they are.
constexpr uint32_t kOldestReadableSegmentVersion = 3;
constexpr size_t kSegmentHeaderSize = 12;
constexpr size_t kSegmentTrailerSize = 24;  // footer offset u64, size u32, version u32, magic
constexpr uint32_t kColumnGroupRows = 4096;
constexpr uint32_t kInlineRowFlag = 0x80000000u;
constexpr uint32_t kNoField = 0xffffffffu;

/// The first byte of a column group (version 5): how its rows' codes are laid out.
enum ColumnGroupLayout : uint8_t {
  kGroupCounts = 0,       ///< a varint count of codes per row, then the codes
  kGroupOnePerRow = 1,    ///< one code per row
  kGroupPresentRows = 2,  ///< one code per row of the presence bitmap, none for the others
};

/// Bits of FieldEntry::flags. Serialized.
enum FieldFlag : uint8_t {
  kFieldMetadata = 1,         ///< source/sourcetype/index: not part of `_raw`, no terms
  kFieldHighCardinality = 2,  ///< values not in the term index: terms scan its dictionary
  kFieldShapes = 4,           ///< the event-shape pseudo field
  kFieldTerms = 8,            ///< the term index pseudo field (no column)
  kFieldNumeric = 16,         ///< a numeric column: values and zones, no dictionary or postings
  kFieldTermsScanned = 32,    ///< values not in the term index (a segment of few fields): scanned
};

/// Where a section lives in the segment file.
struct Extent {
  uint64_t offset = 0;
  uint64_t size = 0;
};

/// Rows a segment may hold: a reader takes a footer claiming more as damage, and ingest
/// writes no more (IngestOptions::segment_rows is held to it).
constexpr uint32_t kMaxSegmentRows = 1u << 24;

/// One field's entry in the footer. `name` points into the footer (reader) or into the
/// builder's own strings (writer).

struct FieldEntry {
  std::string_view name;
  uint8_t flags = 0;
  uint8_t code_width = 1;     ///< bits per code in column groups
  uint32_t distinct = 0;      ///< dictionary entries
  uint32_t rows_present = 0;  ///< events holding at least one value
  uint64_t value_count = 0;   ///< values, counting each multivalue element
  /// Which bytes occur in the folded dictionary text (bit b of word b/64): a term with a
  /// byte outside it cannot be in this field, so term search skips the field.
  std::array<uint64_t, 4> byte_set{};
  Extent dictionary;  ///< numeric columns: the zone section
  Extent postings;
  Extent presence;
  Extent term_filter;        ///< high-cardinality fields: a filter of the terms of the values
  uint32_t first_group = 0;  ///< index of the first column group in the footer's group table
  uint32_t group_count = 0;
};

/// The footer as the builder writes it.
struct SegmentFooter {
  uint32_t rows = 0;
  int64_t min_time_us = 0;
  int64_t max_time_us = 0;
  Extent times;
  Extent verbatim_index;
  std::vector<Extent> verbatim_chunks;
  std::vector<FieldEntry> fields;
  std::vector<std::vector<Extent>> column_groups;  ///< per field, parallel to `fields`

  /// Writes the footer with the fields sorted by name (FooterView::FindField's order).
  void EncodeTo(std::string* out) const;
};

/// The footer read in place from the segment's map: fixed-width field records decoded on
/// demand, so that opening a segment allocates nothing per field.
class FooterView {
 public:
  /// Checks the layout of `data` (which must outlive the view).
  static Result<FooterView> Parse(std::string_view data, const std::string& what);

  uint32_t rows() const { return rows_; }
  int64_t min_time_us() const { return min_time_us_; }
  int64_t max_time_us() const { return max_time_us_; }
  const Extent& times() const { return times_; }
  const Extent& verbatim_index() const { return verbatim_index_; }
  uint32_t verbatim_chunk_count() const { return chunk_count_; }
  Extent verbatim_chunk(uint32_t i) const;
  uint32_t field_count() const { return field_count_; }
  FieldEntry field(uint32_t i) const;
  std::string_view field_name(uint32_t i) const;
  uint8_t field_flags(uint32_t i) const;
  Extent column_group(const FieldEntry& f, uint32_t g) const;
  /// Index of the field named `name` (binary search), or -1.
  int FindField(std::string_view name) const;
  int terms_field() const { return terms_field_; }
  int shapes_field() const { return shapes_field_; }

 private:
  uint32_t rows_ = 0, chunk_count_ = 0, field_count_ = 0, group_count_ = 0;
  int64_t min_time_us_ = 0, max_time_us_ = 0;
  Extent times_, verbatim_index_;
  int terms_field_ = -1, shapes_field_ = -1;
  const char* chunks_ = nullptr;
  const char* records_ = nullptr;
  const char* groups_ = nullptr;
  std::string_view names_;
};

}  // namespace cairn::storage
