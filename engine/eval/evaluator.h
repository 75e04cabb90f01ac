// Evaluate computes an eval expression (query/eval_ast.h) over one record, with Splunk's
// semantics. Fields: missing → null; one value → FromData (numeric text is a number that
// keeps its text); several → multivalue. Null propagates through arithmetic, `.` and most
// functions; x/0 and x%0 are null. `+` adds two numbers or joins two strings; mixed → null.
// `.` joins the text of numbers and strings. Comparisons (= == != < <= > >=) are numeric
// when both sides are numbers, else case-sensitive byte-wise on the text; a multivalue side
// is true if any value satisfies it. Logic is three-valued: a comparison with null is null,
// NOT null is null, null AND false is false, null OR true is true; `where` keeps only true.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include <cstdint>
#include <optional>

#include "engine/eval/eval_value.h"
#include "engine/eval/regex_cache.h"
#include "engine/pipeline/record.h"
#include "query/diagnostic.h"
#include "query/eval_ast.h"
#include "query/logical_plan.h"

namespace cairn::engine {

/// What one evaluating thread shares across the rows of a query. Not thread-safe.
struct EvalContext {
  int64_t now_us = 0;  ///< what now() returns and relative_time() resolves against
  RegexCache regexes;
  /// searchmatch(): each search text bound once (null when it does not parse).
  std::unordered_map<std::string, std::shared_ptr<query::Predicate>> searches;
  /// The first runtime error (an invalid regular expression), with the span of the argument
  /// that caused it; evaluation goes on and yields null where it happened.
  std::optional<query::Diagnostic> error;
};

/// Adds the fields `expr` reads to `fields`; false when it may read any (searchmatch).
bool CollectEvalFields(const query::EvalExpr& expr, std::vector<std::string>* fields);

/// The value of `expr` for `record`; `ctx` must not be null. `expr` should have passed
/// CheckFunctions (ParseEvalExpression does this): an unknown function evaluates to null.
EvalValue Evaluate(const query::EvalExpr& expr, const Record& record, EvalContext* ctx);

/// Compares two single values with `op` (kEq ... kGe): numerically when both are numbers,
/// else as case-sensitive text. Null when either side is null.
EvalValue CompareEvalValues(query::EvalOp op, const EvalValue& left, const EvalValue& right);

}  // namespace cairn::engine
