// ColumnCursor: reads one field's dictionary codes row by row from a segment, decoding one
// column group at a time (rows must come in ascending order for the cache to pay off).
// Used by the commands that aggregate straight from columns (stats, timechart). Not
// thread-safe. NumericCursor does the same for a numeric column's values.
#pragma once

#include <cstdint>

#include "storage/segment_reader.h"
#include "storage/status.h"

namespace cairn::engine {

struct ColumnCursor {
  storage::SegmentReader* reader = nullptr;
  int field = -1;
  storage::SegmentReader::ColumnGroupView view;
  bool loaded = false;

  /// The codes of `row` (none when the row lacks the field; several for a multivalue).
  storage::Status Codes(uint32_t row, const uint32_t** begin, const uint32_t** end) {
    if (!loaded || row < view.first_row || row >= view.first_row + view.rows) {
      auto g = reader->GetColumnGroup(field, row / storage::kColumnGroupRows);
      if (!g.ok()) return g.status();
      view = g.value();
      loaded = true;
    }
    uint32_t i = row - view.first_row;
    *begin = view.codes + view.Begin(i);
    *end = view.codes + view.End(i);
    return storage::Status::OK();
  }
};

/// NumericCursor: reads one numeric column's values row by row (ascending rows), one
/// group at a time, without the dictionary a ColumnCursor would need built.
struct NumericCursor {
  storage::SegmentReader* reader = nullptr;
  int field = -1;
  const Roaring* presence = nullptr;
  const int64_t* values = nullptr;
  uint32_t group = UINT32_MAX;

  /// Sets *present, and *value when the row holds the field.
  storage::Status Value(uint32_t row, bool* present, int64_t* value) {
    if (presence == nullptr) {
      auto p = reader->GetPresence(field);
      if (!p.ok()) return p.status();
      presence = p.value();
    }
    *present = presence->contains(row);
    if (!*present) return storage::Status::OK();
    if (row / storage::kColumnGroupRows != group) {
      auto g = reader->GetNumericGroup(field, row / storage::kColumnGroupRows);
      if (!g.ok()) return g.status();
      values = g.value();
      group = row / storage::kColumnGroupRows;
    }
    *value = values[row % storage::kColumnGroupRows];
    return storage::Status::OK();
  }
};

}  // namespace cairn::engine
