#include "engine/eval/time_format.h"

#include "query/civil_time.h"

#include <cctype>
#include <cstdio>

#include "engine/ingest/time_parse.h"

namespace cairn::engine {

namespace {

constexpr int64_t kMicros = 1000000;
constexpr const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};
constexpr const char* kWeekdays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

using query::CivilFromDays;
using query::DaysFromCivil;
using query::FloorDiv;
using Civil = query::CivilDate;

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
unsigned DaysInMonth(int64_t y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return kDays[m - 1] + (m == 2 && IsLeap(y) ? 1 : 0);
}

// The composite conversions, expanded before formatting or parsing.
std::string Expand(std::string_view format) {
  std::string out;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 >= format.size()) {
      out.push_back(format[i]);
      continue;
    }
    char c = format[++i];
    if (c == 'T') out += "%H:%M:%S";
    else if (c == 'F') out += "%Y-%m-%d";
    else if (c == 'D') out += "%m/%d/%y";
    else if (c == 'R') out += "%H:%M";
    else if (c == 'c') out += "%a %b %e %H:%M:%S %Y";
    else out += {'%', c};
  }
  return out;
}

// Subsecond digits: `width` digits of the microseconds, zero-extended past six.
std::string Subseconds(int64_t micros, int width) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%06lld", static_cast<long long>(micros));
  std::string digits(buf);
  if (width <= 6) return digits.substr(0, static_cast<size_t>(width));
  return digits + std::string(static_cast<size_t>(width - 6), '0');
}

}  // namespace

std::string FormatTime(int64_t time_us, std::string_view format_text) {
  const int64_t secs = FloorDiv(time_us, kMicros);
  const int64_t micros = time_us - secs * kMicros;
  const int64_t days = FloorDiv(secs, 86400);
  const int64_t sod = secs - days * 86400;
  const Civil c = CivilFromDays(days);
  const int hour = static_cast<int>(sod / 3600), minute = static_cast<int>(sod / 60 % 60);
  const int second = static_cast<int>(sod % 60);
  const int weekday = static_cast<int>(((days + 4) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
  const int64_t yday = days - DaysFromCivil(c.year, 1, 1) + 1;
  const int hour12 = hour % 12 == 0 ? 12 : hour % 12;
  const std::string format = Expand(format_text);
  std::string out;
  char buf[32];
  auto put = [&](const char* fmt, long long v) {
    std::snprintf(buf, sizeof buf, fmt, v);
    out += buf;
  };
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 >= format.size()) {
      out.push_back(format[i]);
      continue;
    }
    size_t spec = ++i;
    int width = 0;
    while (i < format.size() && std::isdigit(static_cast<unsigned char>(format[i]))) width = width * 10 + (format[i++] - '0');
    if (i >= format.size()) {
      out += "%" + std::string(format.substr(spec));
      break;
    }
    switch (format[i]) {
      case 'Y': put("%04lld", c.year); break;
      case 'y': put("%02lld", ((c.year % 100) + 100) % 100); break;
      case 'm': put("%02lld", c.month); break;
      case 'd': put("%02lld", c.day); break;
      case 'e': put("%2lld", c.day); break;
      case 'H': put("%02lld", hour); break;
      case 'k': put("%2lld", hour); break;
      case 'I': put("%02lld", hour12); break;
      case 'l': put("%2lld", hour12); break;
      case 'M': put("%02lld", minute); break;
      case 'S': put("%02lld", second); break;
      case 'p': out += hour < 12 ? "AM" : "PM"; break;
      case 'b':
      case 'h': out += std::string(kMonths[c.month - 1]).substr(0, 3); break;
      case 'B': out += kMonths[c.month - 1]; break;
      case 'a': out += std::string(kWeekdays[weekday]).substr(0, 3); break;
      case 'A': out += kWeekdays[weekday]; break;
      case 'j': put("%03lld", yday); break;
      case 'u': put("%lld", weekday == 0 ? 7 : weekday); break;
      case 'w': put("%lld", weekday); break;
      case 'Z': out += "UTC"; break;
      case 'z': out += "+0000"; break;
      case 's': put("%lld", secs); break;
      case 'N': out += Subseconds(micros, width > 0 ? width : 9); break;
      case 'Q': out += Subseconds(micros, width > 0 ? width : 3); break;
      case 'f': out += Subseconds(micros, 6); break;
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case '%': out += '%'; break;
      default: out += "%" + std::string(format.substr(spec, i - spec + 1)); break;
    }
  }
  return out;
}

