// The abstract syntax of a query: a search expression (the implicit first `search`
// command) followed by pipeline commands. Every node keeps the span of query text it came
// from, for diagnostics. Built by ParseQuery (query/parser.h); plain owned trees.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "query/diagnostic.h"

namespace cairn::query {

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe };

struct EvalExpr;

/// A calculated field (props.conf's EVAL-<field>) of one sourcetype, as the search part
/// needs it: its expression, the field aliases applied to the event before it, and the
/// fields to read for it.
struct SearchEval {
  std::string field;
  std::string text;  ///< the expression as written
  std::shared_ptr<const EvalExpr> expr;
  struct Alias {
    std::string source, alias;
    bool overwrite = true;
  };
  std::vector<Alias> aliases;
  std::vector<std::string> reads;
};

struct SearchNode {
  enum class Kind {
    kAnd,       ///< all children
    kOr,        ///< any child
    kNot,       ///< one child, negated
    kTerm,      ///< a bare word or quoted phrase matched against _raw
    kCompare,   ///< field op value
    kIn,        ///< field IN (values)
    kRegex,     ///< field matches the PCRE2 pattern in value (Sigma's |re; no SPL syntax)
    kFieldRef,  ///< field has a value equal to one of field `value`'s (Sigma's |fieldref)
    kEval,      ///< `eval->field` computed by `eval->expr` satisfies children[0] (a calculated field)
  };
  Kind kind = Kind::kTerm;
  Span span;
  std::vector<std::unique_ptr<SearchNode>> children;
  std::string field;                ///< kCompare, kIn
  CompareOp op = CompareOp::kEq;    ///< kCompare
  std::string value;                ///< kTerm, kCompare (unescaped)
  bool quoted = false;              ///< the value was written in double quotes
  bool case_sensitive = false;      ///< CASE(...)
  bool whole_term = false;          ///< TERM(...)
  std::vector<std::string> values;  ///< kIn
  bool literal = false;             ///< kCompare: the value as written, never a CIDR block (Sigma)
  /// kCompare (Sigma): where the field is an object or array, its compact JSON text is
  /// matched too, as Sigma matches `requestParameters|contains: x`.
  bool object_text = false;
  Span field_span, value_span;
  std::shared_ptr<const SearchEval> eval;  ///< kEval
};

/// A deep copy of `node`.
std::unique_ptr<SearchNode> CloneSearchNode(const SearchNode& node);

/// A pipeline command after the search: its name and argument text, unparsed until the
/// command's own parser reads it.
struct CommandNode {
  std::string name;
  std::string args;
  Span span;  ///< the whole command
  Span name_span;
  Span args_span;
};

struct QueryAst {
  std::unique_ptr<SearchNode> search;  ///< null when the query is empty or starts with |
  std::vector<CommandNode> commands;
  bool leading_pipe = false;  ///< `| makeresults ...`: a generating command first
};

}  // namespace cairn::query
