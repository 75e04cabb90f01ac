#include "engine/pipeline/aggregation.h"

#include <cmath>
#include <cstdio>
#include <map>

#include "query/value_match.h"

namespace cairn::engine {

using storage::ParseNumber;

std::optional<AggFn> ParseAggFn(std::string_view n) {
  static const std::map<std::string_view, AggFn> kNames = {
      {"count", AggFn::kCount},       {"c", AggFn::kCount},         {"dc", AggFn::kDistinctCount},
      {"distinct_count", AggFn::kDistinctCount},                   {"values", AggFn::kValues},
      {"list", AggFn::kList},         {"min", AggFn::kMin},         {"max", AggFn::kMax},
      {"avg", AggFn::kAvg},           {"mean", AggFn::kAvg},        {"sum", AggFn::kSum},
      {"range", AggFn::kRange},       {"earliest", AggFn::kEarliest}, {"latest", AggFn::kLatest},
      {"first", AggFn::kFirst},       {"last", AggFn::kLast},
  };
  auto it = kNames.find(n);
  if (it == kNames.end()) return std::nullopt;
  return it->second;
}

const char* AggFnName(AggFn fn) {
  switch (fn) {
    case AggFn::kCount: return "count";
    case AggFn::kDistinctCount: return "dc";
    case AggFn::kValues: return "values";
    case AggFn::kList: return "list";
    case AggFn::kMin: return "min";
    case AggFn::kMax: return "max";
    case AggFn::kAvg: return "avg";
    case AggFn::kSum: return "sum";
    case AggFn::kRange: return "range";
    case AggFn::kEarliest: return "earliest";
    case AggFn::kLatest: return "latest";
    case AggFn::kFirst: return "first";
    case AggFn::kLast: return "last";
  }
  return "?";
}

std::optional<double> TextNumber(std::string_view text) { return ParseNumber(text); }

bool OrderDependent(AggFn fn) { return fn == AggFn::kList || fn == AggFn::kFirst || fn == AggFn::kLast; }

std::string FormatNumber(double v) {
  if (std::isnan(v) || std::isinf(v)) return "";
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
    return buf;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

void Feed(AggFn fn, std::string_view value, std::optional<double> number, int64_t time_us, AggState* s) {
  ++s->count;
  switch (fn) {
    case AggFn::kCount:
      return;
    case AggFn::kDistinctCount:
    case AggFn::kValues:
      if (s->distinct.find(value) == s->distinct.end()) s->distinct.emplace(value);
      return;
    case AggFn::kList:
      if (s->list.size() < 100) s->list.emplace_back(value);
      return;
    case AggFn::kMin:
    case AggFn::kMax:
    case AggFn::kRange:
    case AggFn::kAvg:
    case AggFn::kSum:
      if (number) {
        if (s->numbers == 0) s->num_min = s->num_max = *number;
        s->num_min = std::min(s->num_min, *number);
        s->num_max = std::max(s->num_max, *number);
        s->sum += *number;
        ++s->numbers;
      } else if (fn == AggFn::kMin || fn == AggFn::kMax) {
        if (!s->has_text || value < s->text_min) s->text_min = std::string(value);
        if (!s->has_text || value > s->text_max) s->text_max = std::string(value);
        s->has_text = true;
      }
      return;
    case AggFn::kFirst:
    case AggFn::kLast:
      if (!s->has_order) s->first_value = std::string(value);
      s->last_value = std::string(value);
      s->has_order = true;
      return;
    case AggFn::kEarliest:
    case AggFn::kLatest:
      if (!s->has_time || time_us > s->newest_time) {
        s->newest_time = time_us;
        s->newest_value = std::string(value);
      }
      if (!s->has_time || time_us < s->oldest_time) {
        s->oldest_time = time_us;
        s->oldest_value = std::string(value);
      }
      s->has_time = true;
      return;
  }
}

namespace {
FieldCell Number(std::string text) { return FieldCell({std::move(text)}, ValueKind::kNumber); }
}  // namespace

FieldCell Finish(AggFn fn, const AggState& s) {
  switch (fn) {
    case AggFn::kCount:
      return Number(std::to_string(s.count));
    case AggFn::kDistinctCount:
      return Number(std::to_string(s.distinct.size()));
    case AggFn::kValues:
      return FieldCell(s.distinct.begin(), s.distinct.end());
    case AggFn::kList:
      return s.list;
    case AggFn::kMin:
      if (s.numbers) return Number(FormatNumber(s.num_min));
      if (s.has_text) return {s.text_min};
      return {};
    case AggFn::kMax:
      if (s.numbers) return Number(FormatNumber(s.num_max));
      if (s.has_text) return {s.text_max};
      return {};
    case AggFn::kRange:
      if (s.numbers) return Number(FormatNumber(s.num_max - s.num_min));
      return {};
    case AggFn::kAvg:
      if (s.numbers) return Number(FormatNumber(s.sum / static_cast<double>(s.numbers)));
      return {};
    case AggFn::kSum:
      if (s.numbers) return Number(FormatNumber(s.sum));
      return {};
    case AggFn::kEarliest:
      if (s.has_time) return {s.oldest_value};
      return {};
    case AggFn::kLatest:
      if (s.has_time) return {s.newest_value};
      return {};
    case AggFn::kFirst:
      if (s.has_order) return {s.first_value};
      return {};
    case AggFn::kLast:
      if (s.has_order) return {s.last_value};
      return {};
  }
  return {};
}

}  // namespace cairn::engine
