// Aggregation functions of stats (and top/rare): the state one group keeps per function,
// how a value is fed in, and how the result is written. Values arrive as text; numeric
// functions use the values that parse as numbers. first/last follow Splunk's search order
// (newest first): first is the value of the first event stats sees, last of the last one;
// earliest and latest go by _time. median and the percentiles keep every numeric value of
// the group (exact, not Splunk's approximation); mode keeps a count per distinct value.
// Plain value types.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/pipeline/record.h"

namespace cairn::engine {

enum class AggFn { kCount, kDistinctCount, kValues, kList, kMin, kMax, kAvg, kSum, kRange, kEarliest, kLatest,
                   kFirst, kLast, kStdev, kStdevp, kVar, kVarp, kSumsq, kMedian, kPercentile, kMode,
                   kEarliestTime, kLatestTime, kRate };

/// A function as the query names it: perc95, p99.9, exactperc50 and upperperc75 are
/// kPercentile with their percent.
struct AggFunction {
  AggFn fn;
  double percent = 50;
};

/// Parses a function name (count, c, dc, distinct_count, estdc, values, list, min, max, avg,
/// mean, sum, sumsq, range, stdev, stdevp, var, varp, median, mode, perc<N>, p<N>,
/// exactperc<N>, upperperc<N>, earliest, latest, earliest_time, latest_time, rate, first, last).
std::optional<AggFunction> ParseAggFn(std::string_view name);
const char* AggFnName(AggFn fn);
/// The names ParseAggFn takes, for messages.
const char* AggFnList();

/// What the functions that keep text, sets or samples need (values, dc, list, min/max of
/// text, first/last, earliest/latest, mode, median, percentiles): made on the first value
/// such a function is fed, so that a group of count, sum or avg is a few numbers.
struct AggTexts {
  std::string text_min, text_max;
  std::set<std::string, std::less<>> distinct;
  std::vector<std::string> list;
  std::string newest_value, oldest_value;
  std::string first_value, last_value;  ///< first and last fed, in the order stats sees them
  std::vector<double> samples;          ///< every number, for median and the percentiles
  /// mode: per distinct value its count and when it was first seen
  std::map<std::string, std::pair<uint64_t, uint64_t>, std::less<>> occurrences;
};

/// One function's state for one group. About 100 bytes while it holds only numbers
/// (stats count by a field of a million distinct values keeps a million of them).
struct AggState {
  uint64_t count = 0;
  double sum = 0;
  uint64_t numbers = 0;
  double num_min = 0, num_max = 0;
  double mean = 0, m2 = 0;  ///< Welford's running mean and sum of squared deviations
  double sum_squares = 0;
  int64_t newest_time = 0, oldest_time = 0;
  bool has_text = false;
  bool has_time = false;
  bool has_order = false;
  bool non_numeric = false;  ///< some value fed was not a number (allnum=true)
  /// sparkline(): the state of each time bucket (by bucket number)
  std::shared_ptr<std::map<int64_t, AggState>> buckets;

  AggState() = default;
  AggState(const AggState& other) { *this = other; }
  AggState(AggState&&) noexcept = default;
  AggState& operator=(const AggState& other);
  AggState& operator=(AggState&&) noexcept = default;

  /// The text state, made on first use.
  AggTexts& texts() {
    if (!texts_) texts_ = std::make_unique<AggTexts>();
    return *texts_;
  }
  /// The text state, or an empty one when nothing made it.
  const AggTexts& texts() const;

 private:
  std::unique_ptr<AggTexts> texts_;
};

/// True for the numeric statistics allnum=true voids when a value is not a number (avg, sum,
/// sumsq, range, stdev, stdevp, var, varp, median, percentiles, rate).
bool NumericFunction(AggFn fn);
/// True for functions whose result depends on the order values arrive in (list, first, last).
bool OrderDependent(AggFn fn);

/// Feeds one value seen in an event at `time_us`; `number` is its numeric value if any.
void Feed(AggFn fn, std::string_view value, std::optional<double> number, int64_t time_us, AggState* state);
/// The function's result for the group (empty cell when there is none).
FieldCell Finish(const AggFunction& fn, const AggState& state);
inline FieldCell Finish(AggFn fn, const AggState& state) { return Finish(AggFunction{fn}, state); }

/// Formats a number the way results show it: integers without a fraction.
std::string FormatNumber(double v);
/// The value as a number when the whole text is one.
std::optional<double> TextNumber(std::string_view text);

}  // namespace cairn::engine
