// The last step of a search: the pipeline's records become the public result, a table of
// FieldValues (a transforming pipeline) or events with their fields, in the one value model
// of include/cairn/value.h. Stateless.
#pragma once

#include <string>
#include <vector>

#include "cairn/search.h"
#include "engine/pipeline/record.h"

namespace cairn::engine {

/// Fills `result->table` (when `result->is_table`) or `result->events` with the first
/// `options.limit` records; `declared` is the column order the commands declared.
void ToSearchOutput(std::vector<Record>& records, const std::vector<std::string>& declared,
                    const SearchOptions& options, SearchResult* result);

}  // namespace cairn::engine
