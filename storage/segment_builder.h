// SegmentBuilder collects flattened events in memory, then writes them as one immutable
// segment: rows sorted by time, a sorted dictionary, postings, presence bitmap and
// bit-packed column per field, a term index, event shapes and the few raw texts the shape
// rebuild cannot reproduce. Memory is bounded by the events of one segment.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/shape.h"
#include "storage/status.h"
#include "storage/string_interner.h"

namespace cairn::storage {

/// Text logs (VPC flow, CloudFront, ALB) have few fields: scanning each field's dictionary for
/// a term costs little there, and keeping values out of the term index saves its postings.
constexpr size_t kDefaultScannedTermsMaxFields = 64;

struct FieldValue {
  uint32_t field;  ///< from SegmentBuilder::FieldId
  ValueType type;
  std::string_view text;
};

struct SegmentWriteStats {
  uint32_t rows = 0;
  uint32_t verbatim_rows = 0;
  uint64_t bytes = 0;
  int64_t min_time_us = 0;
  int64_t max_time_us = 0;
};

class SegmentBuilder {
 public:
  SegmentBuilder();
  ~SegmentBuilder();

  /// Id of a field name; `metadata` marks fields that are not part of `_raw`.
  uint32_t FieldId(std::string_view name, bool metadata = false);
  /// Changes whenever field ids are forgotten (after Finish): ids kept by a caller are
  /// good while it stays the same.
  uint64_t generation() const { return generation_; }
  /// The id of a field name already in use, else UINT32_MAX (no field is made).
  uint32_t FindFieldId(std::string_view name) const {
    auto it = field_ids_.find(name);
    return it == field_ids_.end() ? UINT32_MAX : it->second;
  }
  /// The name of a field id.
  std::string_view FieldName(uint32_t id) const;

  /// Adds one event. `shape` is empty when `verbatim_raw` holds the text to keep as is.
  void Add(int64_t time_us, std::string_view shape, const std::vector<FieldValue>& values,
           std::string_view verbatim_raw);

  /// In a segment of at most `n` fields (default kDefaultScannedTermsMaxFields), field
  /// values stay out of the term index and term search scans each field's dictionary.
  void set_scanned_terms_max_fields(size_t n) { scanned_terms_max_fields_ = n; }

  size_t rows() const { return times_.size(); }
  /// Distinct field names so far.
  size_t field_count() const { return fields_.size(); }
  /// Approximate bytes held, to bound memory.
  size_t memory_bytes() const { return memory_bytes_; }

  /// Sorts, writes the segment to `path` (via a temporary file and rename) and resets.
  Status Finish(const std::string& path, SegmentWriteStats* stats);

 private:
  struct FieldBuild;
  uint32_t Intern(FieldBuild* field, ValueType type, std::string_view text);
  void Reset();

  std::vector<std::unique_ptr<FieldBuild>> fields_;
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return HashBytes(s.data(), s.size()); }
  };
  std::unordered_map<std::string, uint32_t, NameHash, std::equal_to<>> field_ids_;
  std::unique_ptr<FieldBuild> shapes_;
  std::vector<int64_t> times_;
  std::vector<uint32_t> shape_ids_;
  std::vector<uint32_t> value_begin_;
  std::vector<std::pair<uint32_t, uint32_t>> values_;  // (field, local value id)
  // Raw texts of verbatim rows, one after another, and where each is (in row order).
  struct VerbatimSpan {
    uint32_t row = 0, size = 0;
    uint64_t offset = 0;
  };
  std::vector<VerbatimSpan> verbatim_;
  std::string verbatim_text_;
  std::string file_;  // the segment being written
  size_t scanned_terms_max_fields_ = kDefaultScannedTermsMaxFields;
  size_t memory_bytes_ = 0;
  uint64_t generation_ = 0;
};

}  // namespace cairn::storage
