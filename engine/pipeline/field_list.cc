#include "engine/pipeline/field_list.h"

#include <strings.h>

#include "query/value_match.h"

namespace cairn::engine {

using query::GlobMatch;

std::vector<std::string> ReadFieldList(CommandArgs* args, const std::vector<std::string>& stop) {
  std::vector<std::string> out;
  while (!args->done()) {
    const ArgToken* t = args->Peek();
    if (t->kind == ArgToken::Kind::kComma) {
      args->Next();
      continue;
    }
    if (t->kind != ArgToken::Kind::kWord && t->kind != ArgToken::Kind::kQuoted) break;
    const ArgToken* after = args->Peek(1);
    if (t->kind == ArgToken::Kind::kWord && after != nullptr && after->kind == ArgToken::Kind::kEquals) break;  // an option
    bool is_stop = false;
    for (const auto& s : stop) is_stop |= t->kind == ArgToken::Kind::kWord && strcasecmp(t->text.c_str(), s.c_str()) == 0;
    if (is_stop) break;
    out.push_back(t->text);
    args->Next();
  }
  return out;
}

bool FieldMatches(const std::string& pattern, const std::string& name) {
  if (pattern.find('*') == std::string::npos) return pattern == name;
  return GlobMatch(pattern, name);
}

std::optional<std::string> RenameWithPattern(const std::string& from, const std::string& to, const std::string& name) {
  size_t star = from.find('*');
  if (star == std::string::npos) return from == name ? std::optional<std::string>(to) : std::nullopt;
  std::string prefix = from.substr(0, star), suffix = from.substr(star + 1);
  if (suffix.find('*') != std::string::npos) return std::nullopt;  // one wildcard only
  if (name.size() < prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
    return std::nullopt;
  std::string middle = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  size_t to_star = to.find('*');
  if (to_star == std::string::npos) return to;
  return to.substr(0, to_star) + middle + to.substr(to_star + 1);
}

}  // namespace cairn::engine
