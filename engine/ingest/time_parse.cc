#include "engine/ingest/time_parse.h"

#include "query/civil_time.h"

#include <cstdio>

namespace cairn::engine {

namespace {
bool Digits(std::string_view s, size_t pos, size_t n, int64_t* out) {
  if (pos + n > s.size()) return false;
  int64_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}
}  // namespace

std::optional<int64_t> ParseTimestamp(std::string_view s) {
  int64_t year, month, day, hour = 0, minute = 0, second = 0;
  if (!Digits(s, 0, 4, &year) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, &month) || s[7] != '-' ||
      !Digits(s, 8, 2, &day))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  size_t pos = 10;
  int64_t micros = 0;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
    if (!Digits(s, pos + 1, 2, &hour) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !Digits(s, pos + 4, 2, &minute))
      return std::nullopt;
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!Digits(s, pos + 1, 2, &second)) return std::nullopt;
      pos += 3;
    }
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      ++pos;
      int64_t scale = 100000;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        micros += (s[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
    }
  }
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  int64_t offset_s = 0;
  if (pos < s.size()) {
    if (s[pos] == 'Z' || s[pos] == 'z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      int64_t oh, om = 0;
      if (!Digits(s, pos + 1, 2, &oh)) return std::nullopt;
      size_t p = pos + 3;
      if (p < s.size() && s[p] == ':') ++p;
      if (p < s.size() && !Digits(s, p, 2, &om)) return std::nullopt;
      if (p < s.size()) p += 2;
      offset_s = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
      pos = p;
    }
  }
  if (pos != s.size()) return std::nullopt;
  int64_t days = query::DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_s;
  return secs * 1000000 + micros;
}

std::optional<int64_t> ParseCommonLogTime(std::string_view s) {
  static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  int64_t day, year, hour, minute, second, oh, om;
  if (s.size() != 26 || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[14] != ':' || s[17] != ':' || s[20] != ' ' ||
      (s[21] != '+' && s[21] != '-'))
    return std::nullopt;
  size_t month = kMonths.find(s.substr(3, 3));
  if (month == std::string_view::npos || month % 3 != 0) return std::nullopt;
  if (!Digits(s, 0, 2, &day) || !Digits(s, 7, 4, &year) || !Digits(s, 12, 2, &hour) || !Digits(s, 15, 2, &minute) ||
      !Digits(s, 18, 2, &second) || !Digits(s, 22, 2, &oh) || !Digits(s, 24, 2, &om))
    return std::nullopt;
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  int64_t offset_s = (oh * 3600 + om * 60) * (s[21] == '-' ? -1 : 1);
  int64_t days = query::DaysFromCivil(year, static_cast<unsigned>(month / 3 + 1), static_cast<unsigned>(day));
  return (days * 86400 + hour * 3600 + minute * 60 + second - offset_s) * 1000000;
}

std::string FormatTimestamp(int64_t time_us) {
  int64_t secs = time_us >= 0 ? time_us / 1000000 : -((-time_us + 999999) / 1000000);
  int64_t micros = time_us - secs * 1000000;
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t rem = secs - days * 86400;
  query::CivilDate c = query::CivilFromDays(days);
  long long y = static_cast<long long>(c.year);
  unsigned m = c.month, d = c.day;
  char buf[64];
  if (micros == 0)
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<long long>(y), m, d,
                  static_cast<long long>(rem / 3600), static_cast<long long>(rem / 60 % 60),
                  static_cast<long long>(rem % 60));
  else
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ", static_cast<long long>(y), m,
                  d, static_cast<long long>(rem / 3600), static_cast<long long>(rem / 60 % 60),
                  static_cast<long long>(rem % 60), static_cast<long long>(micros));
  return buf;
}

}  // namespace cairn::engine
