// SegmentEvaluator executes one segment's physical plan (engine/search/segment_planner.h)
// as roaring bitmaps: value lookups and dictionary ranges and scans for field comparisons,
// presence bitmaps, term-index lookups for bare words, bitmap algebra for AND/OR/NOT, and a
// raw-text check for phrases across major breakers and case-sensitive terms, on the rows the
// earlier branches of an AND left. It records each node's rows, time and details in the
// plan for `cairn explain`. One evaluator per segment and thread.
#pragma once

#include <roaring/roaring.hh>
#include <string>
#include <vector>

#include "engine/search/segment_context.h"
#include "engine/search/segment_planner.h"

namespace cairn::engine {

class SegmentEvaluator {
 public:
  /// `universe`: the rows inside the searched time range.
  SegmentEvaluator(SegmentContext* ctx, const Roaring& universe) : ctx_(ctx), universe_(universe) {}

  /// The rows within the time range that `plan` matches.
  storage::Status Eval(PhysicalNode* plan, Roaring* out);

 private:
  /// The rows of `within` that `node` matches: `within` only narrows the work (the rows an
  /// enclosing AND has left), never the meaning.
  storage::Status Eval(PhysicalNode* node, const Roaring& within, Roaring* out);
  storage::Status EvalNode(PhysicalNode& node, const Roaring& within, Roaring* out);
  storage::Status Presence(const std::vector<int>& fields, Roaring* out);
  /// kEvalCheck: the rows of `within` whose computed field satisfies the predicate's child.
  storage::Status EvalCheck(PhysicalNode& node, const Roaring& within, Roaring* out);
  /// f=v, f=a*, f=*a*, f=CIDR on the node's fields.
  storage::Status MatchValues(PhysicalNode& node, Roaring* out);
  /// f<v, f>=v, ...: the numeric index for numbers, text comparison for the rest.
  storage::Status CompareValues(PhysicalNode& node, Roaring* out);
  /// Rows whose raw text holds `token` (folded) as an index term; with `inside_terms`, also
  /// where it lies inside a longer term between minor breakers.
  storage::Status TokenRows(std::string_view token, Roaring* out, bool inside_terms = false);
  /// Rows whose `field` value holds `phrase` (folded) between breakers.
  storage::Status ScanField(int field, std::string_view phrase, Roaring* out);
  /// Rows whose raw text holds a term matching `pattern` (folded, with '*').
  storage::Status WildcardTermRows(std::string_view pattern, Roaring* out);
  /// f matches a regular expression: each dictionary value of the node's fields matched.
  storage::Status RegexValues(PhysicalNode& node, Roaring* out);
  /// Sigma's field reference and object text: the candidates within `within` holding the
  /// node's fields, each raw event's JSON read and checked.
  storage::Status RawFieldCheck(PhysicalNode& node, const Roaring& within, Roaring* out);
  /// A phrase: candidates from its parts' terms within `within`, then the raw-text rule.
  storage::Status RawPhrase(PhysicalNode& node, const Roaring& within, Roaring* out);

  SegmentContext* ctx_;
  const Roaring& universe_;
};

}  // namespace cairn::engine
