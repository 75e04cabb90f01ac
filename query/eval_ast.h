// The abstract syntax of eval expressions, the language of the `eval` and `where`
// commands (and of `stats count(eval(...))`): literals, field references, operators and
// function calls. Every node keeps the span of query text it came from. Built by
// ParseEvalExpression (query/eval_parser.h); plain owned trees.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "query/diagnostic.h"
#include "query/eval_functions.h"

namespace cairn::query {

enum class EvalOp {
  kAdd, kSub, kMul, kDiv, kMod,
  kConcat,  ///< `.`
  kEq,      ///< `=` and `==`
  kNe, kLt, kLe, kGt, kGe,
  kAnd, kOr,
};

struct EvalExpr {
  enum class Kind {
    kString,  ///< a "double-quoted" literal; `text` is unescaped
    kNumber,  ///< a numeric literal; `text` as written, `number` its value
    kField,   ///< a bare or 'single-quoted' field name in `text`
    kNot,     ///< NOT args[0]
    kNegate,  ///< -args[0]
    kBinary,  ///< args[0] op args[1]
    kCall,    ///< text(args...), `function` resolved by name (kUnknown if not known)
  };
  Kind kind = Kind::kString;
  Span span;
  std::string text;
  double number = 0;
  EvalOp op = EvalOp::kAdd;
  EvalFunction function = EvalFunction::kUnknown;
  Span name_span;  ///< kCall: the function name
  std::vector<std::unique_ptr<EvalExpr>> args;
};

/// A compact, fully parenthesised rendering for tests and `explain`:
/// `(a = 1) OR ((b = 2) AND (c = 3))`, `if(x, "a", 'f')`.
std::string FormatEvalExpr(const EvalExpr& expr);

/// The symbol of a binary operator as written: "+", ".", "=", "AND", ...
const char* EvalOpSymbol(EvalOp op);

}  // namespace cairn::query
