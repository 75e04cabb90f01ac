// JSON functions: json_object(key, value, ...), json_array(value, ...), json_extract(json
// [, path...]), json_keys(json), json_valid(json). Paths are spath's (engine/eval/json_path.h).
// Values written into JSON: numbers and booleans bare, a string that is itself a JSON object
// or array embedded as JSON (so json_object calls nest), other strings quoted, multivalues
// as arrays, null as null.
#include <simdjson.h>

#include "engine/eval/functions.h"
#include "engine/eval/json_path.h"

namespace cairn::engine::eval_functions {

namespace {

using query::EvalFunction;

bool IsJsonContainer(const std::string& s) {
  if (s.empty() || (s.front() != '{' && s.front() != '[')) return false;
  simdjson::dom::parser parser;
  return !parser.parse(s).error();
}

void AppendString(const std::string& s, std::string* out) {
  *out += '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      *out += '\\';
      *out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      *out += buf;
    } else {
      *out += static_cast<char>(c);
    }
  }
  *out += '"';
}

void AppendScalar(const std::string& s, bool number, std::string* out) {
  if (number) *out += s;
  else if (IsJsonContainer(s)) *out += s;
  else AppendString(s, out);
}

void AppendValue(const EvalValue& v, std::string* out) {
  switch (v.type) {
    case EvalValue::Type::kNull: *out += "null"; return;
    case EvalValue::Type::kBool: *out += v.boolean ? "true" : "false"; return;
    case EvalValue::Type::kNumber: *out += FormatEvalNumber(v.number); return;
    case EvalValue::Type::kString: AppendScalar(v.text, false, out); return;
    case EvalValue::Type::kMulti:
      *out += '[';
      for (size_t i = 0; i < v.values.size(); ++i) {
        if (i) *out += ',';
        AppendScalar(v.values[i], ParseEvalNumber(v.values[i]).has_value(), out);
      }
      *out += ']';
      return;
  }
}

EvalValue Extract(const Args& args) {
  if (args[0].is_null()) return EvalValue::Null();
  std::string json = args[0].ToText();
  simdjson::dom::parser parser;
  if (parser.parse(json).error()) return EvalValue::Null();
  if (args.size() == 1) return EvalValue::String(json);
  std::vector<std::vector<std::string>> found;
  for (size_t i = 1; i < args.size(); ++i) {
    auto v = JsonPathValues(json, args[i].ToText());
    found.push_back(v ? *v : std::vector<std::string>{});
  }
  auto as_json = [](const std::vector<std::string>& values) {
    std::string out = "[";
    for (size_t i = 0; i < values.size(); ++i) {
      if (i) out += ',';
      AppendScalar(values[i], ParseEvalNumber(values[i]).has_value(), &out);
    }
    return out + "]";
  };
  if (found.size() == 1) {
    if (found[0].empty()) return EvalValue::Null();
    if (found[0].size() == 1) return EvalValue::FromData(found[0][0]);
    return EvalValue::String(as_json(found[0]));
  }
  std::string out = "[";
  for (size_t i = 0; i < found.size(); ++i) {
    if (i) out += ',';
    if (found[i].empty()) out += "null";
    else if (found[i].size() == 1) AppendScalar(found[i][0], ParseEvalNumber(found[i][0]).has_value(), &out);
    else out += as_json(found[i]);
  }
  return EvalValue::String(out + "]");
}

}  // namespace

EvalValue CallJson(EvalFunction fn, const Args& args) {
  switch (fn) {
    case EvalFunction::kJsonObject: {
      std::string out = "{";
      for (size_t i = 0; i + 1 < args.size(); i += 2) {
        if (i) out += ',';
        AppendString(args[i].ToText(), &out);
        out += ':';
        AppendValue(args[i + 1], &out);
      }
      return EvalValue::String(out + "}");
    }
    case EvalFunction::kJsonArray: {
      std::string out = "[";
      for (size_t i = 0; i < args.size(); ++i) {
        if (i) out += ',';
        AppendValue(args[i], &out);
      }
      return EvalValue::String(out + "]");
    }
    case EvalFunction::kJsonExtract: return Extract(args);
    case EvalFunction::kJsonKeys: {
      if (args[0].is_null()) return EvalValue::Null();
      std::string json = args[0].ToText();
      simdjson::dom::parser parser;
      simdjson::dom::object object;
      if (parser.parse(json).get(object)) return EvalValue::Null();
      std::string out = "[";
      bool first = true;
      for (auto field : object) {
        if (!first) out += ',';
        first = false;
        AppendString(std::string(field.key), &out);
      }
      return EvalValue::String(out + "]");
    }
    case EvalFunction::kJsonValid: {
      if (args[0].is_null()) return EvalValue::Null();
      simdjson::dom::parser parser;
      return EvalValue::Bool(!parser.parse(args[0].ToText()).error());
    }
    default: return EvalValue::Null();
  }
}

}  // namespace cairn::engine::eval_functions
