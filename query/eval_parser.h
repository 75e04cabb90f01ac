// ParseEvalExpression turns the text of a `where` (or any eval) expression into an
// EvalExpr tree; ParseEvalAssignments reads eval's `field=expression, ...` list. Both
// validate function names and argument counts (CheckFunctions) and report the first
// mistake as a Diagnostic whose span is offset by `base_offset`, so that it indexes the
// whole query text. Stateless; safe from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "query/eval_ast.h"

namespace cairn::query {

struct EvalParseResult {
  std::unique_ptr<EvalExpr> expr;  ///< null when `error` is set
  std::optional<Diagnostic> error;
};

/// One `field=expression` of an eval command.
struct EvalAssignment {
  std::string field;  ///< unquoted
  Span field_span;
  std::unique_ptr<EvalExpr> expr;
};

struct EvalAssignmentsResult {
  std::vector<EvalAssignment> assignments;  ///< empty when `error` is set
  std::optional<Diagnostic> error;
};

/// Parses `text`, which starts at `base_offset` in the query.
EvalParseResult ParseEvalExpression(std::string_view text, uint32_t base_offset);

/// Parses `a=expr, 'b c'=expr, "d"=expr`, which starts at `base_offset` in the query.
EvalAssignmentsResult ParseEvalAssignments(std::string_view text, uint32_t base_offset);

}  // namespace cairn::query
