// Matching the search part of a query on one segment: pruning by the time range, then the
// segment's physical plan (planned from the logical plan and the segment's statistics) run
// as bitmaps. Used by every search and by the field profiles. MatchSegment is not
// thread-safe for one segment; MatchSegments spreads segments over the machine's cores.
#pragma once

#include <atomic>
#include <roaring/roaring.hh>
#include <vector>

#include "engine/pipeline/search_limits.h"
#include "engine/search/segment_context.h"
#include "engine/search/segment_planner.h"
#include "query/logical_plan.h"

namespace cairn::engine {

enum class SegmentOutcome { kMatched, kPruned, kError };

struct SegmentMatchResult {
  SegmentOutcome outcome = SegmentOutcome::kPruned;
  Roaring rows;                                 ///< the matched rows (kMatched)
  const std::vector<int64_t>* times = nullptr;  ///< the segment's times, when they were read
  PhysicalNode plan;                            ///< as run, with rows and timings (a search)
  storage::Status status;                       ///< kError: why
};

/// Matches `plan` on `segment`. Reads the segment's times when the range needs them or
/// `need_times` is set.
SegmentMatchResult MatchSegment(SegmentContext& segment, const query::LogicalPlan& plan, bool need_times);

/// MatchSegment on each segment, in parallel on up to two threads when there are several
/// (and `parallel`); the results in the segments' order. Stops early (leaving the rest
/// pruned) once `limits` stop the search.
std::vector<SegmentMatchResult> MatchSegments(const std::vector<SegmentContext*>& segments,
                                              const query::LogicalPlan& plan, const SearchLimits* limits,
                                              bool parallel = true);

}  // namespace cairn::engine
