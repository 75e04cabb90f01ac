// TermIndexBuilder collects the index terms of one segment and the rows each occurs in:
// terms of field values (through the value's rows), of keys (through the rows of each
// event shape) and of kept raw texts (row by row). It then writes the `_terms` pseudo
// field: a dictionary of the sorted terms and their postings. Not thread-safe.
#pragma once

#include <cstdint>
#include <roaring/roaring.hh>
#include <string>
#include <string_view>
#include <vector>

#include "storage/string_interner.h"

namespace cairn::storage {

class TermIndexBuilder {
 public:
  /// The terms of a value held by one row.
  void AddValue(std::string_view text, uint32_t row);
  /// The terms of a value held by `rows` (two or more).
  void AddValue(std::string_view text, Roaring rows);
  /// `term` occurs in every row of `rows`.
  void AddRows(std::string_view term, const Roaring& rows);
  /// `term` occurs in `row`.
  void AddRow(std::string_view term, uint32_t row);

  size_t term_count() const { return terms_.size(); }
  uint64_t row_count() const { return row_count_; }

  /// The dictionary section (terms as string values, sorted) and the postings section.
  void Encode(std::string* dictionary, std::string* postings);

 private:
  // The rows of one value: a single row, or a bitmap in bitmaps_.
  struct ValueRows {
    uint32_t row;
    int32_t bitmap;  // -1 for a single row
  };
  struct Term {
    std::vector<uint32_t> values;     // indexes into values_
    uint32_t first_row = UINT32_MAX;  // the first row AddRow gave (most terms of raw texts have one)
    std::vector<uint32_t> more_rows;  // the others, in the order given
    Roaring rows;                     // rows from keys (AddRows)
  };
  Term& Get(std::string_view term);
  void AddValueTerms(std::string_view text);

  StringInterner names_;  // term texts, ids into terms_
  std::vector<Term> terms_;
  std::vector<ValueRows> values_;
  std::vector<Roaring> bitmaps_;
  uint64_t row_count_ = 0;
};

}  // namespace cairn::storage
