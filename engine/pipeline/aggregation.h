// Aggregation functions of stats (and top/rare): the state one group keeps per function,
// how a value is fed in, and how the result is written. Values arrive as text; numeric
// functions use the values that parse as numbers. first/last follow Splunk's search order
// (newest first): first is the value of the first event stats sees, last of the last one;
// earliest and latest go by _time. Plain value types.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/pipeline/record.h"

namespace cairn::engine {

enum class AggFn { kCount, kDistinctCount, kValues, kList, kMin, kMax, kAvg, kSum, kRange, kEarliest, kLatest,
                   kFirst, kLast };

/// Parses a function name (count, c, dc, distinct_count, values, list, min, max, avg, mean,
/// sum, range, earliest, latest, first, last).
std::optional<AggFn> ParseAggFn(std::string_view name);
const char* AggFnName(AggFn fn);

struct AggState {
  uint64_t count = 0;
  double sum = 0;
  uint64_t numbers = 0;
  double num_min = 0, num_max = 0;
  bool has_text = false;
  std::string text_min, text_max;
  std::set<std::string, std::less<>> distinct;
  std::vector<std::string> list;
  bool has_time = false;
  int64_t newest_time = 0, oldest_time = 0;
  std::string newest_value, oldest_value;
  bool has_order = false;
  std::string first_value, last_value;  ///< first and last fed, in the order stats sees them
};

/// True for functions whose result depends on the order values arrive in (list, first, last).
bool OrderDependent(AggFn fn);

/// Feeds one value seen in an event at `time_us`; `number` is its numeric value if any.
void Feed(AggFn fn, std::string_view value, std::optional<double> number, int64_t time_us, AggState* state);
/// The function's result for the group (empty cell when there is none).
FieldCell Finish(AggFn fn, const AggState& state);

/// Formats a number the way results show it: integers without a fraction.
std::string FormatNumber(double v);
/// The value as a number when the whole text is one.
std::optional<double> TextNumber(std::string_view text);

}  // namespace cairn::engine
