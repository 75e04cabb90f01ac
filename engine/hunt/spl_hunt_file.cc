#include "engine/hunt/spl_hunt_file.h"

#include <sys/stat.h>

#include <sstream>

namespace cairn::engine {

namespace {

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ','))
    if (!Trim(item).empty()) out.push_back(Trim(item));
  return out;
}

std::string Stem(const std::string& file) {
  size_t slash = file.find_last_of('/');
  std::string base = slash == std::string::npos ? file : file.substr(slash + 1);
  size_t dot = base.find_last_of('.');
  return dot == std::string::npos ? base : base.substr(0, dot);
}

}  // namespace

bool ParseSplHunt(const std::string& text, const std::string& file, HuntRule* rule, HuntProblem* problem) {
  rule->kind = HuntKind::kSpl;
  rule->file = file;
  std::stringstream in(text);
  std::string line, query;
  bool in_header = true;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::string t = Trim(line);
    if (t.empty()) {
      in_header = in_header && query.empty();
      continue;
    }
    if (t[0] == '#') {
      size_t colon = t.find(':');
      if (!in_header || !query.empty() || colon == std::string::npos) continue;
      std::string key = Trim(t.substr(1, colon - 1)), value = Trim(t.substr(colon + 1));
      if (key == "title") rule->title = value;
      else if (key == "id") rule->id = value;
      else if (key == "description") rule->description = value;
      else if (key == "author") rule->author = value;
      else if (key == "level") rule->level = value;
      else if (key == "status") rule->status = value;
      else if (key == "tags") rule->tags = SplitList(value);
      else if (key == "references") rule->references = SplitList(value);
      else if (key == "earliest") rule->earliest = value;
      else if (key == "license") rule->license = value;
      continue;
    }
    in_header = false;
    if (query.empty()) rule->query_line = number;
    query += (query.empty() ? "" : " ") + t;
  }
  if (rule->title.empty()) rule->title = Stem(file);
  size_t slash = file.find_last_of('/');
  std::string lookups = (slash == std::string::npos ? std::string(".") : file.substr(0, slash)) + "/lookups";
  struct stat st;  // lstat: a symbolic link here could lead lookup reads and writes anywhere
  if (::lstat(lookups.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) rule->lookups_dir = lookups;
  rule->query = query;
  if (query.empty()) {
    problem->file = file;
    problem->line = number;
    problem->message = "the hunt has no query (only # header lines)";
    return false;
  }
  return true;
}

}  // namespace cairn::engine
