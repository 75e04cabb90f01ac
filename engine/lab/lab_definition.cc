// Reading a lab's lab.yml (LoadLab, ListLabs) and building its index (BuildLabIndex).
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cairn/lab.h"

namespace cairn {

namespace fs = std::filesystem;

namespace {

std::string Where(const std::string& file, const YAML::Node& n) {
  return n.Mark().line >= 0 ? file + ":" + std::to_string(n.Mark().line + 1) : file;
}

// A scalar's text with a block scalar's final newline removed; "" for anything else.
std::string Text(const YAML::Node& n) {
  if (!n || !n.IsScalar()) return "";
  std::string s = n.Scalar();
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::vector<std::string> TextList(const YAML::Node& n) {
  std::vector<std::string> out;
  if (n && n.IsSequence())
    for (const auto& item : n) out.push_back(Text(item));
  else if (n && n.IsScalar())
    out.push_back(Text(n));
  return out;
}

Result<AnswerKind> KindOf(const std::string& file, const YAML::Node& n) {
  std::string k = Text(n);
  if (k.empty() || k == "text") return AnswerKind::kText;
  if (k == "number") return AnswerKind::kNumber;
  if (k == "list") return AnswerKind::kList;
  if (k == "time") return AnswerKind::kTime;
  return Status::InvalidArgument(Where(file, n) + ": kind is text, number, list or time, not '" + k + "'");
}

}  // namespace

// The lab a parsed lab.yml describes (may throw YAML::Exception on members of the wrong kind).
static Result<Lab> LabFromYaml(const YAML::Node& doc, const std::string& dir, const std::string& file);

Result<Lab> LoadLab(const std::string& dir) {
  std::string file = (fs::path(dir) / "lab.yml").string();
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::NotFound("no lab at " + dir + " (" + file + " cannot be read)");
  std::stringstream text;
  text << in.rdbuf();
  YAML::Node doc;
  try {
    doc = YAML::Load(text.str());
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (!doc.IsMap()) return Status::InvalidArgument(file + ": a lab is a YAML mapping");
  try {  // a member of the wrong kind (a list where a mapping belongs) throws
    return LabFromYaml(doc, dir, file);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

static Result<Lab> LabFromYaml(const YAML::Node& doc, const std::string& dir, const std::string& file) {
  Lab lab;
  lab.dir = dir;
  lab.name = Text(doc["name"]);
  lab.title = Text(doc["title"]);
  lab.room = Text(doc["room"]);
  lab.summary = Text(doc["summary"]);
  if (lab.name.empty() || lab.title.empty())
    return Status::InvalidArgument(file + ": a lab needs a name and a title");
  for (const auto& d : doc["data"]) {
    LabData entry{Text(d["path"]), Text(d["index"]), Text(d["sourcetype"]), Text(d["source"])};
    if (entry.path.empty()) return Status::InvalidArgument(Where(file, d) + ": a data entry needs a path");
    const fs::path data_path(entry.path);
    if (data_path.is_absolute() ||
        std::any_of(data_path.begin(), data_path.end(), [](const fs::path& part) { return part == ".."; }))
      return Status::InvalidArgument(Where(file, d) +
                                     ": a data path lies inside the lab's folder (no '/' at its "
                                     "start, no '..'): " +
                                     entry.path);
    if (entry.index.empty()) entry.index = "main";
    lab.data.push_back(entry);
  }
  for (const auto& t : doc["tasks"]) {
    LabTask task;
    task.number = static_cast<int>(lab.tasks.size()) + 1;
    task.question = Text(t["question"]);
    task.hints = TextList(t["hints"]);
    task.query = Text(t["query"]);
    task.answer = Text(t["answer"]);
    task.accept = TextList(t["accept"]);
    auto kind = KindOf(file, t["kind"]);
    if (!kind.ok()) return kind.status();
    task.kind = kind.value();
    if (task.question.empty() || task.answer.empty() || task.query.empty())
      return Status::InvalidArgument(Where(file, t) + ": task " + std::to_string(task.number) +
                                     " needs a question, a query and an answer");
    lab.tasks.push_back(std::move(task));
  }
  if (lab.tasks.empty()) return Status::InvalidArgument(file + ": a lab needs at least one task");
  return lab;
}

std::vector<std::string> ListLabs(const std::string& labs_dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(labs_dir, ec))
    if (entry.is_directory() && fs::exists(entry.path() / "lab.yml"))
      names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

Status BuildLabIndex(const Lab& lab, const std::string& index_dir, const IngestOptions& options,
                     IngestReport* total) {
  std::error_code ec;
  fs::remove_all(index_dir, ec);
  if (ec) return Status::IOError("cannot remove the old lab index " + index_dir + ": " + ec.message());
  for (const LabData& d : lab.data) {
    std::string path = (fs::path(lab.dir) / d.path).string();
    if (!fs::exists(path)) return Status::NotFound(path + ": the lab's data is missing (is the lab built?)");
    IngestOptions o = options;
    o.index_dir = index_dir;
    o.index_name = d.index;
    o.sourcetype = d.sourcetype;
    o.source = d.source;
    IngestReport r = Ingest({path}, o);
    total->files += r.files;
    total->events += r.events;
    total->bytes += r.bytes;
    total->errors += r.errors;
    total->seconds += r.seconds;
    if (r.errors)
      return Status::InvalidArgument(path + ": " + std::to_string(r.errors) + " error(s) in the lab's data");
  }
  return Status::OK();
}

}  // namespace cairn
