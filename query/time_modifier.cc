#include "query/time_modifier.h"

#include "query/civil_time.h"

#include <cctype>

namespace cairn::query {

namespace {

constexpr int64_t kSecond = 1000000;

// Unit names Splunk accepts, normalised: s m h d w mon q y.
std::optional<std::string> NormalizeUnit(std::string u) {
  for (char& c : u) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (u == "s" || u == "sec" || u == "secs" || u == "second" || u == "seconds") return "s";
  if (u == "m" || u == "min" || u == "mins" || u == "minute" || u == "minutes") return "m";
  if (u == "h" || u == "hr" || u == "hrs" || u == "hour" || u == "hours") return "h";
  if (u == "d" || u == "day" || u == "days") return "d";
  if (u == "w" || u == "week" || u == "weeks") return "w";
  if (u == "mon" || u == "month" || u == "months") return "mon";
  if (u == "q" || u == "qtr" || u == "qtrs" || u == "quarter" || u == "quarters") return "q";
  if (u == "y" || u == "yr" || u == "yrs" || u == "year" || u == "years") return "y";
  return std::nullopt;
}

int64_t AddMonths(int64_t t, int64_t months) {
  int64_t days = FloorDiv(t, 86400 * kSecond);
  int64_t rem = t - days * 86400 * kSecond;
  CivilDate c = CivilFromDays(days);
  int64_t total = c.year * 12 + (c.month - 1) + months;
  int64_t y = FloorDiv(total, 12);
  unsigned m = static_cast<unsigned>(total - y * 12 + 1);
  unsigned d = c.day;
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  unsigned max_d = kDays[m - 1] + ((m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) ? 1 : 0);
  if (d > max_d) d = max_d;
  return DaysFromCivil(y, m, d) * 86400 * kSecond + rem;
}

int64_t Snap(int64_t t, const std::string& unit, int weekday) {
  int64_t days = FloorDiv(t, 86400 * kSecond);
  if (unit == "s") return FloorDiv(t, kSecond) * kSecond;
  if (unit == "m") return FloorDiv(t, 60 * kSecond) * 60 * kSecond;
  if (unit == "h") return FloorDiv(t, 3600 * kSecond) * 3600 * kSecond;
  if (unit == "d") return days * 86400 * kSecond;
  if (unit == "w") {
    int64_t dow = (days + 4) % 7;  // 1970-01-01 was a Thursday; 0 = Sunday
    if (dow < 0) dow += 7;
    int64_t back = (dow - weekday + 7) % 7;
    return (days - back) * 86400 * kSecond;
  }
  CivilDate c = CivilFromDays(days);
  if (unit == "mon") return DaysFromCivil(c.year, c.month, 1) * 86400 * kSecond;
  if (unit == "q") return DaysFromCivil(c.year, ((c.month - 1) / 3) * 3 + 1, 1) * 86400 * kSecond;
  return DaysFromCivil(c.year, 1, 1) * 86400 * kSecond;  // y
}

bool ParseInt(std::string_view s, size_t* pos, int64_t* out) {
  size_t start = *pos;
  int64_t v = 0;
  while (*pos < s.size() && std::isdigit(static_cast<unsigned char>(s[*pos]))) v = v * 10 + (s[(*pos)++] - '0');
  *out = v;
  return *pos > start;
}

std::optional<int64_t> ParseAbsolute(std::string_view s) {
  // ISO: YYYY-MM-DD[THH:MM:SS[.f]][Z|±hh:mm]
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-') {
    auto num = [&](size_t p, size_t n) -> int64_t {
      int64_t v = 0;
      for (size_t i = p; i < p + n; ++i) {
        if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
        v = v * 10 + (s[i] - '0');
      }
      return v;
    };
    int64_t y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = 0, mi = 0, se = 0, micros = 0, off = 0;
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
    size_t p = 10;
    if (p < s.size() && (s[p] == 'T' || s[p] == ' ')) {
      h = num(p + 1, 2);
      mi = num(p + 4, 2);
      if (h < 0 || mi < 0 || p + 3 >= s.size() || s[p + 3] != ':') return std::nullopt;
      p += 6;
      if (p < s.size() && s[p] == ':') {
        se = num(p + 1, 2);
        if (se < 0) return std::nullopt;
        p += 3;
      }
      if (p < s.size() && s[p] == '.') {
        ++p;
        int64_t scale = 100000;
        while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p]))) {
          micros += (s[p++] - '0') * scale;
          scale /= 10;
        }
      }
    }
    if (p < s.size() && (s[p] == 'Z' || s[p] == 'z')) {
      ++p;
    } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
      int64_t oh = num(p + 1, 2), om = 0;
      size_t q = p + 3;
      if (q < s.size() && s[q] == ':') ++q;
      if (q < s.size()) om = num(q, 2), q += 2;
      if (oh < 0 || om < 0) return std::nullopt;
      off = (oh * 3600 + om * 60) * (s[p] == '-' ? -1 : 1);
      p = q;
    }
    if (p != s.size()) return std::nullopt;
    return (DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + se -
            off) * kSecond + micros;
  }
  // Splunk's default: %m/%d/%Y:%H:%M:%S, or %m/%d/%Y.
  if (s.size() >= 10 && s[2] == '/' && s[5] == '/') {
    int mo, d, y, h = 0, mi = 0, se = 0;
    std::string str(s);
    int n = 0;
    if (std::sscanf(str.c_str(), "%d/%d/%d:%d:%d:%d%n", &mo, &d, &y, &h, &mi, &se, &n) == 6 &&
        static_cast<size_t>(n) == str.size()) {
    } else if (std::sscanf(str.c_str(), "%d/%d/%d%n", &mo, &d, &y, &n) == 3 && static_cast<size_t>(n) == str.size()) {
      h = mi = se = 0;
    } else {
      return std::nullopt;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
    return (DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + se) *
           kSecond;
  }
  // Epoch seconds.
  size_t p = 0;
  int64_t v;
  if (ParseInt(s, &p, &v) && p == s.size()) return v * kSecond;
  return std::nullopt;
}

}  // namespace

