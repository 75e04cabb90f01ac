// Multivalue functions: split, mvindex, mvcount, mvjoin, mvappend, mvdedup, mvzip (pairs
// joined by a delimiter, default ","; as long as the shorter), mvsort (lexicographic),
// mvrange(start, end[, step]) (end excluded; at most kMvrangeMaxValues values). A single
// value counts as a multivalue of one; results of one value are single values again.
#include <algorithm>
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

constexpr size_t kMvrangeMaxValues = 10000;

EvalValue MvRange(const Args& args) {
  std::optional<double> start = args[0].ToNumber(), end = args[1].ToNumber();
  std::optional<double> step = args.size() > 2 ? args[2].ToNumber() : std::optional<double>(1);
  if (!start || !end || !step || *step == 0) return EvalValue::Null();
  std::vector<std::string> out;
  for (double x = *start; (*step > 0 ? x < *end : x > *end) && out.size() < kMvrangeMaxValues; x += *step)
    out.push_back(FormatEvalNumber(x));
  return EvalValue::FromValues(std::move(out));
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
    case EvalFunction::kMvzip: {
      if (args[0].is_null() || args[1].is_null()) return EvalValue::Null();
      std::string delimiter = args.size() > 2 ? args[2].ToText() : ",";
      std::vector<std::string> a = args[0].ToValues(), b = args[1].ToValues(), out;
      for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) out.push_back(a[i] + delimiter + b[i]);
      return EvalValue::FromValues(std::move(out));
    }
    case EvalFunction::kMvsort: {
      std::vector<std::string> values = args[0].ToValues();
      std::sort(values.begin(), values.end());
      return EvalValue::FromValues(std::move(values));
    }
    case EvalFunction::kMvrange: return MvRange(args);
    default: return EvalValue::Null();
  }
}

}  // namespace cairn::engine::eval_functions
