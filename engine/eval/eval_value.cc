#include "engine/eval/eval_value.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace cairn::engine {

EvalValue EvalValue::Number(double v, std::string original_text) {
  EvalValue r;
  r.type = Type::kNumber;
  r.number = v;
  r.text = std::move(original_text);
  return r;
}

EvalValue EvalValue::String(std::string s) {
  EvalValue r;
  r.type = Type::kString;
  r.text = std::move(s);
  return r;
}

EvalValue EvalValue::Bool(bool b) {
  EvalValue r;
  r.type = Type::kBool;
  r.boolean = b;
  return r;
}

EvalValue EvalValue::FromData(std::string_view text) {
  if (auto n = ParseEvalNumber(text)) return Number(*n, std::string(text));
  return String(std::string(text));
}

EvalValue EvalValue::FromValues(std::vector<std::string> values) {
  if (values.empty()) return Null();
  if (values.size() == 1) return FromData(values[0]);
  EvalValue r;
  r.type = Type::kMulti;
  r.values = std::move(values);
  return r;
}

std::string EvalValue::ToText() const {
  switch (type) {
    case Type::kNull: return "";
    case Type::kNumber: return text.empty() ? FormatEvalNumber(number) : text;
    case Type::kString: return text;
    case Type::kBool: return boolean ? "true" : "false";
    case Type::kMulti: {
      std::string out;
      for (size_t i = 0; i < values.size(); ++i) out += (i ? "\n" : "") + values[i];
      return out;
    }
  }
  return "";
}

std::optional<double> EvalValue::ToNumber() const {
  if (type == Type::kNumber) return number;
  if (type == Type::kString) return ParseEvalNumber(text);
  return std::nullopt;
}

bool EvalValue::Truthy() const {
  switch (type) {
    case Type::kNull: return false;
    case Type::kNumber: return number != 0;
    case Type::kString: return !text.empty();
    case Type::kBool: return boolean;
    case Type::kMulti: return !values.empty();
  }
  return false;
}

std::vector<std::string> EvalValue::ToValues() const {
  if (type == Type::kNull) return {};
  if (type == Type::kMulti) return values;
  return {ToText()};
}

FieldCell EvalValue::ToCell() const {
  ValueKind kind = ValueKind::kString;
  if (type == Type::kNumber && !from_text) kind = ValueKind::kNumber;
  if (type == Type::kBool) kind = ValueKind::kBoolean;
  return FieldCell(ToValues(), kind);
}

std::optional<double> ParseEvalNumber(std::string_view s) {
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  size_t mantissa_begin = i, digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    size_t exp_digits = 0;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j, ++exp_digits;
    if (exp_digits == 0) return std::nullopt;
    i = j;
  }
  if (i != s.size()) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data() + mantissa_begin, s.data() + s.size(), v);
  if (end != s.data() + s.size() || ec != std::errc()) return std::nullopt;
  if (!std::isfinite(v)) return std::nullopt;
  return negative ? -v : v;
}

std::string FormatEvalNumber(double v) {
  if (!std::isfinite(v)) return "";
  if (v == 0) return "0";
  char buf[64];
  if (v == std::trunc(v) && std::fabs(v) < 1e21) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

}  // namespace cairn::engine
