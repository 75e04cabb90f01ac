#include "engine/hunt/rule_yaml.h"

namespace cairn::engine {

bool HasTopLevelKeys(const std::string& yaml, const std::vector<const char*>& keys) {
  for (const char* key : keys)
    if (yaml.rfind(key, 0) != 0 && yaml.find(std::string("\n") + key) == std::string::npos) return false;
  return true;
}

bool LoadYaml(const std::string& yaml, YAML::Node* doc, HuntProblem* problem) {
  try {
    *doc = YAML::Load(yaml);
    return true;
  } catch (const YAML::Exception& e) {
    problem->line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
    problem->message = "not valid YAML: " + e.msg;
    return false;
  }
}

int LineOf(const YAML::Node& n) { return n.Mark().line >= 0 ? n.Mark().line + 1 : 0; }

std::string ScalarOf(const YAML::Node& n) { return n && n.IsScalar() ? n.Scalar() : ""; }

std::vector<std::string> ScalarList(const YAML::Node& n) {
  std::vector<std::string> out;
  if (n && n.IsSequence())
    for (const YAML::Node& v : n)
      if (v.IsScalar()) out.push_back(v.Scalar());
  if (n && n.IsScalar()) out.push_back(n.Scalar());
  return out;
}

}  // namespace cairn::engine
