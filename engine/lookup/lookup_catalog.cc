#include "engine/lookup/lookup_catalog.h"

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/config/confined_path.h"
#include "engine/lookup/csv.h"

namespace cairn::engine {

namespace fs = std::filesystem;

namespace {

std::string Trim(std::string s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

// "CIDR(ip), WILDCARD(host)" → column → match.
void ParseMatchTypes(const std::string& text, std::map<std::string, LookupMatch>* out, std::string* problem) {
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find('(', i);
    if (open == std::string::npos) break;
    size_t close = text.find(')', open);
    if (close == std::string::npos) {
      *problem = "match_type: a '(' without ')'";
      return;
    }
    std::string kind = Trim(text.substr(i, open - i));
    if (!kind.empty() && kind[0] == ',') kind = Trim(kind.substr(1));
    std::string column = Trim(text.substr(open + 1, close - open - 1));
    for (char& c : kind) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (kind == "CIDR") (*out)[column] = LookupMatch::kCidr;
    else if (kind == "WILDCARD") (*out)[column] = LookupMatch::kWildcard;
    else if (kind == "EXACT") (*out)[column] = LookupMatch::kExact;
    else *problem = "match_type: unknown kind " + kind + " (CIDR, WILDCARD or EXACT)";
    i = close + 1;
  }
}

bool ParseUint(const std::string& s, uint64_t* out) {
  if (s.empty() || s.size() > 18 || !std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return false;
  *out = std::stoull(s);
  return true;
}

bool SafeName(const std::string& name) {
  return !name.empty() && name.find('/') == std::string::npos && name.find('\\') == std::string::npos &&
         name.find("..") == std::string::npos && name[0] != '.';
}

}  // namespace

int LookupTable::Column(const std::string& name) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return static_cast<int>(i);
  return -1;
}

LookupCatalog::LookupCatalog(std::string dir, std::vector<std::string> definition_paths)
    : dir_(std::move(dir)), definition_paths_(std::move(definition_paths)) {}

std::vector<std::string> LookupCatalog::TakeProblems() { return std::move(problems_); }

Status LookupCatalog::LoadDefinitions() {
  if (definitions_loaded_) return Status::OK();
  definitions_loaded_ = true;
  std::string conf_path = dir_ + "/lookups.conf";
  std::string text;
  if (ReadFile(conf_path, &text)) {
    LookupDefinition* current = nullptr;
    size_t line_no = 0;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      ++line_no;
      std::string where = conf_path + ":" + std::to_string(line_no);
      size_t hash = line.find('#');
      if (hash != std::string::npos) line = line.substr(0, hash);
      line = Trim(line);
      if (line.empty()) continue;
      if (line.front() == '[' && line.back() == ']') {
        std::string name = Trim(line.substr(1, line.size() - 2));
        current = &definitions_[name];
        *current = LookupDefinition();
        current->name = name;
        continue;
      }
      size_t eq = line.find('=');
      if (eq == std::string::npos || current == nullptr) {
        problems_.push_back(where + ": expected [name] or key = value");
        continue;
      }
      std::string key = Trim(line.substr(0, eq)), value = Trim(line.substr(eq + 1));
      std::string problem;
      if (key == "filename") current->filename = value;
      else if (key == "match_type") ParseMatchTypes(value, &current->match_type, &problem);
      else if (key == "max_matches") {
        if (!ParseUint(value, &current->max_matches) || current->max_matches == 0) problem = "max_matches must be a whole number 1 or more";
      } else if (key == "min_matches") {
        if (!ParseUint(value, &current->min_matches)) problem = "min_matches must be a whole number";
      } else if (key == "default_match") current->default_match = value;
      else if (key == "case_sensitive_match") current->case_sensitive = !(value == "false" || value == "0" || value == "f");
      else if (key == "fields_list") {
        std::stringstream ss(value);
        for (std::string f; std::getline(ss, f, ',');) current->fields_list.push_back(Trim(f));
      } else problem = "unknown key " + key;
      if (!problem.empty()) problems_.push_back(where + ": " + problem);
    }
  }
  for (const std::string& path : definition_paths_) {
    std::vector<std::string> files;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      for (const auto& e : fs::directory_iterator(path, ec))
        if ((EndsWith(e.path().string(), ".yml") || EndsWith(e.path().string(), ".yaml")) &&
            !LeadsOutside(e.path().string(), path))
          files.push_back(e.path().string());
      std::sort(files.begin(), files.end());
    } else if (fs::exists(path, ec)) {
      files.push_back(path);
    } else {
      return Status::InvalidArgument("--lookup-definitions " + path + ": no such file or directory");
    }
    for (const std::string& f : files) {
      try {
        YAML::Node doc = YAML::LoadFile(f);
        if (!doc.IsMap() || !doc["name"]) {
          problems_.push_back(f + ": a lookup definition needs name:");
          continue;
        }
        LookupDefinition def;
        def.name = doc["name"].as<std::string>();
        if (doc["filename"]) def.filename = doc["filename"].as<std::string>();
        if (doc["collection"]) {
          def.filename = def.name + ".csv";
          if (doc["fields_list"]) {
            std::stringstream ss(doc["fields_list"].as<std::string>());
            for (std::string c; std::getline(ss, c, ',');) def.fields_list.push_back(Trim(c));
          }
        }
        if (doc["match_type"]) {
          std::string problem;
          ParseMatchTypes(doc["match_type"].as<std::string>(), &def.match_type, &problem);
          if (!problem.empty()) problems_.push_back(f + ": " + problem);
        }
        if (doc["case_sensitive_match"]) def.case_sensitive = doc["case_sensitive_match"].as<std::string>() != "false";
        if (doc["max_matches"]) ParseUint(doc["max_matches"].as<std::string>(), &def.max_matches);
        if (doc["min_matches"]) ParseUint(doc["min_matches"].as<std::string>(), &def.min_matches);
        if (doc["default_match"]) def.default_match = doc["default_match"].as<std::string>();
        definitions_[def.name] = std::move(def);
      } catch (const YAML::Exception& e) {
        problems_.push_back(f + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
      }
    }
  }
  return Status::OK();
}

