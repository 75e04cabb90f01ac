// The eval function library, grouped by theme, one file each: text (functions_text.cc),
// numbers (functions_math.cc), multivalue (functions_mv.cc), time (functions_time.cc) and
// matching and networks (functions_match.cc), JSON (functions_json.cc) and hashes
// (functions_hash.cc). Each takes its already evaluated arguments; the lazy and
// syntax-aware functions (if, case, coalesce, typeof, mvfilter) live in evaluator.cc.
// Internal to engine/eval.
#pragma once

#include <vector>

#include "engine/eval/evaluator.h"

namespace cairn::engine::eval_functions {

using Args = std::vector<EvalValue>;

EvalValue CallText(query::EvalFunction fn, const Args& args, const query::EvalExpr& call, EvalContext* ctx);
EvalValue CallMath(query::EvalFunction fn, const Args& args);
EvalValue CallMultivalue(query::EvalFunction fn, const Args& args);
EvalValue CallTime(query::EvalFunction fn, const Args& args, const query::EvalExpr& call, EvalContext* ctx);
EvalValue CallMatch(query::EvalFunction fn, const Args& args, const query::EvalExpr& call, EvalContext* ctx);
EvalValue CallJson(query::EvalFunction fn, const Args& args);
/// printf(format, values...) (functions_format.cc).
EvalValue Printf(const Args& args);
/// commands(search): the commands of a search string (functions_format.cc).
EvalValue Commands(const Args& args);
EvalValue CallHash(query::EvalFunction fn, const Args& args);

/// Records the first runtime error of the query at the span of `arg`.
void ReportError(EvalContext* ctx, const query::EvalExpr& arg, std::string message);

/// `x` rounded to `digits` decimal places, halves away from zero, on the shortest decimal
/// text of `x` (so 2.675 rounds to 2.68 as written, not as stored).
double RoundHalfAway(double x, int digits);

/// Number of UTF-8 characters in `s` (continuation bytes not counted).
size_t Utf8Length(std::string_view s);

}  // namespace cairn::engine::eval_functions
