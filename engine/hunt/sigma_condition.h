// A Sigma rule's condition (`selection and not 1 of filter_*`, `all of them`, parentheses)
// compiled over its selections into one search tree: `not` binds tightest, then `and`, then
// `or`; `1 of x*`/`any of x*` is the OR and `all of x*` the AND of the selections whose names
// match the glob (`them`: every selection). The aggregation after `|` is refused. Stateless.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "query/ast.h"

namespace cairn::engine {

struct SigmaSelection {
  std::string name;
  std::unique_ptr<query::SearchNode> tree;
};

/// The tree for `condition`, or null with `error` saying what is wrong or unsupported.
std::unique_ptr<query::SearchNode> CompileSigmaCondition(const std::string& condition,
                                                         const std::vector<SigmaSelection>& selections,
                                                         std::string* error);

}  // namespace cairn::engine