Result<const LookupDefinition*> LookupCatalog::Definition(const std::string& name) {
  if (Status st = LoadDefinitions(); !st.ok()) return st;
  auto it = definitions_.find(name);
  if (it != definitions_.end()) return &it->second;
  if (!SafeName(name)) return Status::InvalidArgument("lookup name '" + name + "' may not hold '/', '\\' or '..'");
  LookupDefinition def;
  def.name = name;
  std::error_code ec;
  def.filename = (EndsWith(name, ".csv") || fs::exists(dir_ + "/" + name, ec)) ? name : name + ".csv";
  return &(definitions_[name] = std::move(def));
}

Result<std::string> LookupCatalog::PathOf(const LookupDefinition& def) {
  if (!SafeName(def.filename))
    return Status::InvalidArgument("lookup '" + def.name + "': file name '" + def.filename + "' may not hold '/', '\\' or '..'");
  std::string path = dir_ + "/" + def.filename;
  std::error_code ec;
  if (fs::is_symlink(fs::symlink_status(path, ec)) && !fs::exists(path, ec))
    return Status::InvalidArgument("lookup '" + def.name + "': " + path + " is a symbolic link to nothing");
  if (fs::exists(path, ec) && LeadsOutside(path, dir_))
    return Status::InvalidArgument("lookup '" + def.name + "': " + path +
                                   " leads outside the lookups directory " + dir_);
  return path;
}

