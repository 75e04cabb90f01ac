// MatchesRecord evaluates a search expression against one pipeline record, with the same
// semantics as the indexed search: terms against _raw (or, after a transforming command,
// against the field values), case-insensitive values with wildcards and CIDR, f!=v needs
// the field, NOT f=v does not. Used by `| search` mid-pipeline. Stateless.
#pragma once

#include "engine/pipeline/record.h"
#include "query/ast.h"

namespace cairn::engine {

bool MatchesRecord(const query::SearchNode& node, const Record& record);

}  // namespace cairn::engine
