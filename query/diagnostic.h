// Diagnostics for query errors and warnings: a message, the span of query text it is
// about, and an optional hint. Render() draws the query with a caret line under the span,
// the way the shell and `cairn search` print it. Plain value types.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cairn::query {

/// Byte range [begin, end) in the query text.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
};

struct Diagnostic {
  enum class Severity { kError, kWarning };
  Severity severity = Severity::kError;
  std::string message;
  Span span;
  std::string hint;

  /// "error: message\n  <query>\n  ^^^\nhint: ..." for the given query text.
  std::string Render(const std::string& query) const;
};

}  // namespace cairn::query
