#include "engine/lookup/csv.h"

namespace cairn::engine {

std::vector<CsvRow> ParseCsv(std::string_view text, std::vector<std::string>* problems) {
  std::vector<CsvRow> rows;
  size_t i = 0, line = 1;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  while (i < text.size()) {
    CsvRow row;
    row.line = line;
    std::string cell;
    bool row_done = false;
    while (!row_done) {
      if (i < text.size() && text[i] == '"') {
        ++i;
        bool closed = false;
        while (i < text.size()) {
          char c = text[i++];
          if (c == '"') {
            if (i < text.size() && text[i] == '"') {
              cell.push_back('"');
              ++i;
              continue;
            }
            closed = true;
            break;
          }
          if (c == '\n') ++line;
          cell.push_back(c);
        }
        if (!closed) problems->push_back("line " + std::to_string(row.line) + ": a quoted cell is not closed");
      }
      while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') cell.push_back(text[i++]);
      row.cells.push_back(std::move(cell));
      cell.clear();
      if (i >= text.size()) {
        row_done = true;
      } else if (text[i] == ',') {
        ++i;
      } else {
        if (text[i] == '\r') ++i;
        if (i < text.size() && text[i] == '\n') ++i;
        ++line;
        row_done = true;
      }
    }
    if (row.cells.size() == 1 && row.cells[0].empty()) continue;  // a blank line
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string CsvLine(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out.push_back(',');
    const std::string& c = cells[i];
    if (c.find_first_of(",\"\r\n") == std::string::npos) {
      out += c;
      continue;
    }
    out.push_back('"');
    for (char ch : c) {
      if (ch == '"') out.push_back('"');
      out.push_back(ch);
    }
    out.push_back('"');
  }
  return out;
}

}  // namespace cairn::engine
