// Number functions: tonumber, round, floor, ceil, abs, min, max, sqrt, pow, exp, ln, log.
// Arguments are read with EvalValue::ToNumber, so numeric text counts; a result that is not
// a finite number is null.
#include <charconv>
#include <cmath>
#include <ctime>

#include "engine/eval/functions.h"

namespace cairn::engine::eval_functions {

namespace {

using query::EvalFunction;

EvalValue Finite(double v) { return std::isfinite(v) ? EvalValue::Number(v) : EvalValue::Null(); }

int DigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

// tonumber(x[, base]): base 10 reads decimals and exponents, other bases (2-36) integers,
// with an optional 0x before base-16 digits.
EvalValue ToNumber(const Args& args) {
  const EvalValue& v = args[0];
  if (v.is_null() || v.is_multi() || v.is_bool()) return EvalValue::Null();
  double base = 10;
  if (args.size() > 1) {
    std::optional<double> b = args[1].ToNumber();
    if (!b || *b != std::trunc(*b) || *b < 2 || *b > 36) return EvalValue::Null();
    base = *b;
  }
  std::string text = v.ToText();
  if (base == 10) {
    std::optional<double> n = ParseEvalNumber(text);
    return n ? EvalValue::Number(*n) : EvalValue::Null();
  }
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (base == 16 && s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
  if (s.empty()) return EvalValue::Null();
  double n = 0;
  for (char c : s) {
    int d = DigitValue(c);
    if (d >= base) return EvalValue::Null();
    n = n * base + d;
  }
  return Finite(negative ? -n : n);
}

// min and max over all arguments and multivalue values: numbers compare as numbers and
// come before text, which compares byte-wise.
EvalValue Extreme(const Args& args, bool want_max) {
  std::vector<EvalValue> items;
  for (const auto& a : args) {
    if (a.is_multi()) {
      for (const auto& s : a.values) items.push_back(EvalValue::FromData(s));
    } else if (!a.is_null()) {
      items.push_back(a);
    }
  }
  const EvalValue* best_number = nullptr;
  const EvalValue* best_text = nullptr;
  double best = 0;
  for (const auto& item : items) {
    if (std::optional<double> n = item.ToNumber()) {
      if (best_number == nullptr || (want_max ? *n > best : *n < best)) {
        best_number = &item;
        best = *n;
      }
    } else if (best_text == nullptr || (want_max ? item.ToText() > best_text->ToText() : item.ToText() < best_text->ToText())) {
      best_text = &item;
    }
  }
  const EvalValue* pick = want_max ? (best_text ? best_text : best_number) : (best_number ? best_number : best_text);
  return pick ? *pick : EvalValue::Null();
}

}  // namespace

double RoundHalfAway(double x, int digits) {
  if (!std::isfinite(x)) return x;
  if (digits < 0) {
    double p = std::pow(10.0, -digits);
    return std::round(x / p) * p;
  }
  char buf[512];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, std::fabs(x), std::chars_format::fixed);
  if (ec != std::errc()) return x;
  std::string s(buf, end);
  size_t dot = s.find('.');
  if (dot == std::string::npos || s.size() - dot - 1 <= static_cast<size_t>(digits)) return x;
  bool up = s[dot + 1 + static_cast<size_t>(digits)] >= '5';
  s.resize(digits == 0 ? dot : dot + 1 + static_cast<size_t>(digits));
  if (up) {
    int i = static_cast<int>(s.size()) - 1;
    for (; i >= 0; --i) {
      if (s[static_cast<size_t>(i)] == '.') continue;
      if (s[static_cast<size_t>(i)] != '9') {
        ++s[static_cast<size_t>(i)];
        break;
      }
      s[static_cast<size_t>(i)] = '0';
    }
    if (i < 0) s = "1" + s;
  }
  double v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return x < 0 ? -v : v;
}

EvalValue CallMath(EvalFunction fn, const Args& args) {
  switch (fn) {
    case EvalFunction::kTonumber: return ToNumber(args);
    case EvalFunction::kIsint: {
      std::optional<double> n = args[0].is_number() ? std::optional<double>(args[0].number) : std::nullopt;
      return EvalValue::Bool(n && std::isfinite(*n) && *n == std::floor(*n));
    }
    case EvalFunction::kPi: return EvalValue::Number(M_PI);
    case EvalFunction::kRandom: {
      static uint64_t state = 0x9E3779B97F4A7C15ull ^ static_cast<uint64_t>(std::time(nullptr));
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      return EvalValue::Number(static_cast<double>(state % 2147483648ull));  // 0 .. 2^31-1, as Splunk
    }
    case EvalFunction::kMin: return Extreme(args, false);
    case EvalFunction::kMax: return Extreme(args, true);
    default: break;
  }
  std::optional<double> x = args[0].ToNumber();
  if (!x) return EvalValue::Null();
  switch (fn) {
    case EvalFunction::kRound: {
      double digits = 0;
      if (args.size() > 1) {
        std::optional<double> d = args[1].ToNumber();
        if (!d) return EvalValue::Null();
        digits = std::trunc(*d);
      }
      if (digits > 300 || digits < -300) return EvalValue::Null();
      return Finite(RoundHalfAway(*x, static_cast<int>(digits)));
    }
    case EvalFunction::kFloor: return Finite(std::floor(*x));
    case EvalFunction::kCeil: return Finite(std::ceil(*x));
    case EvalFunction::kAbs: return Finite(std::fabs(*x));
    case EvalFunction::kSqrt: return *x < 0 ? EvalValue::Null() : Finite(std::sqrt(*x));
    case EvalFunction::kExp: return Finite(std::exp(*x));
    case EvalFunction::kLn: return *x <= 0 ? EvalValue::Null() : Finite(std::log(*x));
    case EvalFunction::kLog: {
      double base = 10;
      if (args.size() > 1) {
        std::optional<double> b = args[1].ToNumber();
        if (!b || *b <= 0 || *b == 1) return EvalValue::Null();
        base = *b;
      }
      if (*x <= 0) return EvalValue::Null();
      return Finite(base == 10 ? std::log10(*x) : std::log(*x) / std::log(base));
    }
    case EvalFunction::kPow: {
      std::optional<double> y = args[1].ToNumber();
      return y ? Finite(std::pow(*x, *y)) : EvalValue::Null();
    }
    default: return EvalValue::Null();
  }
}

}  // namespace cairn::engine::eval_functions
