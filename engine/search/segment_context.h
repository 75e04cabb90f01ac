// SegmentContext wraps one open segment with what search keeps of it between queries
// beyond the raw reader: the list of high-cardinality fields that term search scans. One
// context per segment, used by one thread at a time.
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
  /// Fields whose values are not in the term index (scanned for terms instead).
  const std::vector<int>& HighCardinalityFields();

 private:
  std::unique_ptr<storage::SegmentReader> reader_;
  std::vector<int> high_card_;
  bool high_card_built_ = false;
};

}  // namespace cairn::engine