Result<const LookupTable*> LookupCatalog::Table(const std::string& name) {
  auto cached = tables_.find(name);
  if (cached != tables_.end()) return cached->second.get();
  Result<const LookupDefinition*> def = Definition(name);
  if (!def.ok()) return def.status();
  Result<std::string> path = PathOf(*def.value());
  if (!path.ok()) return path.status();
  auto table = std::make_unique<LookupTable>();
  table->path = path.value();
  std::error_code ec;
  if (!fs::exists(table->path, ec)) {
    if (def.value()->fields_list.empty())
      return Status::NotFound("lookup '" + name + "': no file " + table->path);
    table->columns = def.value()->fields_list;  // a KV-store collection not written yet: empty
    fs::create_directories(dir_, ec);
    std::ofstream out(table->path, std::ios::binary);
    out << CsvLine(table->columns) << "\n";
  } else {
    uint64_t size = fs::file_size(table->path, ec);
    if (ec) return Status::IOError("lookup '" + name + "': cannot read " + table->path + ": " + ec.message());
    if (size > kLookupMaxFileBytes)
      return Status::LimitReached("lookup '" + name + "': " + table->path + " is larger than 1 GiB");
    std::string text;
    if (!ReadFile(table->path, &text)) return Status::IOError("lookup '" + name + "': cannot read " + table->path);
    std::vector<std::string> problems;
    std::vector<CsvRow> rows = ParseCsv(text, &problems);
    for (const std::string& p : problems) problems_.push_back(table->path + ": " + p);
    if (!rows.empty()) {
      table->columns = rows[0].cells;
      for (size_t i = 1; i < rows.size(); ++i) {
        std::vector<std::string> cells = std::move(rows[i].cells);
        if (cells.size() != table->columns.size()) {
          problems_.push_back(table->path + ": line " + std::to_string(rows[i].line) + ": " + std::to_string(cells.size()) +
                              " cells where the header has " + std::to_string(table->columns.size()));
          cells.resize(table->columns.size());
        }
        table->rows.push_back(std::move(cells));
      }
    }
  }
  const LookupTable* out = table.get();
  tables_[name] = std::move(table);
  return out;
}

Status LookupCatalog::Write(const std::string& name, const std::vector<std::string>& columns,
                            const std::vector<std::vector<std::string>>& rows, bool append) {
  Result<const LookupDefinition*> def = Definition(name);
  if (!def.ok()) return def.status();
  Result<std::string> path = PathOf(*def.value());
  if (!path.ok()) return path.status();
  std::vector<std::string> out_columns = columns;
  std::vector<std::vector<std::string>> out_rows;
  std::error_code ec;
  if (append && fs::exists(path.value(), ec)) {
    Result<const LookupTable*> old = Table(name);
    if (!old.ok()) return old.status();
    out_columns = old.value()->columns;
    for (const std::string& c : columns)
      if (std::find(out_columns.begin(), out_columns.end(), c) == out_columns.end()) out_columns.push_back(c);
    for (const auto& r : old.value()->rows) {
      std::vector<std::string> row = r;
      row.resize(out_columns.size());
      out_rows.push_back(std::move(row));
    }
  }
  for (const auto& r : rows) {
    std::vector<std::string> row(out_columns.size());
    for (size_t i = 0; i < columns.size() && i < r.size(); ++i) {
      size_t at = std::find(out_columns.begin(), out_columns.end(), columns[i]) - out_columns.begin();
      row[at] = r[i];
    }
    out_rows.push_back(std::move(row));
  }
  fs::create_directories(dir_, ec);
  std::string tmp = path.value() + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IOError("outputlookup: cannot write " + tmp);
    out << CsvLine(out_columns) << "\n";
    for (const auto& r : out_rows) out << CsvLine(r) << "\n";
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return Status::IOError("outputlookup: writing " + tmp + " failed (disk full?)");
    }
  }
  if (std::rename(tmp.c_str(), path.value().c_str()) != 0) {
    std::remove(tmp.c_str());
    return Status::IOError("outputlookup: cannot rename " + tmp + " to " + path.value());
  }
  tables_.erase(name);
  return Status::OK();
}

}  // namespace cairn::engine
