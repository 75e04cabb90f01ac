// SegmentEvaluator computes the rows of one segment that a search expression matches,
// as roaring bitmaps: value lookups and dictionary range scans for field comparisons,
// term-index lookups for bare words, bitmap algebra for AND/OR/NOT, and a raw-text check
// for phrases across major breakers and case-sensitive terms, on the rows the other
// branches of an AND have left. It records per-node cardinality, time and
// method for `cairn explain`. One evaluator per segment and thread.
#pragma once

#include <roaring/roaring.hh>
#include <string>
#include <unordered_map>

#include "engine/search/segment_context.h"
#include "query/ast.h"

namespace cairn::engine {

struct NodeStats {
  uint64_t rows = 0;
  uint64_t nanos = 0;
  std::string method;  ///< how the node was answered, e.g. "dictionary range, 12 values"
};
using PlanStats = std::unordered_map<const query::SearchNode*, NodeStats>;

class SegmentEvaluator {
 public:
  /// `universe`: the rows inside the searched time range.
  SegmentEvaluator(SegmentContext* ctx, const Roaring& universe, PlanStats* stats)
      : ctx_(ctx), universe_(universe), stats_(stats) {}

  /// The rows within the time range that `node` matches.
  storage::Status Eval(const query::SearchNode& node, Roaring* out);

 private:
  /// The rows of `within` that `node` matches: `within` only narrows the work (the rows an
  /// enclosing AND has left), never the meaning.
  storage::Status Eval(const query::SearchNode& node, const Roaring& within, Roaring* out);
  storage::Status EvalNode(const query::SearchNode& node, const Roaring& within, Roaring* out, std::string* method);
  storage::Status Compare(const query::SearchNode& node, const std::string& value, Roaring* out,
                          std::string* method);
  storage::Status Equal(const std::vector<int>& fields, const std::string& value, bool case_sensitive, Roaring* out,
                        std::string* method);
  storage::Status Presence(const std::vector<int>& fields, Roaring* out);
  storage::Status Term(const query::SearchNode& node, const Roaring& within, Roaring* out, std::string* method);
  /// Rows whose raw text holds `token` (folded) as an index term; with `inside_terms`, also
  /// where it lies inside a longer term between minor breakers.
  storage::Status TokenRows(std::string_view token, Roaring* out, bool inside_terms = false);
  /// Rows whose `field` value holds `phrase` (folded) between breakers.
  storage::Status ScanField(int field, std::string_view phrase, Roaring* out);
  /// Rows whose raw text holds a term matching `pattern` (folded, with '*').
  storage::Status WildcardTermRows(std::string_view pattern, Roaring* out);

  SegmentContext* ctx_;
  const Roaring& universe_;
  PlanStats* stats_;
};

}  // namespace cairn::engine
