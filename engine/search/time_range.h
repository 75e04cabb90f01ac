// The time range of a search: earliest= and latest= taken out of the query's top-level
// AND (they may not sit under OR or NOT), falling back to --earliest/--latest, resolved
// against "now". Latest is exclusive, as in Splunk. Stateless functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "query/ast.h"
#include "storage/status.h"

namespace cairn::engine {

using storage::Status;

struct TimeRange {
  std::optional<int64_t> earliest_us;
  std::optional<int64_t> latest_us;
};

/// The range of --earliest and --latest; kInvalidArgument naming the option on a bad time.
Status ResolveOptionRange(const std::optional<std::string>& earliest, const std::optional<std::string>& latest,
                          int64_t now_us, TimeRange* range);

/// Removes time terms from `ast` and sets the bounds they give in `range` (over those of the
/// options); a diagnostic on a bad time.
std::optional<query::Diagnostic> ExtractTimeRange(query::QueryAst* ast, int64_t now_us, TimeRange* range);

/// "all time", or "2025-12-01T00:00:00Z to 2025-12-02T00:00:00Z".
std::string DescribeRange(const TimeRange& range);

}  // namespace cairn::engine
