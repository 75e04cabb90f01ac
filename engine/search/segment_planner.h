// The physical plan of a search on one segment, made from the logical plan and the
// segment's statistics before anything runs: for each predicate the access method (value
// lookup, prefix range, dictionary scan, numeric range, presence bitmap, term index, raw-text
// check) and the fields it reads, an upper bound on the rows it can match, and for each AND
// the order its branches run in (those that can match nothing first, raw-text checks last,
// each branch seeing only the rows the earlier ones left). The order changes the cost, never
// the answer.
// SegmentEvaluator executes it. One plan per segment and query; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/search/segment_context.h"
#include "query/logical_plan.h"

namespace cairn::engine {

enum class Access {
  kAll,            ///< every row in range
  kNone,           ///< no row
  kIntersect,      ///< AND of the children, in order
  kUnion,          ///< OR of the children
  kComplement,     ///< NOT: the candidates minus the child
  kPresence,       ///< presence bitmaps of the fields
  kPresenceMinus,  ///< f!=v: presence minus the child
  kValueLookup,    ///< binary search in the sorted dictionary
  kPrefixRange,    ///< a dictionary range of a prefix (f=abc*)
  kPatternScan,    ///< prefix range (or whole dictionary), each value matched to the pattern
  kCidrScan,       ///< each dictionary value tested against the block
  kNumericRange,   ///< a range of the dictionary's numeric index, the rest compared as text
  kLexicalScan,    ///< each dictionary value compared (no numeric index, or a text bound)
  kTermLookup,     ///< the term index (and the high-cardinality fields' dictionaries)
  kTermInside,     ///< the term dictionary scanned for the text inside a term
  kTermPattern,    ///< index terms matched to the pattern
  kRawCheck,       ///< candidates from the parts' terms, then each raw event checked
  kRegexScan,      ///< each dictionary value matched to the regular expression
  kRawFieldCheck,  ///< candidates from the fields' presence, then each raw event's JSON read
  kEvalCheck,      ///< each candidate's fields decoded and a calculated field computed
};

struct PhysicalNode {
  const query::Predicate* predicate = nullptr;
  Access access = Access::kAll;
  std::vector<int> fields;             ///< the segment's fields read (field predicates)
  std::vector<PhysicalNode> children;  ///< kIntersect: in the order they run
  /// At most this many rows match, from the segment's statistics (rows, fields' presence).
  uint64_t estimate = 0;
  // Filled when the plan runs, for explain:
  bool ran = false;   ///< false when an earlier AND branch left no rows
  uint64_t rows = 0;  ///< rows matched (within the candidates it was given)
  uint64_t nanos = 0;
  std::string detail;  ///< e.g. "12 values", "409 candidates"
};

/// Plans `predicate` on `segment`.
PhysicalNode PlanSegment(const query::Predicate& predicate, SegmentContext& segment);

/// One line per node, indented: access, fields, estimate and (once run) rows and time.
std::string DescribePhysicalPlan(const PhysicalNode& plan, int depth);

}  // namespace cairn::engine
