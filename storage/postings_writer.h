// PostingsWriter encodes one postings section of a segment: for each dictionary code, in
// code order, the rows that hold it, as a single inline row or a portable roaring bitmap.
// Layout (docs/storage-format.md): u32 n, u32 refs[n], u32 m, u32 bitmap offsets[m+1],
// bitmap bytes. Not thread-safe.
#pragma once

#include <cstdint>
#include <roaring/roaring.hh>
#include <string>

namespace cairn::storage {

class PostingsWriter {
 public:
  PostingsWriter();

  /// The next code is held by one row.
  void AddRow(uint32_t row);
  /// The next code is held by the rows of `rows` (two or more; run-optimized by the caller).
  void AddBitmap(const Roaring& rows);
  /// The next code's rows: one is stored inline, more as a bitmap.
  void AddRows(const Roaring& rows);
  /// The same for `n` ascending, distinct rows. A few rows are written as the bitmap's
  /// array containers directly, without building one (most values of a field have few).
  void AddSortedRows(const uint32_t* rows, size_t n);

  /// Appends the section to `out` and clears the writer.
  void AppendTo(std::string* out);

 private:
  void EndBitmap();  // the bitmap just appended to bitmaps_ is the next code's
  std::string refs_, offsets_, bitmaps_;
  uint32_t codes_ = 0, bitmap_count_ = 0;
};

}  // namespace cairn::storage
