#include "engine/hunt/escu_detection.h"

#include <sys/stat.h>

#include "engine/hunt/rule_yaml.h"

namespace cairn::engine {

namespace {

constexpr const char* kEscuLicense = "Apache License 2.0, Splunk security_content (https://github.com/splunk/security_content)";

// A folder, not a symbolic link to one: a link could lead macro and lookup reads anywhere.
bool IsDirectory(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// `dir/detections/x.yml` → `dir`, or "" when the file is not in a detections/ directory.
std::string ContentRoot(const std::string& file) {
  size_t slash = file.find_last_of('/');
  std::string dir = slash == std::string::npos ? "." : file.substr(0, slash);
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  size_t up = dir.find_last_of('/');
  std::string last = up == std::string::npos ? dir : dir.substr(up + 1);
  if (last != "detections") return "";
  return up == std::string::npos ? "." : dir.substr(0, up);
}

// Why ESCU's search cannot run on cairn, or "".
std::string Unrunnable(const std::string& search) {
  if (search.find("tstats") != std::string::npos)
    return "the search uses tstats over a CIM data model (accelerated data models are Splunk's; cairn has none)";
  if (search.find("| apply") != std::string::npos || search.find("|apply") != std::string::npos)
    return "the search uses the Machine Learning Toolkit's apply (not in cairn)";
  if (search.find("anomalydetection") != std::string::npos)
    return "the search uses anomalydetection (Machine Learning Toolkit, not in cairn)";
  return "";
}

}  // namespace

bool LooksLikeEscu(const std::string& yaml) { return HasTopLevelKeys(yaml, {"search:", "name:"}); }

bool ParseEscuDetection(const std::string& yaml, const std::string& file, HuntRule* rule, HuntProblem* problem) {
  problem->file = file;
  YAML::Node doc;
  if (!LoadYaml(yaml, &doc, problem)) return false;
  if (!doc.IsMap()) {  // doc["name"] on a scalar or a list would throw
    problem->line = 1;
    problem->message = "an ESCU detection is a YAML mapping";
    return false;
  }
  rule->kind = HuntKind::kEscu;
  rule->file = file;
  rule->title = ScalarOf(doc["name"]);
  rule->id = ScalarOf(doc["id"]);
  rule->description = ScalarOf(doc["description"]);
  rule->author = ScalarOf(doc["author"]);
  rule->status = ScalarOf(doc["status"]);
  rule->license = kEscuLicense;
  const YAML::Node search = doc["search"];
  if (!search || !search.IsScalar()) {
    problem->line = 1;
    problem->message = "the detection has no search";
    return false;
  }
  rule->query = search.Scalar();
  rule->query_line = search.Mark().line + 1;
  if (const YAML::Node tags = doc["tags"]; tags && tags.IsMap()) {
    if (const YAML::Node mitre = tags["mitre_attack_id"]; mitre && mitre.IsSequence())
      for (const YAML::Node& t : mitre) rule->tags.push_back(ScalarOf(t));
    if (const YAML::Node score = tags["risk_score"]; score && score.IsScalar()) {
      try {
        rule->risk_score = score.as<int>();
      } catch (const YAML::Exception&) {
      }
    }
  }
  // ESCU's own levels are risk scores; cairn's levels follow Sigma's words.
  int r = rule->risk_score;
  rule->level = r < 0 ? "" : r >= 80 ? "critical" : r >= 50 ? "high" : r >= 25 ? "medium" : r >= 10 ? "low" : "informational";
  if (const YAML::Node refs = doc["references"]; refs && refs.IsSequence())
    for (const YAML::Node& ref : refs) rule->references.push_back(ScalarOf(ref));
  if (std::string root = ContentRoot(file); !root.empty()) {
    if (IsDirectory(root + "/macros")) rule->macro_paths.push_back(root + "/macros");
    if (IsDirectory(root + "/lookups")) rule->lookup_definitions.push_back(root + "/lookups");
  }
  if (std::string why = Unrunnable(rule->query); !why.empty()) {
    problem->line = rule->query_line;
    problem->message = why;
    return false;
  }
  return true;
}

}  // namespace cairn::engine
