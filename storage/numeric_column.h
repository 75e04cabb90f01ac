// Numeric columns (docs/storage-format.md, version 5): a field whose values in a segment
// are all integers in canonical decimal form, at most one per row, is stored as the values
// themselves instead of a dictionary with postings. Each group of 4,096 rows is bit-packed
// as offsets from its minimum or as deltas from row to row, whichever is smaller, both
// divided by their common step; a zone section keeps every group's minimum and maximum so
// that a range query skips groups and compares the rest as integers. The time column uses
// the same group encoding. Stateless functions and a read-only view.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/shape.h"
#include "storage/status.h"

namespace cairn::storage {

/// True if `text` is an integer in canonical decimal form (an optional '-', then "0" or
/// digits without a leading zero; not "-0") that fits in int64; sets *value.
bool ParseCanonicalInteger(std::string_view text, int64_t* value);
/// Writes the canonical decimal text of `v` into `buffer` (at least 20 bytes); its length.
size_t FormatInteger(int64_t v, char* buffer);

/// Appends the encoding of `n` (at least 1) values.
void EncodeNumericGroup(const int64_t* values, uint32_t n, std::string* out);
/// Decodes `n` values encoded by EncodeNumericGroup; false if `data` is not such a group.
bool DecodeNumericGroup(std::string_view data, uint32_t n, int64_t* out);

/// One group's smallest and largest value; min > max when no row of the group has one.
struct NumericZone {
  int64_t min;
  int64_t max;
  bool empty() const { return min > max; }
};
constexpr size_t kNumericZonesHeaderBytes = 8;

/// Zone section: value type u8, 7 zero bytes, then per group min i64 and max i64.
void EncodeNumericZones(ValueType type, const std::vector<NumericZone>& zones, std::string* out);

/// A zone section read in place.
class NumericZonesView {
 public:
  /// Checks that `raw` (which must outlive the view) holds `groups` zones.
  static Result<NumericZonesView> Parse(std::string_view raw, uint32_t groups, const std::string& what);
  ValueType type() const { return type_; }
  uint32_t size() const { return groups_; }
  NumericZone zone(uint32_t group) const;

 private:
  std::string_view raw_;
  uint32_t groups_ = 0;
  ValueType type_ = ValueType::kNumber;
};

}  // namespace cairn::storage
