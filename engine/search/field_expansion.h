// Search-time fields in the search part: a comparison on a field alias or a calculated
// field (engine/config/search_time_fields.h) becomes, before binding, a search on the fields
// it comes from, per sourcetype, so that `userName=bob` is a bitmap plan on
// `userIdentity.userName` for CloudTrail events and on `userName` itself for the others.
// An alias chain (the last alias whose source is present, else the event's own field, else
// an ASNEW alias) and a calculated field that is a field, coalesce() of fields or lower()/
// upper() of one (for case-insensitive matches) become index lookups; any other
// expression is computed for each candidate of its sourcetype (SearchNode::kEval), after
// the index has narrowed the candidates. Stateless.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/config/search_time_fields.h"
#include "query/ast.h"

namespace cairn::engine {

/// Rewrites the comparisons in `search` (may be null) on fields that `fields` defines, for
/// the sourcetypes in `present` (those the index holds; null: every one `fields` names).
void ExpandSearchTimeFields(const SearchTimeFields& fields, std::unique_ptr<query::SearchNode>* search,
                            const std::vector<std::string>* present = nullptr);

}  // namespace cairn::engine
