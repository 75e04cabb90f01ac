// CSV as lookup tables use it (RFC 4180): reading a file into rows of cells with the line
// each row starts on, and writing cells back with the quoting the RFC asks for (a cell with
// a comma, a double quote or a line break is quoted, quotes doubled). Stateless.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cairn::engine {

struct CsvRow {
  size_t line = 0;  ///< 1-based line the row starts on
  std::vector<std::string> cells;
};

/// Splits `text` into rows. A quote left open at the end of the text is reported in
/// `problems` ("line N: ...") and the row is kept as far as it was read. A UTF-8 byte order
/// mark at the start is skipped; blank lines are skipped.
std::vector<CsvRow> ParseCsv(std::string_view text, std::vector<std::string>* problems);

/// One line of CSV (without the line break) for `cells`.
std::string CsvLine(const std::vector<std::string>& cells);

}  // namespace cairn::engine
