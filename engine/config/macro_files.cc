#include "engine/config/macro_files.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/config/confined_path.h"

namespace cairn::engine {

namespace fs = std::filesystem;

namespace {

bool HasSuffix(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool IsYaml(const std::string& path) { return HasSuffix(path, ".yml") || HasSuffix(path, ".yaml"); }

Status ReadWhole(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot read macros file " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return Status::OK();
}

// One ESCU macro document: name, definition, and the optional list of argument names.
void AddYaml(const std::string& text, const std::string& path, query::MacroLibrary* library,
             std::vector<std::string>* problems) {
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    problems->push_back(path + ":" + std::to_string(e.mark.line + 1) + ": not YAML: " + e.msg);
    return;
  }
  for (const YAML::Node& doc : docs) {
    try {
      if (!doc.IsMap() || !doc["name"] || !doc["definition"]) {
        problems->push_back(path + ": a macro document needs name: and definition:");
        continue;
      }
      query::MacroDefinition def;
      def.name = doc["name"].as<std::string>();
      def.definition = doc["definition"].as<std::string>();
      if (const YAML::Node args = doc["arguments"]; args && args.IsSequence())
        for (const auto& a : args) def.args.push_back(a.as<std::string>());
      def.source = path;
      library->Add(std::move(def));
    } catch (const YAML::Exception& e) {
      problems->push_back(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
  }
}

Status LoadFile(const std::string& path, query::MacroLibrary* library, std::vector<std::string>* problems) {
  std::string text;
  if (Status s = ReadWhole(path, &text); !s.ok()) return s;
  if (IsYaml(path)) {
    AddYaml(text, path, library, problems);
  } else {
    std::vector<std::string> p = library->AddConf(text, path);
    problems->insert(problems->end(), p.begin(), p.end());
  }
  return Status::OK();
}

}  // namespace

Status LoadMacros(const std::string& path, query::MacroLibrary* library, std::vector<std::string>* problems) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      std::string p = entry.path().string();
      if (entry.is_regular_file(ec) && (IsYaml(p) || HasSuffix(p, ".conf")) && !LeadsOutside(p, path))
        files.push_back(p);
    }
    if (ec) return Status::IOError("cannot list macros directory " + path + ": " + ec.message());
    std::sort(files.begin(), files.end());
    for (const std::string& f : files)
      if (Status s = LoadFile(f, library, problems); !s.ok()) return s;
    return Status::OK();
  }
  if (!fs::exists(path, ec)) return Status::NotFound("no macros file " + path);
  return LoadFile(path, library, problems);
}

}  // namespace cairn::engine
