// The segment file's constants and footer directory: what the writer records about each
// field's sections and what the reader needs to find them. The byte layout is described
// in docs/storage-format.md; bump kSegmentVersion with any change to it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "storage/status.h"

namespace cairn::storage {

constexpr char kSegmentMagic[8] = {'C', 'A', 'I', 'R', 'N', 'S', 'E', 'G'};
constexpr char kSegmentEndMagic[8] = {'C', 'A', 'I', 'R', 'N', 'E', 'N', 'D'};
constexpr uint32_t kSegmentVersion = 2;
constexpr size_t kSegmentHeaderSize = 12;
constexpr size_t kSegmentTrailerSize = 24;  // footer offset u64, size u32, version u32, magic
constexpr uint32_t kColumnGroupRows = 4096;
constexpr uint32_t kInlineRowFlag = 0x80000000u;

/// Bits of FieldEntry::flags. Serialized.
enum FieldFlag : uint8_t {
  kFieldMetadata = 1,         ///< source/sourcetype/index: not part of `_raw`, no terms
  kFieldHighCardinality = 2,  ///< values not in the term index: terms scan its dictionary
  kFieldShapes = 4,           ///< the event-shape pseudo field
  kFieldTerms = 8,            ///< the term index pseudo field (no column)
};

/// Where a section lives in the segment file.
struct Extent {
  uint64_t offset = 0;
  uint64_t size = 0;
};

struct FieldEntry {
  std::string name;
  uint8_t flags = 0;
  uint32_t distinct = 0;       ///< dictionary entries
  uint32_t rows_present = 0;   ///< events holding at least one value
  uint64_t value_count = 0;    ///< values, counting each multivalue element
  uint8_t code_width = 1;      ///< bits per code in column groups
  /// Which bytes occur in the folded dictionary text (bit b of word b/64): a term with a
  /// byte outside it cannot be in this field, so term search skips the field.
  std::array<uint64_t, 4> byte_set{};
  Extent dictionary;
  Extent postings;
  Extent presence;
  std::vector<Extent> column_groups;
};

struct SegmentFooter {
  uint32_t rows = 0;
  int64_t min_time_us = 0;
  int64_t max_time_us = 0;
  Extent times;
  Extent verbatim_index;
  std::vector<Extent> verbatim_chunks;
  std::vector<FieldEntry> fields;

  void EncodeTo(std::string* out) const;
  static Status DecodeFrom(std::string_view data, const std::string& what, SegmentFooter* footer);
};

}  // namespace cairn::storage
