#include "engine/pipeline/time_span.h"

#include <cctype>
#include <iterator>
#include <string>

#include "query/civil_time.h"
#include "query/time_modifier.h"

namespace cairn::engine {

std::optional<TimeSpan> ParseTimeSpan(std::string_view text) {
  size_t i = 0;
  int64_t n = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    n = n * 10 + (text[i] - '0');
    if (n > 1000000000) return std::nullopt;
    ++i;
  }
  if (i == 0 || n <= 0) return std::nullopt;
  std::string unit(text.substr(i));
  for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  TimeSpan span;
  auto is = [&](std::initializer_list<const char*> names) {
    for (const char* u : names)
      if (unit == u) return true;
    return false;
  };
  if (is({"", "s", "sec", "secs", "second", "seconds"})) span.seconds = n;
  else if (is({"m", "min", "mins", "minute", "minutes"})) span.seconds = n * 60;
  else if (is({"h", "hr", "hrs", "hour", "hours"})) span.seconds = n * 3600;
  else if (is({"d", "day", "days"})) span.seconds = n * 86400;
  else if (is({"w", "week", "weeks"})) span.seconds = n * 7 * 86400;
  else if (is({"mon", "month", "months"})) span.months = n;
  else return std::nullopt;
  return span;
}

int64_t MonthBucketStart(int64_t time_us, int64_t months) {
  int64_t secs = time_us >= 0 ? time_us / 1000000 : -((-time_us + 999999) / 1000000);
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  query::CivilDate d = query::CivilFromDays(days);
  int64_t index = (static_cast<int64_t>(d.year) - 1970) * 12 + (d.month - 1);
  int64_t bucket = index >= 0 ? index / months * months : -((-index + months - 1) / months) * months;
  int64_t year = 1970 + (bucket >= 0 ? bucket / 12 : -((-bucket + 11) / 12));
  int64_t month = bucket - (year - 1970) * 12 + 1;
  return query::DaysFromCivil(static_cast<int>(year), static_cast<unsigned>(month), 1) * 86400 * 1000000;
}

namespace {
// Splunk's timechart steps, in seconds.
constexpr int64_t kAutoTimeSpans[] = {1, 5, 10, 30, 60, 300, 600, 1800, 3600, 10800, 43200, 86400, 604800, 2592000, 31536000};
}  // namespace

TimeSpan AutoTimeSpan(int64_t lo_us, int64_t hi_us, uint64_t bins, double minspan_seconds) {
  TimeSpan span;
  span.seconds = kAutoTimeSpans[std::size(kAutoTimeSpans) - 1];
  for (int64_t s : kAutoTimeSpans) {
    if (static_cast<double>(s) < minspan_seconds) continue;
    int64_t n = query::FloorDiv(hi_us / 1000000, s) - query::FloorDiv(lo_us / 1000000, s) + 1;
    if (n <= static_cast<int64_t>(bins)) {
      span.seconds = s;
      break;
    }
  }
  return span;
}

void TimeBuckets::AlignTo(int64_t align_us) {
  if (span.months > 0) return;
  int64_t width = span.seconds * 1000000;
  offset_us = ((align_us % width) + width) % width;
}

void TimeBuckets::AlignTo(const std::string& aligntime, std::optional<int64_t> lo_us, std::optional<int64_t> hi_us,
                          int64_t now_us) {
  if (aligntime.empty()) return;
  std::optional<int64_t> align;
  if (aligntime == "earliest") align = lo_us;
  else if (aligntime == "latest") align = hi_us;
  else {
    std::string err;
    align = query::ResolveTimeModifier(aligntime, now_us, &err);
  }
  if (align) AlignTo(*align);
}

int64_t TimeBuckets::Start(int64_t time_us) const {
  if (span.months > 0) return MonthBucketStart(time_us, span.months);
  int64_t width = span.seconds * 1000000;
  return query::FloorDiv(time_us - offset_us, width) * width + offset_us;
}

int64_t TimeBuckets::Next(int64_t start_us) const {
  if (span.months == 0) return start_us + span.seconds * 1000000;
  // a month bucket of N months: the start of the bucket a little over N*28 days later
  return MonthBucketStart(start_us + span.months * 32 * 86400LL * 1000000, span.months);
}

}  // namespace cairn::engine
