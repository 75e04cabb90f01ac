// SegmentContext wraps one open segment with what search keeps of it between queries
// beyond the raw reader: the high-cardinality fields and numeric columns that term search
// scans. One context per segment, used by one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "storage/segment_reader.h"

namespace cairn::engine {

class SegmentContext {
 public:
  explicit SegmentContext(std::unique_ptr<storage::SegmentReader> reader) : reader_(std::move(reader)) {}

  storage::SegmentReader& reader() { return *reader_; }
  /// Fields whose values are not in the term index (scanned for terms instead): high
  /// cardinality ones, and every field of a segment of few fields.
  const std::vector<int>& HighCardinalityFields();
  /// Numeric columns (not in the term index either: terms compare with their values).
  const std::vector<int>& NumericFields();

 private:
  std::unique_ptr<storage::SegmentReader> reader_;
  void ListScannedFields();

  std::vector<int> high_card_, numeric_;
  bool high_card_built_ = false;
};

}  // namespace cairn::engine
