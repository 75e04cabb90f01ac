// The logical plan of a query: what the binder (query/binder.h) makes of the AST once per
// query, free of segment details. Field names are resolved against the index's schema,
// values folded and typed (numbers, CIDR blocks, wildcard patterns, phrase parts), the time
// range fixed. Each segment's physical plan (engine/search/segment_planner.h), a ClickHouse
// backend or a Sigma rule work from this, not from query text. Plain owned trees.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "query/ast.h"
#include "query/value_match.h"

namespace cairn::query {

/// What a predicate of the search asks of an event.
enum class PredicateKind {
  kAnd,             ///< every child
  kOr,              ///< any child
  kNot,             ///< not the one child
  kAll,             ///< every event (`*`)
  kNone,            ///< no event (a term made only of breakers)
  kToken,           ///< a term without breakers: one token of the raw text
  kTokenInside,     ///< minor breakers only (`jeff.harrison`): inside one index term
  kTokenPattern,    ///< a term with `*`: matches one index term as a whole
  kWholeTerm,       ///< TERM(x): one whole major segment
  kPhrase,          ///< major breakers or CASE(): the raw text, as a sequence of tokens
  kFieldPresent,    ///< f=*
  kFieldNever,      ///< f!=* (never true)
  kFieldEquals,     ///< f=v: a value equal to v (folded unless case-sensitive)
  kFieldPattern,    ///< f=a*b: a value matching the pattern
  kFieldCidr,       ///< f=10.0.0.0/8: an address inside the block
  kFieldCompare,    ///< f<v, f>=v, ...: numeric when both are numbers, else lexical
  kFieldNotEquals,  ///< f!=v: present, and the one child (the match of v) false
  kFieldRegex,      ///< a value matching the PCRE2 pattern `value` (case-sensitive unless (?i))
  kFieldRef,        ///< a value equal (folded) to a value of the field `value`: each raw event read
  kObjectText,      ///< the compact JSON text of object `field` matches the pattern: raw events read
  kEvalMatch,  ///< calculated field `eval->field` satisfies children[0] (bound without a schema): fields read
};

struct Predicate {
  PredicateKind kind = PredicateKind::kAll;
  std::vector<std::unique_ptr<Predicate>> children;
  Span span;         ///< the query text it came from
  std::string text;  ///< that text, for explain

  // Terms and field values.
  std::string value;               ///< as written (unescaped)
  std::string folded;              ///< case-folded value (kFieldEquals/Pattern, terms)
  bool case_sensitive = false;     ///< CASE(...)
  std::vector<std::string> parts;  ///< kPhrase, kTokenInside: folded parts between breakers
  std::optional<Cidr> cidr;        ///< kFieldCidr
  CompareOp op = CompareOp::kEq;   ///< kFieldCompare
  std::optional<double> number;    ///< kFieldCompare: the value as a number, if it is one

  // Field predicates.
  std::string field;                       ///< the name as written
  std::vector<std::string> fields;         ///< the index's fields it denotes (`a.b` finds `a{}.b` too)
  std::vector<std::string> other_fields;   ///< kFieldRef: the fields `value` denotes
  std::shared_ptr<const SearchEval> eval;  ///< kEvalMatch
};

/// The events' time range: earliest inclusive, latest exclusive, in µs; none = unbounded.
struct TimeRange {
  std::optional<int64_t> earliest_us;
  std::optional<int64_t> latest_us;
};

struct LogicalPlan {
  std::unique_ptr<Predicate> search;  ///< null: every event in the range
  TimeRange range;
  std::vector<Diagnostic> warnings;  ///< unknown fields, with the closest names
};

/// True for the predicates answered by reading raw text (kPhrase, kFieldRef, kObjectText),
/// anywhere below `p`.
bool ReadsRawText(const Predicate& p);

/// The plan as `cairn explain` prints it: one line per predicate, indented by depth.
std::string DescribePlan(const LogicalPlan& plan);

}  // namespace cairn::query
