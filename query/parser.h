// ParseQuery turns query text into a QueryAst, or a Diagnostic with the span of the
// problem (unbalanced parentheses, a dangling operator, an unterminated quote, ...).
// Stateless; safe from any thread.
#pragma once

#include <optional>
#include <string>

#include "query/ast.h"

namespace cairn::query {

struct ParseResult {
  QueryAst ast;
  std::optional<Diagnostic> error;
};

ParseResult ParseQuery(const std::string& text);

/// Unescapes the body of a double-quoted string: \" \\ \| lose the backslash, any other
/// escape is kept as written (Splunk passes unknown escapes through).
std::string UnescapeQuoted(std::string_view body);

}  // namespace cairn::query
