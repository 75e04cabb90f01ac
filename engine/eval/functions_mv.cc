// Multivalue functions: split, mvindex, mvcount, mvjoin, mvappend, mvdedup. A single value
// counts as a multivalue of one; results of one value are single values again.
#include <cmath>
#include <unordered_set>

#include "engine/eval/functions.h"

namespace cairn::engine::eval_functions {

namespace {

using query::EvalFunction;

// split(s, delimiter): an empty delimiter splits into UTF-8 characters.
EvalValue Split(const Args& args) {
  if (args[0].is_null() || args[0].is_multi() || args[1].is_null()) return EvalValue::Null();
  std::string s = args[0].ToText(), delimiter = args[1].ToText();
  std::vector<std::string> parts;
  if (delimiter.empty()) {
    for (size_t i = 0; i < s.size();) {
      size_t next = i + 1;
      while (next < s.size() && (static_cast<unsigned char>(s[next]) & 0xC0) == 0x80) ++next;
      parts.push_back(s.substr(i, next - i));
      i = next;
    }
    return EvalValue::FromValues(std::move(parts));
  }
  size_t start = 0;
  for (size_t hit; (hit = s.find(delimiter, start)) != std::string::npos; start = hit + delimiter.size())
    parts.push_back(s.substr(start, hit - start));
  parts.push_back(s.substr(start));
  return EvalValue::FromValues(std::move(parts));
}

// mvindex(mv, start[, end]): 0-based, negative counts from the end, `end` inclusive.
EvalValue MvIndex(const Args& args) {
  std::vector<std::string> values = args[0].ToValues();
  std::optional<double> start = args[1].ToNumber();
  std::optional<double> end = args.size() > 2 ? args[2].ToNumber() : start;
  if (values.empty() || !start || !end) return EvalValue::Null();
  const int64_t n = static_cast<int64_t>(values.size());
  int64_t first = static_cast<int64_t>(std::trunc(*start)), last = static_cast<int64_t>(std::trunc(*end));
  if (first < 0) first += n;
  if (last < 0) last += n;
  if (first < 0 || first >= n || last < first) return EvalValue::Null();
  if (last >= n) last = n - 1;
  return EvalValue::FromValues(std::vector<std::string>(values.begin() + first, values.begin() + last + 1));
}

}  // namespace

EvalValue CallMultivalue(EvalFunction fn, const Args& args) {
  switch (fn) {
    case EvalFunction::kSplit: return Split(args);
    case EvalFunction::kMvindex: return MvIndex(args);
    case EvalFunction::kMvcount:
      if (args[0].is_null()) return EvalValue::Null();
      return EvalValue::Number(static_cast<double>(args[0].is_multi() ? args[0].values.size() : 1));
    case EvalFunction::kMvjoin: {
      if (args[0].is_null() || args[1].is_null()) return EvalValue::Null();
      std::string delimiter = args[1].ToText(), out;
      std::vector<std::string> values = args[0].ToValues();
      for (size_t i = 0; i < values.size(); ++i) out += (i ? delimiter : "") + values[i];
      return EvalValue::String(std::move(out));
    }
    case EvalFunction::kMvappend: {
      std::vector<std::string> out;
      for (const auto& a : args)
        for (auto& v : a.ToValues()) out.push_back(std::move(v));
      return EvalValue::FromValues(std::move(out));
    }
    case EvalFunction::kMvdedup: {
      std::vector<std::string> out;
      std::unordered_set<std::string> seen;
      for (auto& v : args[0].ToValues())
        if (seen.insert(v).second) out.push_back(std::move(v));
      return EvalValue::FromValues(std::move(out));
    }
    default: return EvalValue::Null();
  }
}

}  // namespace cairn::engine::eval_functions
