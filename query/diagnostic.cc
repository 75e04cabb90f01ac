#include "query/diagnostic.h"

namespace cairn::query {

namespace {
// Display column of byte `pos`: counts UTF-8 lead bytes only.
size_t Column(const std::string& s, size_t pos) {
  size_t col = 0;
  for (size_t i = 0; i < pos && i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++col;
  return col;
}
}  // namespace

std::string Diagnostic::Render(const std::string& query) const {
  std::string out = severity == Severity::kError ? "error: " : "warning: ";
  out += message + "\n";
  // Queries are shown on one line: newlines become spaces so the caret lines up.
  std::string line = query;
  for (char& c : line)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  out += "  " + line + "\n";
  size_t begin = Column(query, span.begin);
  size_t end = Column(query, span.end);
  if (end <= begin) end = begin + 1;
  out += "  " + std::string(begin, ' ') + std::string(end - begin, '^') + "\n";
  if (!hint.empty()) out += "hint: " + hint + "\n";
  return out;
}

}  // namespace cairn::query
