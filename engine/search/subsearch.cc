#include "engine/search/subsearch.h"

#include <cctype>

namespace cairn::engine {

namespace {

// The command a position of the text belongs to: the first word after the last top-level
// pipe before it ("" for the search part).
std::string CommandAt(const std::string& text, size_t pipe) {
  if (pipe == std::string::npos) return "";
  size_t i = pipe + 1;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  size_t b = i;
  while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_')) ++i;
  std::string name = text.substr(b, i - b);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::string Quote(const std::string& v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

}  // namespace

std::vector<BracketSpan> FindFilterSubsearches(const std::string& text, int64_t* unbalanced) {
  std::vector<BracketSpan> out;
  *unbalanced = -1;
  bool quoted = false;
  int depth = 0;
  size_t open = 0;
  size_t last_pipe = std::string::npos;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '\\' && i + 1 < text.size()) ++i;
      else if (c == '"') quoted = false;
      continue;
    }
    if (c == '"') {
      quoted = true;
    } else if (c == '|' && depth == 0) {
      last_pipe = i;
    } else if (c == '[') {
      if (depth++ == 0) open = i;
    } else if (c == ']' && depth > 0) {
      if (--depth == 0) {
        std::string cmd = CommandAt(text, last_pipe);
        if (cmd.empty() || cmd == "search") out.push_back({static_cast<uint32_t>(open), static_cast<uint32_t>(i + 1)});
      }
    }
  }
  if (depth > 0) *unbalanced = static_cast<int64_t>(open);
  return out;
}

std::string FormatSubsearchFilter(const std::vector<Record>& rows) {
  std::string out;
  size_t used = 0;
  for (const Record& r : rows) {
    std::string row;
    for (const auto& [name, cell] : r.fields()) {
      if (name.empty() || name[0] == '_' || cell.empty()) continue;
      std::string term;
      if (name == "search" || name == "query") {
        for (size_t i = 0; i < cell.size(); ++i) term += (i ? " OR " : "") + std::string("( ") + cell[i] + " )";
        if (cell.size() > 1) term = "( " + term + " )";
      } else {
        for (size_t i = 0; i < cell.size(); ++i) term += (i ? " OR " : "") + Quote(name) + "=" + Quote(cell[i]);
        if (cell.size() > 1) term = "( " + term + " )";
      }
      row += (row.empty() ? "" : " AND ") + term;
    }
    if (row.empty()) continue;
    out += (used++ ? " OR " : "") + std::string("( ") + row + " )";
  }
  // No rows: a filter that matches nothing (Splunk's NOT ()).
  if (used == 0) return "( NOT * )";
  return "( " + out + " )";
}

}  // namespace cairn::engine
