#include "shell/completion.h"

#include <algorithm>

namespace cairn::shell {

const std::vector<std::string>& DotCommands() {
  static const std::vector<std::string> kCommands = {".help",   ".fields",   ".indexes", ".info",  ".format",
                                                     ".timing", ".explain",  ".earliest", ".latest", ".output",
                                                     ".read",   ".quit",     ".exit"};
  return kCommands;
}

namespace {
bool StartsWith(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

std::string QuoteIfNeeded(const std::string& v) {
  if (v.find_first_of(" \t()|\"=,") == std::string::npos && !v.empty()) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}
}  // namespace

std::vector<std::string> Complete(const std::string& before, CompletionSource* source) {
  std::vector<std::string> out;
  size_t start = before.find_last_of(" \t(|,");
  start = start == std::string::npos ? 0 : start + 1;
  std::string word = before.substr(start);
  std::string head = before.substr(0, start);
  // Dot-commands at the start of the line.
  if (head.find_first_not_of(" \t") == std::string::npos && !word.empty() && word[0] == '.') {
    for (const auto& c : DotCommands())
      if (StartsWith(c, word)) out.push_back(c);
    return out;
  }
  // A command name right after a pipe.
  size_t last_pipe = before.find_last_of('|');
  if (last_pipe != std::string::npos &&
      before.substr(last_pipe + 1, start - last_pipe - 1).find_first_not_of(" \t") == std::string::npos) {
    for (const auto& c : source->Commands())
      if (StartsWith(c, word)) out.push_back(c);
    return out;
  }
  // A value after field=.
  size_t eq = word.find('=');
  if (eq != std::string::npos && eq > 0) {
    std::string field = word.substr(0, eq);
    if (field.back() == '!') field.pop_back();
    std::string prefix = word.substr(eq + 1);
    if (!prefix.empty() && prefix[0] == '"') prefix.erase(0, 1);
    for (const auto& [v, n] : source->Values(field)) {
      if (StartsWith(v, prefix)) out.push_back(word.substr(0, eq + 1) + QuoteIfNeeded(v));
    }
    return out;
  }
  for (const auto& [f, n] : source->Fields())
    if (StartsWith(f, word)) out.push_back(f);
  return out;
}

}  // namespace cairn::shell