namespace {

struct Parts {
  int64_t year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, micros = 0;
  int64_t yday = -1, offset = 0, epoch = 0;
  bool has_epoch = false, has_month_day = false, pm = false, has_ampm = false;
};

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  bool Number(int max_digits, int64_t* out, bool allow_sign = false) {
    size_t p = pos_;
    bool negative = false;
    if (allow_sign && p < s_.size() && (s_[p] == '-' || s_[p] == '+')) negative = s_[p++] == '-';
    size_t start = p;
    int64_t v = 0;
    while (p < s_.size() && p - start < static_cast<size_t>(max_digits) && std::isdigit(static_cast<unsigned char>(s_[p])))
      v = v * 10 + (s_[p++] - '0');
    if (p == start) return false;
    *out = negative ? -v : v;
    pos_ = p;
    return true;
  }
  // Digits after a decimal point as microseconds (extra digits read and dropped).
  bool Fraction(int max_digits, int64_t* micros) {
    size_t start = pos_;
    int64_t v = 0, scale = 100000;
    while (pos_ < s_.size() && pos_ - start < static_cast<size_t>(max_digits) &&
           std::isdigit(static_cast<unsigned char>(s_[pos_]))) {
      v += (s_[pos_++] - '0') * scale;
      scale /= 10;
    }
    *micros = v;
    return pos_ > start;
  }
  // The index of the longest name (full or three-letter) matching here, case-insensitively.
  int Name(const char* const* names, int count) {
    for (int full = 1; full >= 0; --full) {
      for (int i = 0; i < count; ++i) {
        std::string_view n(names[i]);
        if (!full) n = n.substr(0, 3);
        if (s_.size() - pos_ < n.size()) continue;
        bool same = true;
        for (size_t k = 0; k < n.size() && same; ++k)
          same = std::tolower(static_cast<unsigned char>(s_[pos_ + k])) == std::tolower(static_cast<unsigned char>(n[k]));
        if (same) {
          pos_ += n.size();
          return i;
        }
      }
    }
    return -1;
  }
  void SkipSpace() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool Take(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) return ++pos_, true;
    return false;
  }
  bool TakeAlpha() {
    size_t start = pos_;
    while (pos_ < s_.size() && std::isalpha(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    return pos_ > start;
  }
  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

bool ParseOffset(Reader* r, int64_t* offset) {
  if (r->Take('Z')) return (*offset = 0), true;
  char sign = r->Peek();
  if (sign != '+' && sign != '-') return false;
  r->Take(sign);
  int64_t hh = 0, mm = 0;
  if (!r->Number(2, &hh)) return false;
  r->Take(':');
  r->Number(2, &mm);
  *offset = (hh * 3600 + mm * 60) * (sign == '-' ? -1 : 1);
  return true;
}

bool ParseConversion(char spec, int width, Reader* r, Parts* p) {
  int64_t v = 0;
  switch (spec) {
    case 'Y': return r->Number(4, &p->year, true);
    case 'y':
      if (!r->Number(2, &v)) return false;
      p->year = v < 69 ? 2000 + v : 1900 + v;
      return true;
    case 'm': p->has_month_day = true; return r->Number(2, &p->month);
    case 'e': r->SkipSpace(); [[fallthrough]];
    case 'd': p->has_month_day = true; return r->Number(2, &p->day);
    case 'k': r->SkipSpace(); [[fallthrough]];
    case 'H': return r->Number(2, &p->hour);
    case 'l': r->SkipSpace(); [[fallthrough]];
    case 'I': p->has_ampm = true; return r->Number(2, &p->hour);
    case 'M': return r->Number(2, &p->minute);
    case 'S': return r->Number(2, &p->second);
    case 'j': return r->Number(3, &p->yday);
    case 'p': {
      static const char* const kAmPm[] = {"AM", "PM"};
      int i = r->Name(kAmPm, 2);
      p->pm = i == 1;
      return i >= 0;
    }
    case 'b':
    case 'h':
    case 'B': {
      int i = r->Name(kMonths, 12);
      p->month = i + 1;
      p->has_month_day = true;
      return i >= 0;
    }
    case 'a':
    case 'A': return r->Name(kWeekdays, 7) >= 0;
    case 'u':
    case 'w': return r->Number(1, &v);
    case 'Z': return r->TakeAlpha();
    case 'z': return ParseOffset(r, &p->offset);
    case 's': p->has_epoch = true; return r->Number(18, &p->epoch, true);
    case 'N': return r->Fraction(width > 0 ? width : 9, &p->micros);
    case 'Q': return r->Fraction(width > 0 ? width : 3, &p->micros);
    case 'f': return r->Fraction(6, &p->micros);
    case 'n':
    case 't': r->SkipSpace(); return true;
    case '%': return r->Take('%');
    default: return false;
  }
}

}  // namespace

std::optional<int64_t> ParseTime(std::string_view text, std::string_view format_text) {
  const std::string format = Expand(format_text);
  Reader r(text);
  Parts p;
  for (size_t i = 0; i < format.size(); ++i) {
    char f = format[i];
    if (std::isspace(static_cast<unsigned char>(f))) {
      r.SkipSpace();
    } else if (f != '%' || i + 1 >= format.size()) {
      if (!r.Take(f)) return std::nullopt;
    } else {
      ++i;
      int width = 0;
      while (i < format.size() && std::isdigit(static_cast<unsigned char>(format[i]))) width = width * 10 + (format[i++] - '0');
      if (i >= format.size() || !ParseConversion(format[i], width, &r, &p)) return std::nullopt;
    }
  }
  if (p.has_epoch) return p.epoch * kMicros + p.micros;
  if (p.has_ampm) {
    if (p.hour < 1 || p.hour > 12) return std::nullopt;
    p.hour = p.hour % 12 + (p.pm ? 12 : 0);
  }
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > DaysInMonth(p.year, static_cast<unsigned>(p.month)) ||
      p.hour > 23 || p.minute > 59 || p.second > 60) {
    return std::nullopt;
  }
  int64_t days = DaysFromCivil(p.year, static_cast<unsigned>(p.month), static_cast<unsigned>(p.day));
  if (p.yday >= 1 && !p.has_month_day) {
    if (p.yday > (IsLeap(p.year) ? 366 : 365)) return std::nullopt;
    days = DaysFromCivil(p.year, 1, 1) + p.yday - 1;
  }
  return (days * 86400 + p.hour * 3600 + p.minute * 60 + p.second - p.offset) * kMicros + p.micros;
}

}  // namespace cairn::engine
