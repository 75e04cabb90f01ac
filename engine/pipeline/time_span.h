// Time spans as bin, timechart and streamstats write them: a count and a unit (`5m`, `1h`,
// `30s`, `2d`, `1w`, `3mon`, long forms such as `minutes` too; no unit is seconds). Months
// are calendar months, the rest fixed seconds. TimeBuckets puts times into the buckets of a
// span, as bin and timechart do: floor(t / span) * span since the epoch (UTC), moved by an
// alignment offset. Stateless functions; plain value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
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

/// The smallest of Splunk's standard spans (1s, 5s, 10s, 30s, 1m, 5m, 10m, 30m, 1h, 3h, 12h,
/// 1d, 1w, 30d, 365d) at least `minspan_seconds` giving at most `bins` buckets from `lo_us`
/// to `hi_us`.
TimeSpan AutoTimeSpan(int64_t lo_us, int64_t hi_us, uint64_t bins, double minspan_seconds = 0);

struct TimeBuckets {
  TimeSpan span;
  int64_t offset_us = 0;  ///< aligntime: bucket starts are offset_us past a multiple of the span

  /// Sets offset_us so that buckets start at `align_us`.
  void AlignTo(int64_t align_us);
  /// aligntime= as bin and timechart take it: "earliest" or "latest" (the search's earliest or
  /// latest time, else the rows' first or last: `lo_us`/`hi_us`) or a time modifier resolved against `now_us`; "" or an unreadable
  /// value leaves the buckets as they are.
  void AlignTo(const std::string& aligntime, std::optional<int64_t> lo_us, std::optional<int64_t> hi_us, int64_t now_us);
  /// The start of the bucket holding `time_us`.
  int64_t Start(int64_t time_us) const;
  /// The start of the bucket after the one starting at `start_us`.
  int64_t Next(int64_t start_us) const;
};

}  // namespace cairn::engine
