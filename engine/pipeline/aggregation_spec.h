// The aggregation list shared by stats, eventstats and streamstats: parsing
// `count, dc(f) as n, count(eval(x>1)), values(requestParameters.*) as * ... by f1, f2`, and
// feeding records into per-group states (engine/pipeline/aggregation.h holds the functions).
// A field holding `*` (with an output holding `*` too) stands for every field it matches in
// the rows. Stateless functions; plain value types.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/eval/evaluator.h"
#include "engine/pipeline/aggregation.h"
#include "engine/pipeline/command_args.h"
#include "query/ast.h"
#include "query/eval_ast.h"

namespace cairn::engine {

struct Aggregation {
  AggFn fn;
  std::string field;  ///< empty for plain count
  std::string output;
  /// fn(eval(...)): count counts the rows where it is true; the other functions take its value.
  std::shared_ptr<query::EvalExpr> condition;
  double percent = 50;  ///< kPercentile
  std::string name;     ///< the function as the query wrote it (perc95, p99, c): column names use it
  /// sparkline(fn(field)[, span]): fn per time bucket of spark_span_us (0 until the command
  /// picks it from the rows' range), drawn as Unicode blocks from spark_first to spark_last.
  bool sparkline = false;
  int64_t spark_span_us = 0;
  int64_t spark_first = 0, spark_last = -1;  ///< bucket numbers

  AggFunction function() const { return AggFunction{fn, percent}; }
};

/// Reads the aggregations and the by-fields of `node`'s arguments (what is left of them);
/// on a mistake returns false and sets `error`.
/// With `allow_over` (chart), `over X [by Y]` is read too and gives by = {X, Y}.
bool ParseAggregations(const query::CommandNode& node, CommandArgs* args, std::vector<Aggregation>* aggs_out,
                       std::vector<std::string>* by_out, std::optional<query::Diagnostic>* error,
                       bool allow_over = false);

/// True if an aggregation names fields by a wildcard.
bool HasWildcards(const std::vector<Aggregation>& aggs);
/// The aggregations with each wildcard one replaced by one per field of `records` it matches.
std::vector<Aggregation> ExpandWildcards(const std::vector<Aggregation>& aggs, const std::vector<Record>& records);

/// The record's `_time` in microseconds (0 when it has none).
int64_t RecordTimeMicros(const Record& r);
/// Every combination of the record's by-values (one group per multivalue element); empty
/// when the record lacks a by-field.
std::vector<std::vector<std::string>> GroupKeys(const Record& r, const std::vector<std::string>& by);
/// The fields the aggregations and by-fields read (for Command::FieldsRead); nullopt when an
/// eval() in them may read any.
std::optional<std::vector<std::string>> AggregationFields(const std::vector<Aggregation>& aggs,
                                                          const std::vector<std::string>& by);
/// The aggregation's result for a group.
FieldCell FinishAggregation(const Aggregation& a, const AggState& s);
/// Gives every sparkline aggregation without a span one (about 20 buckets over the rows'
/// times) and the bucket range to draw; call before feeding.
void PrepareSparklines(std::vector<Aggregation>* aggs, const std::vector<Record>& records);
/// True when an aggregation is a sparkline (it needs the rows, not the columns).
bool HasSparklines(const std::vector<Aggregation>& aggs);
/// Feeds one record into `states` (one per aggregation).
void FeedRecord(const std::vector<Aggregation>& aggs, const Record& r, int64_t time_us, EvalContext* ec,
                std::vector<AggState>* states);

}  // namespace cairn::engine
