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

 private:
  Status Init(std::string_view raw, const std::string& what);

  std::string owned_;               // the section when decoded from LZ4; empty when mapped
  uint32_t size_ = 0;
  const uint8_t* types_ = nullptr;  // size_ bytes
  const char* offsets_ = nullptr;   // size_ + 1 little-endian u32, relative to text_
  const char* text_ = nullptr;
  size_t text_size_ = 0;
};

}  // namespace cairn::storage
