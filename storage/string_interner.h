// StringInterner maps tagged byte strings to dense ids 0, 1, 2, ... in insertion order, storing
// each distinct string once in an arena. Open addressing with linear probing; views it
// returns stay valid until Clear(). The ingest hot path: no allocation per lookup.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace cairn::storage {

class StringInterner {
 public:
  StringInterner();
  /// Id of the string `tag` followed by `text` (a type byte and a value), adding it if new.
  uint32_t Intern(char tag, std::string_view text);
  /// A new id for `tag` + `text`, without looking it up: for values that are nearly all
  /// new. Intern() does not find strings added this way.
  uint32_t Append(char tag, std::string_view text);
  std::string_view Get(uint32_t id) const { return strings_[id]; }
  uint32_t size() const { return static_cast<uint32_t>(strings_.size()); }
  const std::vector<std::string_view>& strings() const { return strings_; }
  size_t arena_bytes() const { return arena_bytes_; }
  void Clear();

 private:
  std::string_view Store(char tag, std::string_view text);
  void Grow();

  struct Slot {
    uint32_t hash = 0;
    uint32_t id = UINT32_MAX;
  };
  std::vector<Slot> slots_;
  std::vector<std::string_view> strings_;
  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t chunk_used_ = 0, chunk_size_ = 0, arena_bytes_ = 0;
};

/// A fast 64-bit hash of bytes for in-memory tables (not cryptographic, not stored).
uint64_t HashBytes(const char* p, size_t n, uint64_t seed = 0);

}  // namespace cairn::storage
