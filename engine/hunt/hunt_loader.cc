// Implements LoadHuntRules (include/cairn/hunt.h): walks the paths, reads each rule file and
// hands it to the parser of its kind (spl_hunt_file.h, sigma_rule.h, escu_detection.h).
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "cairn/hunt.h"
#include "engine/config/confined_path.h"
#include "engine/hunt/escu_detection.h"
#include "engine/hunt/sigma_rule.h"
#include "engine/hunt/spl_hunt_file.h"

namespace cairn {

namespace {

// Rule files are small; a larger file is not a rule.
constexpr size_t kMaxRuleFileBytes = 1 << 20;

bool EndsWith(const std::string& s, const char* tail) {
  size_t n = std::char_traits<char>::length(tail);
  return s.size() >= n && s.compare(s.size() - n, n, tail) == 0;
}

bool IsRuleFile(const std::string& name) {
  return EndsWith(name, ".spl") || EndsWith(name, ".yml") || EndsWith(name, ".yaml");
}

// The rule files under `dir`, recursively, in name order; hidden entries are skipped.
void Walk(const std::string& root, const std::string& dir, std::vector<std::string>* files, int depth) {
  if (depth > 16) return;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return;
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (!name.empty() && name[0] != '.') names.push_back(name);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    std::string path = dir + (dir.back() == '/' ? "" : "/") + name;
    struct stat st;
    if (::stat(path.c_str(), &st) != 0 || engine::LeadsOutside(path, root))
      continue;  // a link out of the folder
    if (S_ISDIR(st.st_mode))
      Walk(root, path, files, depth + 1);
    else if (S_ISREG(st.st_mode) && IsRuleFile(name)) files->push_back(path);
  }
}

bool ReadRuleFile(const std::string& path, std::string* text, HuntProblem* problem) {
  problem->file = path;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problem->message = "cannot be read";
    return false;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  *text = buf.str();
  if (text->size() > kMaxRuleFileBytes) {
    problem->message = "is larger than " + std::to_string(kMaxRuleFileBytes) + " bytes: not a rule file";
    return false;
  }
  return true;
}

// Loads one file; `named` says the user gave it by name (so a YAML file that is no rule is
// reported instead of skipped).
void LoadFile(const std::string& path, bool named, HuntRuleSet* out) {
  std::string text;
  HuntProblem problem;
  if (!ReadRuleFile(path, &text, &problem)) {
    out->problems.push_back(problem);
    return;
  }
  HuntRule rule;
  bool ok;
  if (EndsWith(path, ".spl")) {
    ok = engine::ParseSplHunt(text, path, &rule, &problem);
  } else if (engine::LooksLikeSigma(text)) {
    ok = engine::ParseSigmaRule(text, path, &rule, &problem);
  } else if (engine::LooksLikeEscu(text)) {
    ok = engine::ParseEscuDetection(text, path, &rule, &problem);
  } else {
    if (named) {
      problem.file = path;
      problem.message = "is neither a Sigma rule (detection:, logsource:) nor an ESCU detection (name:, search:)";
      out->problems.push_back(problem);
    }
    return;
  }
  if (ok) out->rules.push_back(std::move(rule));
  else out->problems.push_back(problem);
}

}  // namespace

const char* HuntKindName(HuntKind kind) {
  switch (kind) {
    case HuntKind::kSpl: return "spl";
    case HuntKind::kSigma: return "sigma";
    case HuntKind::kEscu: return "escu";
  }
  return "?";
}

std::string HuntProblem::Render() const {
  return file + (line > 0 ? ":" + std::to_string(line) : "") + ": " + message;
}

HuntRuleSet LoadHuntRules(const std::vector<std::string>& paths) {
  HuntRuleSet out;
  for (const std::string& path : paths) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
      out.problems.push_back({path, 0, "no such file or directory"});
    } else if (S_ISDIR(st.st_mode)) {
      std::vector<std::string> files;
      Walk(path, path, &files, 0);
      for (const std::string& f : files) LoadFile(f, false, &out);
    } else {
      LoadFile(path, true, &out);
    }
  }
  return out;
}

}  // namespace cairn
