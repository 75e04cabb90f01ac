#include "engine/search/result_rows.h"

#include <algorithm>

#include "engine/pipeline/materialize.h"

namespace cairn::engine {

namespace {
FieldValues ToFieldValues(std::string name, FieldCell cell) {
  FieldValues fv;
  fv.name = std::move(name);
  fv.kind = cell.kind;
  fv.values = std::move(static_cast<std::vector<std::string>&>(cell));
  return fv;
}

}  // namespace

// Turns the pipeline's records into the result: a table, or events with fields. The one
// place where records become public values.
void ToSearchOutput(std::vector<Record>& records, const std::vector<std::string>& declared,
                    const SearchOptions& options, SearchResult* result) {
  size_t keep = static_cast<size_t>(std::min<uint64_t>(options.limit, records.size()));
  if (result->is_table) {
    // Columns in the order the rows hold them: a field first seen in a later row goes right
    // after the field that precedes it there (so `table a b c` keeps its order even when
    // the first row lacks b).
    std::vector<std::string>& cols = result->table.columns;
    // Declared columns that some row has, in their order; then the rest.
    for (const std::string& c : declared) {
      bool present = false;
      for (size_t i = 0; i < keep && !present; ++i) present = records[i].Get(c) != nullptr;
      if (present && std::find(cols.begin(), cols.end(), c) == cols.end()) cols.push_back(c);
    }
    for (size_t i = 0; i < keep; ++i) {
      size_t insert_at = 0;
      for (const auto& [name, _] : records[i].fields()) {
        auto it = std::find(cols.begin(), cols.end(), name);
        if (it == cols.end()) it = cols.insert(cols.begin() + static_cast<long>(insert_at), name);
        insert_at = static_cast<size_t>(it - cols.begin()) + 1;
      }
    }
    for (size_t i = 0; i < keep; ++i) {
      std::vector<FieldValues> row;
      for (const std::string& c : cols) {
        const FieldCell* cell = records[i].Get(c);
        row.push_back(ToFieldValues(c, cell ? *cell : FieldCell()));
      }
      result->table.rows.push_back(std::move(row));
    }
    return;
  }
  for (size_t i = 0; i < keep; ++i) {
    Event ev;
    ev.fields.reserve(records[i].fields().size());
    for (auto& [name, cell] : records[i].mutable_fields()) {
      if (name == "_time") {
        ev.time_us = EpochSecondsToMicros(cell.empty() ? "" : cell[0]).value_or(0);
      } else if (name == "_raw") {
        if (!cell.empty()) ev.raw = std::move(cell[0]);
      } else if (options.want_fields) {
        ev.fields.push_back(ToFieldValues(std::move(name), std::move(cell)));
      }
    }
    result->events.push_back(std::move(ev));
  }
}

}  // namespace cairn::engine
