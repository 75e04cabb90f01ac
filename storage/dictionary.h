// Dictionary: the sorted distinct values of one field in one segment, decoded from its
// section. Entries are ordered by (case-folded text, text, type), so a case-insensitive
// equality or a prefix is a contiguous range of codes. Immutable once built; safe to
// read from several threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/shape.h"
#include "storage/status.h"

namespace cairn::storage {

class Dictionary {
 public:
  /// Parses a decoded dictionary section; `what` names it in errors.
  static Result<Dictionary> Parse(std::string raw, const std::string& what);

  uint32_t size() const { return static_cast<uint32_t>(types_.size()); }
  ValueType type(uint32_t code) const { return static_cast<ValueType>(types_[code]); }
  std::string_view text(uint32_t code) const {
    return std::string_view(data_).substr(offsets_[code], offsets_[code + 1] - offsets_[code]);
  }
  /// Codes whose folded text equals `folded` (which must already be folded): [first, second).
  std::pair<uint32_t, uint32_t> EqualRange(std::string_view folded) const;
  /// Codes whose folded text starts with `folded_prefix`.
  std::pair<uint32_t, uint32_t> PrefixRange(std::string_view folded_prefix) const;
  /// All text bytes, entries back to back (for substring scans); offset(code) locates one.
  std::string_view all_text() const;
  uint32_t offset(uint32_t code) const { return offsets_[code]; }
  /// Code whose text span contains byte position `pos` of all_text().
  uint32_t CodeAt(uint32_t pos) const;

 private:
  std::string data_;  // the raw section; text starts at text_base_
  std::vector<uint8_t> types_;
  std::vector<uint32_t> offsets_;  // relative to text start, size()+1 entries
  size_t text_base_ = 0;
};

}  // namespace cairn::storage
