// How the eval unit tests print an EvalValue to compare it with the expected text: null,
// true/false, numbers as their text, "strings" quoted, [multi,values].
#pragma once

#include <string>

#include "engine/eval/evaluator.h"

namespace cairn::test {

inline std::string Show(const engine::EvalValue& v) {
  using Type = engine::EvalValue::Type;
  switch (v.type) {
    case Type::kNull: return "null";
    case Type::kBool: return v.boolean ? "true" : "false";
    case Type::kNumber: return v.ToText();
    case Type::kString: return "\"" + v.text + "\"";
    case Type::kMulti: {
      std::string s = "[";
      for (size_t i = 0; i < v.values.size(); ++i) s += (i ? "," : "") + v.values[i];
      return s + "]";
    }
  }
  return "?";
}

}  // namespace cairn::test
