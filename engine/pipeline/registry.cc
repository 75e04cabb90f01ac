// The command registry: filled by each command's own file (RegisterCommand in a static
// initializer) before main runs, read-only afterwards.
#include <map>

#include "engine/pipeline/command_spec.h"

namespace cairn::engine {

namespace {
std::map<std::string, CommandSpec>& Registry() {
  static std::map<std::string, CommandSpec> registry;
  return registry;
}
}  // namespace

bool RegisterCommand(CommandSpec spec) {
  std::string name = spec.name;
  Registry()[name] = std::move(spec);
  return true;
}

const CommandSpec* FindCommand(const std::string& name) {
  auto it = Registry().find(name);
  return it == Registry().end() ? nullptr : &it->second;
}

std::vector<std::string> CommandNames() {
  std::vector<std::string> names;
  for (const auto& [name, _] : Registry()) names.push_back(name);
  return names;
}

}  // namespace cairn::engine
