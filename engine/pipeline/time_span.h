// Time spans as bin, timechart and streamstats write them: a count and a unit (`5m`, `1h`,
// `30s`, `2d`, `1w`, `3mon`, long forms such as `minutes` too; no unit is seconds). Months
// are calendar months, the rest fixed seconds. Stateless.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace cairn::engine {

struct TimeSpan {
  int64_t seconds = 0;  ///< the span in seconds (0 for a span of months)
  int64_t months = 0;   ///< the span in calendar months (0 for a span of seconds)
};

/// Reads `5m`, `1h`, `10`, `2mon`, ...; nullopt if it is not a positive span.
std::optional<TimeSpan> ParseTimeSpan(std::string_view text);

/// The start of the bucket of `time_us` for a span of months (months counted from 1970-01).
int64_t MonthBucketStart(int64_t time_us, int64_t months);

}  // namespace cairn::engine
