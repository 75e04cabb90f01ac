// ColumnCursor: reads one field's dictionary codes row by row from a segment, decoding one
// column group at a time (rows must come in ascending order for the cache to pay off).
// Used by the commands that aggregate straight from columns (stats, timechart). Not
// thread-safe.
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

}  // namespace cairn::engine
