// The command registry: one line per command. Adding a command is one file in
// engine/commands/ plus one line here.
#include <map>

#include "engine/commands/commands.h"
#include "engine/pipeline/command.h"

namespace cairn::engine {

namespace {
const std::map<std::string, CommandFactory>& Registry() {
  static const std::map<std::string, CommandFactory> kRegistry = {
      {"dedup", MakeDedupCommand},   {"eval", MakeEvalCommand},     {"fields", MakeFieldsCommand},
      {"fillnull", MakeFillnullCommand},
      {"head", MakeHeadCommand},     {"rare", MakeRareCommand},     {"regex", MakeRegexCommand},
      {"rename", MakeRenameCommand}, {"rex", MakeRexCommand},       {"search", MakeSearchCommand},
      {"sort", MakeSortCommand},     {"stats", MakeStatsCommand},   {"table", MakeTableCommand},
      {"tail", MakeTailCommand},     {"top", MakeTopCommand},       {"where", MakeWhereCommand},
  };
  return kRegistry;
}
}  // namespace

const CommandFactory* FindCommand(const std::string& name) {
  auto it = Registry().find(name);
  return it == Registry().end() ? nullptr : &it->second;
}

std::vector<std::string> CommandNames() {
  std::vector<std::string> names;
  for (const auto& [name, _] : Registry()) names.push_back(name);
  return names;
}

}  // namespace cairn::engine
