// SegmentContext wraps one open segment with the lookups search needs beyond the raw
// reader: field-name resolution (`a.b` also finds `a{}.b`, as Sigma rules write paths),
// and the list of high-cardinality fields that term search scans. One context
// per segment, used by one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "storage/segment_reader.h"

namespace cairn::engine {

class SegmentContext {
 public:
  explicit SegmentContext(std::unique_ptr<storage::SegmentReader> reader) : reader_(std::move(reader)) {}

  storage::SegmentReader& reader() { return *reader_; }
  /// Indexes of the fields that `name` denotes in this segment (several when both `a.b`
  /// and `a{}.b` exist and the query wrote `a.b`).
  const std::vector<int>& ResolveField(const std::string& name);
  /// Fields whose values are not in the term index (scanned for terms instead).
  const std::vector<int>& HighCardinalityFields();

 private:
  std::unique_ptr<storage::SegmentReader> reader_;
  std::unordered_map<std::string, std::vector<int>> resolved_;
  std::unordered_map<std::string, std::vector<int>> by_stripped_name_;
  bool stripped_built_ = false;
  std::vector<int> high_card_;
  bool high_card_built_ = false;
};

/// `name` without any "{}" (array markers).
std::string StripArrayMarkers(const std::string& name);

}  // namespace cairn::engine
