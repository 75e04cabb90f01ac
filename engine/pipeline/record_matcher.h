// MatchesRecord evaluates a bound search expression (query/logical_plan.h) against one
// pipeline record, with the same semantics as the indexed search: terms and phrases against
// _raw (or, after a transforming command, against the field values) as a sequence of
// tokens, case-insensitive values with wildcards and CIDR, f!=v needs the field, NOT f=v
// does not. Used by `| search` mid-pipeline. Stateless.
#pragma once

#include "engine/pipeline/record.h"
#include "query/logical_plan.h"

namespace cairn::engine {

bool MatchesRecord(const query::Predicate& predicate, const Record& record);

/// Appends the fields MatchesRecord may read for `predicate` (terms and object text read
/// `_raw`), each once.
void CollectPredicateFields(const query::Predicate& predicate, std::vector<std::string>* fields);

}  // namespace cairn::engine
