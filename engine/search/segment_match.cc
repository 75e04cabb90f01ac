#include "engine/search/segment_match.h"

#include <algorithm>

#include "engine/search/segment_evaluator.h"

namespace cairn::engine {

SegmentMatchResult MatchSegment(SegmentContext& seg, const query::LogicalPlan& plan, bool need_times) {
  SegmentMatchResult result;
  const query::TimeRange& range = plan.range;
  const storage::FooterView& footer = seg.reader().footer();
  if ((range.earliest_us && footer.max_time_us() < *range.earliest_us) ||
      (range.latest_us && footer.min_time_us() >= *range.latest_us) || footer.rows() == 0)
    return result;
  uint32_t lo = 0, hi = footer.rows();
  if (need_times || range.earliest_us || range.latest_us) {
    auto t = seg.reader().GetTimes();
    if (!t.ok()) {
      result.outcome = SegmentOutcome::kError;
      result.status = t.status();
      return result;
    }
    result.times = t.value();
    const std::vector<int64_t>& times = *result.times;
    if (range.earliest_us)
      lo = static_cast<uint32_t>(std::lower_bound(times.begin(), times.end(), *range.earliest_us) - times.begin());
    if (range.latest_us)
      hi = static_cast<uint32_t>(std::lower_bound(times.begin(), times.end(), *range.latest_us) - times.begin());
  }
  Roaring universe;
  if (hi > lo) universe.addRange(lo, hi);
  result.outcome = SegmentOutcome::kMatched;
  if (plan.search == nullptr) {
    result.rows = std::move(universe);
    return result;
  }
  result.plan = PlanSegment(*plan.search, seg);
  SegmentEvaluator eval(&seg, universe);
  if (storage::Status st = eval.Eval(&result.plan, &result.rows); !st.ok()) {
    result.outcome = SegmentOutcome::kError;
    result.status = st;
  }
  return result;
}

}  // namespace cairn::engine
