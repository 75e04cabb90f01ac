// QueryText: the text of a query as the user wrote it and as it is after the text-level
// expansions that run before parsing (macros, then subsearches used as filters). It maps a
// span of the expanded text back to the text the user wrote, so a diagnostic always points
// into what was typed: inside an expansion it points at the call (the back-quoted macro or
// the bracketed subsearch) and names it. Plain value type.
#pragma once

#include <string>
#include <vector>

#include "cairn/status.h"
#include "query/diagnostic.h"

namespace cairn::query {

class QueryText {
 public:
  explicit QueryText(std::string original = "");

  const std::string& original() const { return original_; }
  /// The text after every Replace so far: what the parser reads.
  const std::string& text() const { return text_; }

  /// Replaces [begin, end) of text() with `replacement`; `label` names the expansion in
  /// diagnostics ("macro `cloudtrail`"). Spans inside the replacement map to the original
  /// span of [begin, end).
  void Replace(uint32_t begin, uint32_t end, const std::string& replacement, const std::string& label);

  /// The span of original() that `span` of text() came from.
  Span ToOriginal(Span span) const;
  /// The diagnostic with its span in original(); inside an expansion, its message says so.
  Diagnostic ToOriginal(const Diagnostic& d) const;
  /// ToOriginal(d) rendered against original().
  std::string Render(const Diagnostic& d) const;
  /// A kQueryError Status for `d`.
  Status Error(const Diagnostic& d) const;

 private:
  // A run of text() and the original text it came from: copied as is (label empty, the
  // two runs equally long) or made by an expansion.
  struct Piece {
    uint32_t text_begin, text_end;
    uint32_t original_begin, original_end;
    std::string label;
  };
  const Piece* PieceAt(uint32_t pos) const;

  std::string original_;
  std::string text_;
  std::vector<Piece> pieces_;  ///< cover text() in order
};

}  // namespace cairn::query
