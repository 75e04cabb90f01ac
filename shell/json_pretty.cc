#include "shell/json_pretty.h"

namespace cairn::shell {

namespace {
constexpr const char* kKey = "\033[36m";
constexpr const char* kString = "\033[32m";
constexpr const char* kNumber = "\033[33m";
constexpr const char* kLiteral = "\033[35m";
constexpr const char* kReset = "\033[0m";
}  // namespace

std::string PrettyJson(std::string_view json, bool colour) {
  std::string out;
  int depth = 0;
  bool expect_key = false;
  std::string open;  // the containers we are in: '{' or '['
  auto newline = [&]() {
    out.push_back('\n');
    out.append(static_cast<size_t>(depth) * 2, ' ');
  };
  size_t i = 0;
  while (i < json.size()) {
    char c = json[i];
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      ++i;
      continue;
    }
    if (c == '"') {
      size_t j = i + 1;
      while (j < json.size() && json[j] != '"') j += json[j] == '\\' ? 2 : 1;
      j = j < json.size() ? j + 1 : json.size();
      if (colour) out += expect_key ? kKey : kString;
      out.append(json.substr(i, j - i));
      if (colour) out += kReset;
      i = j;
      continue;
    }
    if (c == '{' || c == '[') {
      // Empty containers stay on one line.
      size_t j = i + 1;
      while (j < json.size() && (json[j] == ' ' || json[j] == '\n' || json[j] == '\r' || json[j] == '\t')) ++j;
      if (j < json.size() && json[j] == (c == '{' ? '}' : ']')) {
        out.push_back(c);
        out.push_back(json[j]);
        i = j + 1;
        expect_key = false;
        continue;
      }
      out.push_back(c);
      ++depth;
      open.push_back(c);
      expect_key = c == '{';
      newline();
      ++i;
      continue;
    }
    if (c == '}' || c == ']') {
      --depth;
      if (!open.empty()) open.pop_back();
      newline();
      out.push_back(c);
      ++i;
      continue;
    }
    if (c == ',') {
      out.push_back(',');
      newline();
      // After a comma inside an object comes a key.
      expect_key = !open.empty() && open.back() == '{';
      ++i;
      continue;
    }
    if (c == ':') {
      out += ": ";
      expect_key = false;
      ++i;
      continue;
    }
    size_t j = i;
    while (j < json.size() && json[j] != ',' && json[j] != '}' && json[j] != ']' && json[j] != ' ' && json[j] != '\n')
      ++j;
    std::string_view token = json.substr(i, j - i);
    bool literal = token == "true" || token == "false" || token == "null";
    if (colour) out += literal ? kLiteral : kNumber;
    out.append(token);
    if (colour) out += kReset;
    i = j;
  }
  return out;
}

}  // namespace cairn::shell
