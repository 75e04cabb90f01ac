// The binder: turns a parsed query's search into its logical plan (query/logical_plan.h),
// once per query. It takes the time range out of the search (earliest=/latest= over
// --earliest/--latest), resolves field names against the index's schema and warns about
// fields no event has, classifies each term and comparison, and folds and types its value.
// Stateless; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cairn/status.h"
#include "query/ast.h"
#include "query/logical_plan.h"
#include "query/query_text.h"
#include "query/schema.h"

namespace cairn::query {

struct BindOptions {
  int64_t now_us = 0;                   ///< "now" for relative times
  std::optional<std::string> earliest;  ///< --earliest, overridden by earliest= in the query
  std::optional<std::string> latest;
  /// Fields computed at search time (aliases, calculated fields): no warning that no event
  /// has them.
  std::vector<std::string> computed_fields;
};

/// Binds the search of `ast` (its time terms are taken out of it). `query` is the text the
/// AST was parsed from (query.text()), for diagnostics, which point into query.original(). kQueryError with
/// the query and a caret on a bad time term; kInvalidArgument naming the option on a bad --earliest or
/// --latest.
Result<LogicalPlan> Bind(QueryAst* ast, const QueryText& query, const IndexSchema& schema,
                         const BindOptions& options);

/// Binds one search expression with no schema (fields resolve to their own names), as the
/// `search` command does over results.
std::unique_ptr<Predicate> BindExpression(const SearchNode& node);

}  // namespace cairn::query
