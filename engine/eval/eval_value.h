// EvalValue: the result of evaluating an eval expression — null, a number, a string, a
// boolean or a multivalue (several strings). Values read from events are text; FromData
// types a text that parses fully as a number as a number that keeps its original text,
// so `x>5` compares numerically while `x="007"` still sees "007". Plain value type.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/pipeline/record.h"

namespace cairn::engine {

struct EvalValue {
  enum class Type { kNull, kNumber, kString, kBool, kMulti };
  Type type = Type::kNull;
  double number = 0;                ///< kNumber
  std::string text;                 ///< kString; kNumber: the text it was read from, if any
  bool boolean = false;             ///< kBool
  std::vector<std::string> values;  ///< kMulti: two or more values
  /// kNumber read from a field whose value is text ("007" in a string): written back as text.
  bool from_text = false;

  static EvalValue Null() { return {}; }
  static EvalValue Number(double v, std::string original_text = "");
  static EvalValue String(std::string s);
  static EvalValue Bool(bool b);
  /// A value read from an event or a multivalue element: a number if it parses fully as one.
  static EvalValue FromData(std::string_view text);
  /// A field cell: none → null, one → FromData, several → multivalue.
  static EvalValue FromValues(std::vector<std::string> values);

  bool is_null() const { return type == Type::kNull; }
  bool is_number() const { return type == Type::kNumber; }
  bool is_string() const { return type == Type::kString; }
  bool is_bool() const { return type == Type::kBool; }
  bool is_multi() const { return type == Type::kMulti; }

  /// The text Splunk would show: numbers as FormatEvalNumber (or their original text), booleans
  /// as "true"/"false", multivalues joined by newlines, null as "".
  std::string ToText() const;
  /// The number of a kNumber, or of a kString that parses fully as a number; else nullopt.
  std::optional<double> ToNumber() const;
  /// True for a true boolean, a non-zero number or a non-empty string or multivalue.
  bool Truthy() const;
  /// The values as a list: none for null, one for a single value, all for a multivalue.
  std::vector<std::string> ToValues() const;
  /// ToValues as a record cell: a number eval computed, or one read from a number, is a
  /// number; a boolean a boolean; anything else text.
  FieldCell ToCell() const;
};

/// Parses `text` fully as a decimal number ("12", "-3.5", "1e3", ".5"); no spaces, no hex,
/// no inf or nan.
std::optional<double> ParseEvalNumber(std::string_view text);

/// Integers without a fraction ("3", not "3.0"), other values in the shortest text that
/// reads back as the same double ("0.1", "2.5e-07").
std::string FormatEvalNumber(double v);

}  // namespace cairn::engine
