// Pivot: the table chart and timechart make — one row per x value (a time bucket, or a value
// of chart's `over` field), one column per aggregation and series (a value of the `by`
// field) — with Splunk's rules for the series: the `limit` series with the largest sums are
// kept (ties in lexicographic order), the rest are added up in OTHER (useother), records
// lacking the by-field go to NULL (usenull), and an empty count or dc cell is 0. Columns:
// the kept series in lexicographic order, then NULL, then OTHER; with several aggregations
// a column is named "<agg><sep><series>" (or by format=, "$AGG$" and "$VAL$"). Used by one
// command at a time; not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/eval/evaluator.h"
#include "engine/pipeline/aggregation_spec.h"
#include "engine/pipeline/command_args.h"
#include "engine/pipeline/command_spec.h"
#include "engine/pipeline/record.h"

namespace cairn::engine {

struct PivotOptions {
  uint64_t limit = 10;     ///< series kept; 0 keeps them all
  bool keep_bottom = false;  ///< limit=bottomN: the smallest sums instead of the largest
  bool useother = true;
  bool usenull = true;
  std::string otherstr = "OTHER";
  std::string nullstr = "NULL";
  std::string sep = ": ";
  std::string format;      ///< e.g. "$VAL$-$AGG$"; "" = <agg><sep><series>
};

/// The options chart and timechart share, as command_spec options.
std::vector<OptionSpec> PivotOptionSpecs();
/// Reads them from the command's arguments; a bad limit= sets `error`.
bool ReadPivotOptions(const CommandArgs& args, const query::CommandNode& node, PivotOptions* out,
                      std::optional<query::Diagnostic>* error);

/// timechart's by-clause: one field, optionally `where <agg> in topN|bottomN` (which sets the
/// limit); more is a diagnostic.
bool ReadSplitClause(const query::CommandNode& node, const std::vector<std::string>& by, std::string* split,
                     PivotOptions* options, std::optional<query::Diagnostic>* error);

/// The internal series names of records lacking the by-field and of the rest.
const std::string& PivotNullKey();
const std::string& PivotOtherKey();
/// Picks the series to keep from their totals: `kept` gets them in column order (NULL last);
/// `has_other` says whether some were left for OTHER.
void SelectSeries(std::vector<std::pair<double, std::string>> totals, const PivotOptions& options, bool has_split,
                  std::vector<std::string>* kept, bool* has_other);
/// The column of aggregation `a` (one of `aggregations`) for `series`.
std::string PivotColumnName(const Aggregation& a, size_t aggregations, const std::string& series, bool has_split,
                            const PivotOptions& options);

class PivotTable {
 public:
  /// `split` is the by-field ("" for none).
  PivotTable(std::vector<Aggregation> aggs, std::string split, PivotOptions options);

  /// Pass 1: feeds a record into the cell (x, its series).
  void Add(const std::string& x, const Record& r, int64_t time_us, EvalContext* ec);
  /// After pass 1: picks the series to keep. True when a pass 2 (AddOther) is needed.
  bool ChooseSeries();
  /// Pass 2: feeds a record whose series was not kept into (x, OTHER).
  void AddOther(const std::string& x, const Record& r, int64_t time_us, EvalContext* ec);
  /// Rows in `x_order` (x values never fed give empty rows); the x column is `x_name` with
  /// cells of kind `x_kind`. `columns` gets the column order.
  std::vector<Record> Output(const std::vector<std::string>& x_order, const std::string& x_name, ValueKind x_kind,
                             std::vector<std::string>* columns) const;
  /// Every x value fed.
  std::vector<std::string> XValues() const;

 private:
  std::vector<std::string> SeriesOf(const Record& r) const;
  std::string ColumnName(const Aggregation& a, const std::string& series) const;
  std::vector<AggState>& Cell(const std::string& x, const std::string& series);

  std::vector<Aggregation> aggs_;
  std::string split_;
  PivotOptions options_;
  std::map<std::string, std::map<std::string, std::vector<AggState>>> cells_;  ///< x → series → states
  std::set<std::string> all_series_;
  std::vector<std::string> kept_;  ///< in column order, NULL last
  std::set<std::string> kept_set_;
  bool has_other_ = false;
};

}  // namespace cairn::engine
