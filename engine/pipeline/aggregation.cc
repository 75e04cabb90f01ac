#include "engine/pipeline/aggregation.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "query/value_match.h"

namespace cairn::engine {

using storage::ParseNumber;

std::optional<AggFunction> ParseAggFn(std::string_view n) {
  static const std::map<std::string_view, AggFn> kNames = {
      {"count", AggFn::kCount},
      {"c", AggFn::kCount},
      {"dc", AggFn::kDistinctCount},
      {"distinct_count", AggFn::kDistinctCount},
      {"estdc", AggFn::kDistinctCount},
      {"values", AggFn::kValues},
      {"list", AggFn::kList},
      {"min", AggFn::kMin},
      {"max", AggFn::kMax},
      {"avg", AggFn::kAvg},
      {"mean", AggFn::kAvg},
      {"sum", AggFn::kSum},
      {"sumsq", AggFn::kSumsq},
      {"range", AggFn::kRange},
      {"stdev", AggFn::kStdev},
      {"stdevp", AggFn::kStdevp},
      {"var", AggFn::kVar},
      {"varp", AggFn::kVarp},
      {"median", AggFn::kMedian},
      {"mode", AggFn::kMode},
      {"earliest", AggFn::kEarliest},
      {"latest", AggFn::kLatest},
      {"earliest_time", AggFn::kEarliestTime},
      {"latest_time", AggFn::kLatestTime},
      {"rate", AggFn::kRate},
      {"first", AggFn::kFirst},
      {"last", AggFn::kLast},
  };
  if (auto it = kNames.find(n); it != kNames.end()) return AggFunction{it->second};
  for (std::string_view prefix : {"exactperc", "upperperc", "perc", "p"}) {
    if (n.size() <= prefix.size() || n.substr(0, prefix.size()) != prefix) continue;
    std::string_view digits = n.substr(prefix.size());
    auto percent = ParseNumber(digits);
    if (!percent || *percent < 0 || *percent > 100 || digits.find_first_not_of("0123456789.") != std::string_view::npos)
      return std::nullopt;
    return AggFunction{AggFn::kPercentile, *percent};
  }
  return std::nullopt;
}

const char* AggFnList() {
  return "count, dc, estdc, values, list, min, max, avg, sum, sumsq, range, stdev, stdevp, var, varp, median, mode, "
         "perc<N>, exactperc<N>, upperperc<N>, earliest, latest, earliest_time, latest_time, rate, first or last";
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
    case AggFn::kStdev: return "stdev";
    case AggFn::kStdevp: return "stdevp";
    case AggFn::kVar: return "var";
    case AggFn::kVarp: return "varp";
    case AggFn::kSumsq: return "sumsq";
    case AggFn::kMedian: return "median";
    case AggFn::kPercentile: return "perc";
    case AggFn::kMode: return "mode";
    case AggFn::kEarliestTime: return "earliest_time";
    case AggFn::kLatestTime: return "latest_time";
    case AggFn::kRate: return "rate";
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

bool NumericFunction(AggFn fn) {
  switch (fn) {
    case AggFn::kAvg: case AggFn::kSum: case AggFn::kSumsq: case AggFn::kRange: case AggFn::kStdev:
    case AggFn::kStdevp: case AggFn::kVar: case AggFn::kVarp: case AggFn::kMedian: case AggFn::kPercentile:
    case AggFn::kRate:
      return true;
    default:
      return false;
  }
}

AggState& AggState::operator=(const AggState& other) {
  if (this == &other) return *this;
  count = other.count;
  sum = other.sum;
  numbers = other.numbers;
  num_min = other.num_min;
  num_max = other.num_max;
  mean = other.mean;
  m2 = other.m2;
  sum_squares = other.sum_squares;
  newest_time = other.newest_time;
  oldest_time = other.oldest_time;
  has_text = other.has_text;
  has_time = other.has_time;
  has_order = other.has_order;
  non_numeric = other.non_numeric;
  buckets = other.buckets;
  texts_ = other.texts_ ? std::make_unique<AggTexts>(*other.texts_) : nullptr;
  return *this;
}

const AggTexts& AggState::texts() const {
  static const AggTexts kNone;
  return texts_ ? *texts_ : kNone;
}

void Feed(AggFn fn, std::string_view value, std::optional<double> number, int64_t time_us, AggState* s) {
  ++s->count;
  if (!number) s->non_numeric = true;
  switch (fn) {
    case AggFn::kCount:
      return;
    case AggFn::kDistinctCount:
    case AggFn::kValues:
      if (s->texts().distinct.find(value) == s->texts().distinct.end()) s->texts().distinct.emplace(value);
      return;
    case AggFn::kList:
      if (s->texts().list.size() < 100) s->texts().list.emplace_back(value);
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
        if (!s->has_text || value < s->texts().text_min) s->texts().text_min = std::string(value);
        if (!s->has_text || value > s->texts().text_max) s->texts().text_max = std::string(value);
        s->has_text = true;
      }
      return;
    case AggFn::kFirst:
    case AggFn::kLast:
      if (!s->has_order) s->texts().first_value = std::string(value);
      s->texts().last_value = std::string(value);
      s->has_order = true;
      return;
    case AggFn::kStdev:
    case AggFn::kStdevp:
    case AggFn::kVar:
    case AggFn::kVarp:
    case AggFn::kSumsq:
      if (number) {
        ++s->numbers;
        double delta = *number - s->mean;
        s->mean += delta / static_cast<double>(s->numbers);
        s->m2 += delta * (*number - s->mean);
        s->sum_squares += *number * *number;
      }
      return;
    case AggFn::kMedian:
    case AggFn::kPercentile:
      if (number) s->texts().samples.push_back(*number);
      return;
    case AggFn::kMode: {
      auto& occurrences = s->texts().occurrences;
      auto it = occurrences.find(value);
      if (it == occurrences.end())
        occurrences.emplace(std::string(value), std::make_pair(1, s->count));
      else ++it->second.first;
      return;
    }
    case AggFn::kRate:
      if (!number) return;
      [[fallthrough]];
    case AggFn::kEarliest:
    case AggFn::kLatest:
    case AggFn::kEarliestTime:
    case AggFn::kLatestTime:
      if (!s->has_time || time_us > s->newest_time) {
        s->newest_time = time_us;
        s->texts().newest_value = std::string(value);
      }
      if (!s->has_time || time_us < s->oldest_time) {
        s->oldest_time = time_us;
        s->texts().oldest_value = std::string(value);
      }
      s->has_time = true;
      return;
  }
}

namespace {
FieldCell Number(std::string text) { return FieldCell({std::move(text)}, ValueKind::kNumber); }
FieldCell Number(double v) { return Number(FormatNumber(v)); }

// The p-th percentile by linear interpolation between the closest ranks (Splunk's documented
// example: perc50 of 1..10 is 5.5, perc95 is 9.55).
double Percentile(std::vector<double> v, double percent) {
  std::sort(v.begin(), v.end());
  double rank = percent / 100.0 * static_cast<double>(v.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(rank));
  size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (rank - static_cast<double>(lo)) * (v[hi] - v[lo]);
}
}  // namespace

FieldCell Finish(const AggFunction& function, const AggState& s) {
  const AggTexts& t = s.texts();
  switch (function.fn) {
    case AggFn::kCount:
      return Number(std::to_string(s.count));
    case AggFn::kDistinctCount:
      return Number(std::to_string(t.distinct.size()));
    case AggFn::kValues:
      return FieldCell(t.distinct.begin(), t.distinct.end());
    case AggFn::kList:
      return t.list;
    case AggFn::kMin:
      if (s.numbers) return Number(FormatNumber(s.num_min));
      if (s.has_text) return {t.text_min};
      return {};
    case AggFn::kMax:
      if (s.numbers) return Number(FormatNumber(s.num_max));
      if (s.has_text) return {t.text_max};
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
      if (s.has_time) return {t.oldest_value};
      return {};
    case AggFn::kLatest:
      if (s.has_time) return {t.newest_value};
      return {};
    case AggFn::kFirst:
      if (s.has_order) return {t.first_value};
      return {};
    case AggFn::kLast:
      if (s.has_order) return {t.last_value};
      return {};
    case AggFn::kStdev:
    case AggFn::kVar: {
      if (s.numbers == 0) return {};
      double var = s.numbers > 1 ? s.m2 / static_cast<double>(s.numbers - 1) : 0;
      return Number(function.fn == AggFn::kVar ? var : std::sqrt(var));
    }
    case AggFn::kStdevp:
    case AggFn::kVarp: {
      if (s.numbers == 0) return {};
      double var = s.m2 / static_cast<double>(s.numbers);
      return Number(function.fn == AggFn::kVarp ? var : std::sqrt(var));
    }
    case AggFn::kSumsq:
      if (s.numbers) return Number(s.sum_squares);
      return {};
    case AggFn::kMedian: {
      if (t.samples.empty()) return {};
      std::vector<double> v = t.samples;
      auto middle = v.begin() + static_cast<long>(v.size() / 2);
      std::nth_element(v.begin(), middle, v.end());
      return Number(*middle);
    }
    case AggFn::kPercentile:
      if (t.samples.empty()) return {};
      return Number(Percentile(t.samples, function.percent));
    case AggFn::kMode: {
      const std::string* best = nullptr;
      std::pair<uint64_t, uint64_t> best_seen{0, 0};
      for (const auto& [value, seen] : t.occurrences) {
        if (best == nullptr || seen.first > best_seen.first ||
            (seen.first == best_seen.first && seen.second < best_seen.second)) {
          best = &value;
          best_seen = seen;
        }
      }
      if (best == nullptr) return {};
      return {*best};
    }
    case AggFn::kEarliestTime:
      if (s.has_time) return Number(static_cast<double>(s.oldest_time) / 1e6);
      return {};
    case AggFn::kLatestTime:
      if (s.has_time) return Number(static_cast<double>(s.newest_time) / 1e6);
      return {};
    case AggFn::kRate: {
      if (!s.has_time || s.newest_time == s.oldest_time) return {};
      auto newest = TextNumber(t.newest_value), oldest = TextNumber(t.oldest_value);
      if (!newest || !oldest) return {};
      return Number((*newest - *oldest) / (static_cast<double>(s.newest_time - s.oldest_time) / 1e6));
    }
  }
  return {};
}

}  // namespace cairn::engine