std::optional<int64_t> ResolveTimeModifier(std::string_view text, int64_t now_us, std::string* error) {
  if (text == "now" || text.empty()) return now_us;
  if (auto abs = ParseAbsolute(text)) return abs;
  if (text[0] != '+' && text[0] != '-' && text[0] != '@') {
    *error = "not a time: expected now, -24h, -7d@d, 2025-12-29T19:59:23Z or 12/29/2025:19:59:23";
    return std::nullopt;
  }
  int64_t t = now_us;
  size_t p = 0;
  while (p < text.size() && (text[p] == '+' || text[p] == '-')) {
    int sign = text[p] == '-' ? -1 : 1;
    ++p;
    int64_t n = 1;
    size_t before = p;
    if (!ParseInt(text, &p, &n)) n = 1;
    (void)before;
    size_t us = p;
    while (p < text.size() && std::isalpha(static_cast<unsigned char>(text[p]))) ++p;
    auto unit = NormalizeUnit(std::string(text.substr(us, p - us)));
    if (!unit) {
      *error = "unknown time unit '" + std::string(text.substr(us, p - us)) + "' (use s, m, h, d, w, mon, q, y)";
      return std::nullopt;
    }
    if (*unit == "mon") t = AddMonths(t, sign * n);
    else if (*unit == "q") t = AddMonths(t, sign * n * 3);
    else if (*unit == "y") t = AddMonths(t, sign * n * 12);
    else {
      int64_t secs = *unit == "s" ? 1 : *unit == "m" ? 60 : *unit == "h" ? 3600 : *unit == "d" ? 86400 : 604800;
      t += sign * n * secs * kSecond;
    }
  }
  if (p < text.size() && text[p] == '@') {
    ++p;
    size_t us = p;
    while (p < text.size() && std::isalpha(static_cast<unsigned char>(text[p]))) ++p;
    std::string u(text.substr(us, p - us));
    int weekday = 0;
    if (p < text.size() && std::isdigit(static_cast<unsigned char>(text[p])) && (u == "w")) {
      weekday = text[p] - '0';
      ++p;
    }
    auto unit = NormalizeUnit(u);
    if (!unit) {
      *error = "unknown snap unit '@" + u + "'";
      return std::nullopt;
    }
    t = Snap(t, *unit, weekday);
    // A relative offset may follow the snap: -1d@d+8h
    while (p < text.size() && (text[p] == '+' || text[p] == '-')) {
      int sign = text[p] == '-' ? -1 : 1;
      ++p;
      int64_t n = 1;
      if (!ParseInt(text, &p, &n)) n = 1;
      size_t s2 = p;
      while (p < text.size() && std::isalpha(static_cast<unsigned char>(text[p]))) ++p;
      auto u2 = NormalizeUnit(std::string(text.substr(s2, p - s2)));
      if (!u2 || *u2 == "mon" || *u2 == "q" || *u2 == "y") {
        *error = "unsupported offset after the snap";
        return std::nullopt;
      }
      int64_t secs = *u2 == "s" ? 1 : *u2 == "m" ? 60 : *u2 == "h" ? 3600 : *u2 == "d" ? 86400 : 604800;
      t += sign * n * secs * kSecond;
    }
  }
  if (p != text.size()) {
    *error = "cannot read time modifier '" + std::string(text) + "'";
    return std::nullopt;
  }
  return t;
}

}  // namespace cairn::query
