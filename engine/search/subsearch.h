// Subsearches used as filters: where they are in a query's text, and the search text their
// result rows stand for, as Splunk's implicit `format` writes it:
//   ( ( ip="10.0.0.1" AND user="bob" ) OR ( ip="10.0.0.2" ) )
// Fields starting with `_` are left out; a field named `search` or `query` is inserted as
// search text; no rows is a filter that matches nothing. The subsearches of append, join,
// appendcols and union are left to those commands. Stateless.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/pipeline/record.h"

namespace cairn::engine {

/// Rows of a filter subsearch that are used (Splunk's subsearch `maxout`).
inline constexpr uint64_t kFilterSubsearchMaxRows = 10000;
/// Rows of the subsearch of append, appendcols, join and union (their `maxout`).
inline constexpr uint64_t kCommandSubsearchMaxRows = 50000;
/// Subsearches inside subsearches stop here.
inline constexpr int kMaxSubsearchDepth = 10;

struct BracketSpan {
  uint32_t begin = 0, end = 0;  ///< [begin, end) includes both brackets
};

/// The top-level `[...]` of `text` (outside quotes) that stand in the search part or in a
/// `| search` command, in order. `unbalanced` is set to the offset of a `[` without its `]`.
std::vector<BracketSpan> FindFilterSubsearches(const std::string& text, int64_t* unbalanced);

/// The search text for `rows`.
std::string FormatSubsearchFilter(const std::vector<Record>& rows);

}  // namespace cairn::engine
