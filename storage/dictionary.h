// Dictionary: the sorted distinct values of one field in one segment, decoded from its
// section. Entries are ordered by (case-folded text, text, type), so a case-insensitive
// equality or a prefix is a contiguous range of codes. Immutable once built; safe to
// read from several threads.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/shape.h"
#include "storage/status.h"

namespace cairn::storage {

class Dictionary {
 public:
  /// Parses a decoded dictionary section it takes ownership of; `what` names it in errors.
  static Result<Dictionary> Parse(std::string raw, const std::string& what);
  /// Parses a section read in place (an uncompressed block in the segment's map), which
  /// must outlive the dictionary.
  static Result<Dictionary> ParseView(std::string_view raw, const std::string& what);

  Dictionary() = default;
  Dictionary(Dictionary&& other) noexcept { *this = std::move(other); }
  Dictionary& operator=(Dictionary&& other) noexcept;

  uint32_t size() const { return size_; }
  ValueType type(uint32_t code) const { return static_cast<ValueType>(types_[code]); }
  std::string_view text(uint32_t code) const {
    uint32_t b = offset(code);
    return std::string_view(text_ + b, offset(code + 1) - b);
  }
  /// Codes whose folded text equals `folded` (which must already be folded): [first, second).
  std::pair<uint32_t, uint32_t> EqualRange(std::string_view folded) const;
  /// Codes whose folded text starts with `folded_prefix`.
  std::pair<uint32_t, uint32_t> PrefixRange(std::string_view folded_prefix) const;
  /// All text bytes, entries back to back (for substring scans); offset(code) locates one.
  std::string_view all_text() const;
  uint32_t offset(uint32_t code) const {
    uint32_t v;
    std::memcpy(&v, offsets_ + static_cast<size_t>(code) * 4, 4);
    return v;
  }
  /// Code whose text span contains byte position `pos` of all_text().
  uint32_t CodeAt(uint32_t pos) const;

  /// The numeric index: the entries whose whole text is a number (ParseNumber), by
  /// ascending value. False for a dictionary written without one.
  bool has_numeric_index() const { return has_numeric_index_; }
  uint32_t numeric_count() const { return numeric_count_; }
  double numeric_value(uint32_t i) const {
    double v;
    std::memcpy(&v, numbers_ + static_cast<size_t>(i) * 8, 8);
    return v;
  }
  uint32_t numeric_code(uint32_t i) const {
    uint32_t c;
    std::memcpy(&c, numeric_codes_ + static_cast<size_t>(i) * 4, 4);
    return c;
  }
  /// Positions [first, second) in the numeric index of the values v with `lo` below v
  /// (or equal when `lo_inclusive`) and v below `hi` (or equal when `hi_inclusive`).
  std::pair<uint32_t, uint32_t> NumericRange(double lo, bool lo_inclusive, double hi, bool hi_inclusive) const;

 private:
  Status Init(std::string_view raw, const std::string& what);

  std::string owned_;               // the section when decoded from LZ4; empty when mapped
  uint32_t size_ = 0;
  const uint8_t* types_ = nullptr;  // size_ bytes
  const char* offsets_ = nullptr;   // size_ + 1 little-endian u32, relative to text_
  const char* text_ = nullptr;
  size_t text_size_ = 0;
  bool has_numeric_index_ = false;
  uint32_t numeric_count_ = 0;
  const char* numbers_ = nullptr;        // numeric_count_ little-endian f64, ascending
  const char* numeric_codes_ = nullptr;  // numeric_count_ u32: the code of each
};

}  // namespace cairn::storage
