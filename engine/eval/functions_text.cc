// Text functions: lower, upper, len, substr, replace, trim, ltrim, rtrim, urldecode and
// tostring (printf and commands are in functions_format.cc). One-argument text functions map over each value of a multivalue.
#include <cmath>
#include <cstdio>

#include "engine/eval/functions.h"

namespace cairn::engine::eval_functions {

namespace {

using query::EvalFunction;

template <typename F>
EvalValue MapText(const EvalValue& v, F f) {
  if (v.is_null()) return EvalValue::Null();
  if (!v.is_multi()) return EvalValue::String(f(v.ToText()));
  std::vector<std::string> out;
  out.reserve(v.values.size());
  for (const auto& s : v.values) out.push_back(f(s));
  return EvalValue::FromValues(std::move(out));
}

std::string AsciiCase(std::string s, bool upper) {
  for (char& c : s) {
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// Byte offset of UTF-8 character `index` (0-based) in `s`, or s.size() past the end.
size_t CharOffset(std::string_view s, int64_t index) {
  size_t pos = 0;
  for (int64_t seen = 0; pos < s.size(); ++pos) {
    if ((static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80) continue;
    if (seen++ == index) return pos;
  }
  return s.size();
}

// substr(s, start[, length]): 1-based characters; a negative start counts from the end.
EvalValue Substr(const Args& args) {
  std::optional<double> start = args[1].ToNumber();
  std::optional<double> length = args.size() > 2 ? args[2].ToNumber() : std::optional<double>(-1);
  if (!start || !length || (args.size() > 2 && *length < 0)) return EvalValue::Null();
  return MapText(args[0], [&](const std::string& s) {
    int64_t n = static_cast<int64_t>(Utf8Length(s));
    int64_t first = static_cast<int64_t>(std::trunc(*start));
    if (first < 0) first += n + 1;
    if (first < 1) first = 1;
    size_t begin = CharOffset(s, first - 1);
    size_t end = args.size() > 2 ? CharOffset(s, first - 1 + static_cast<int64_t>(std::trunc(*length))) : s.size();
    return s.substr(begin, end - begin);
  });
}

std::string Trim(const std::string& s, std::string_view chars, bool left, bool right) {
  size_t b = 0, e = s.size();
  if (left)
    while (b < e && chars.find(s[b]) != std::string_view::npos) ++b;
  if (right)
    while (e > b && chars.find(s[e - 1]) != std::string_view::npos) --e;
  return s.substr(b, e - b);
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string UrlDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && HexDigit(s[i + 1]) >= 0 && HexDigit(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexDigit(s[i + 1]) * 16 + HexDigit(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string WithCommas(double v) {
  double r = RoundHalfAway(std::fabs(v), 2);
  double whole = std::floor(r);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f", whole);
  std::string digits(buf), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  long long cents = std::llround((r - whole) * 100);
  if (cents > 0) {
    std::snprintf(buf, sizeof buf, ".%02lld", cents);
    out += buf;
  }
  return (v < 0 && r != 0 ? "-" : "") + out;
}

// Seconds as [D+]HH:MM:SS[.ffffff].
std::string Duration(double v) {
  double a = std::fabs(v);
  long long micros_total = std::llround(a * 1e6);
  long long secs = micros_total / 1000000, micros = micros_total % 1000000;
  char buf[64];
  std::string out = v < 0 ? "-" : "";
  if (secs >= 86400) out += std::to_string(secs / 86400) + "+";
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", secs % 86400 / 3600, secs % 3600 / 60, secs % 60);
  out += buf;
  if (micros > 0) {
    std::snprintf(buf, sizeof buf, ".%06lld", micros);
    out += buf;
  }
  return out;
}

EvalValue ToString(const Args& args, const query::EvalExpr& call, EvalContext* ctx) {
  const EvalValue& v = args[0];
  if (v.is_null()) return v;
  if (v.is_bool()) return EvalValue::String(v.boolean ? "True" : "False");
  if (args.size() < 2) return v.is_multi() ? v : EvalValue::String(v.ToText());
  if (args[1].is_null()) return EvalValue::Null();
  std::string format = args[1].ToText();
  if (format != "commas" && format != "hex" && format != "duration") {
    ReportError(ctx, *call.args[1], "tostring() formats are \"commas\", \"hex\" and \"duration\", not \"" + format + "\"");
    return EvalValue::Null();
  }
  std::optional<double> n = v.ToNumber();
  if (!n) return EvalValue::String(v.ToText());
  if (format == "commas") return EvalValue::String(WithCommas(*n));
  if (format == "duration") return EvalValue::String(Duration(*n));
  char buf[32];
  long long i = static_cast<long long>(std::trunc(*n));
  std::snprintf(buf, sizeof buf, "%s0x%llX", i < 0 ? "-" : "", static_cast<unsigned long long>(i < 0 ? -i : i));
  return EvalValue::String(buf);
}

constexpr std::string_view kSpaces = " \t\n\r\v\f";

}  // namespace

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

EvalValue CallText(EvalFunction fn, const Args& args, const query::EvalExpr& call, EvalContext* ctx) {
  switch (fn) {
    case EvalFunction::kLower: return MapText(args[0], [](const std::string& s) { return AsciiCase(s, false); });
    case EvalFunction::kUpper: return MapText(args[0], [](const std::string& s) { return AsciiCase(s, true); });
    case EvalFunction::kLen:
      if (args[0].is_multi()) return MapText(args[0], [](const std::string& s) { return std::to_string(Utf8Length(s)); });
      if (args[0].is_null()) return EvalValue::Null();
      return EvalValue::Number(static_cast<double>(Utf8Length(args[0].ToText())));
    case EvalFunction::kSubstr: return Substr(args);
    case EvalFunction::kReplace: {
      if (args[1].is_null() || args[2].is_null()) return EvalValue::Null();
      std::string error;
      const EvalRegex* re = ctx->regexes.Get(args[1].ToText(), &error);
      if (re == nullptr) {
        ReportError(ctx, *call.args[1], error);
        return EvalValue::Null();
      }
      std::string replacement = args[2].ToText();
      return MapText(args[0], [&](const std::string& s) { return re->ReplaceAll(s, replacement); });
    }
    case EvalFunction::kTrim:
    case EvalFunction::kLtrim:
    case EvalFunction::kRtrim: {
      if (args.size() > 1 && args[1].is_null()) return EvalValue::Null();
      std::string chars = args.size() > 1 ? args[1].ToText() : std::string(kSpaces);
      bool left = fn != EvalFunction::kRtrim, right = fn != EvalFunction::kLtrim;
      return MapText(args[0], [&](const std::string& s) { return Trim(s, chars, left, right); });
    }
    case EvalFunction::kUrldecode: return MapText(args[0], UrlDecode);
    case EvalFunction::kTostring: return ToString(args, call, ctx);
    case EvalFunction::kPrintf: return Printf(args);
    case EvalFunction::kCommands: return Commands(args);
    default: return EvalValue::Null();
  }
}

}  // namespace cairn::engine::eval_functions
