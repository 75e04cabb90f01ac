// A search tree (query/ast.h) written as SPL for people to read, as `cairn sigma convert`
// prints it: field comparisons and terms in the search, with quoting where a value needs it;
// what SPL's search cannot say (a regular expression, one field compared with another) goes
// to a `| where` with match() and searchmatch(). Stateless.
#pragma once

#include <string>

#include "query/ast.h"

namespace cairn::engine {

std::string RenderSpl(const query::SearchNode& search);

}  // namespace cairn::engine
