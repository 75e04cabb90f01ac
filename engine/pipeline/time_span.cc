#include "engine/pipeline/time_span.h"

#include <cctype>
#include <string>

#include "query/civil_time.h"

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

}  // namespace cairn::engine
