// LabSession and the lab folders (shell/lab_session.h).
#include "shell/lab_session.h"

#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "shell/arg_reader.h"
#include "shell/output_format.h"

namespace cairn::shell {

namespace fs = std::filesystem;

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : "";
}

const char* StateOf(const LabProgress::Task& t) {
  if (t.solved) return "solved";
  if (t.revealed) return "revealed";
  return "open";
}

std::string Indent(const std::string& text, const std::string& pad) {
  std::string out = pad;
  for (char c : text) {
    out += c;
    if (c == '\n') out += pad;
  }
  return out;
}

}  // namespace

std::string LabDataDir() {
  if (std::string env = Env("CAIRN_LAB_DATA"); !env.empty()) return env;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path beside = exe.parent_path() / "labs";
    if (fs::is_directory(beside)) return beside.string();
    fs::path share = exe.parent_path().parent_path() / "share" / "cairn" / "labs";
    if (fs::is_directory(share)) return share.string();
    return beside.string();
  }
  return "labs";
}

std::string LabsHome() {
  if (std::string env = Env("CAIRN_LABS_HOME"); !env.empty()) return env;
  if (std::string xdg = Env("XDG_DATA_HOME"); !xdg.empty()) return xdg + "/cairn/labs";
  if (std::string home = Env("HOME"); !home.empty()) return home + "/.local/share/cairn/labs";
  return ".cairn-labs";
}

std::string LabWorkspaceOf(const std::string& index_dir) {
  fs::path p = fs::path(index_dir).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();
  fs::path ws = p.parent_path();
  if (p.filename() == "index" && fs::exists(ws / "lab.yml")) return ws.string();
  return "";
}

Result<LabSession> LabSession::Open(const std::string& dir) {
  auto lab = LoadLab(dir);
  if (!lab.ok()) return lab.status();
  auto progress = ReadLabProgress(dir + "/progress.tsv");
  if (!progress.ok()) return progress.status();
  LabSession s;
  s.dir_ = dir;
  s.lab_ = lab.take();
  s.progress_ = progress.take();
  return s;
}

std::string LabSession::ParseTaskNumber(const std::string& word, int* number) const {
  std::optional<uint64_t> n = ParseWholeNumber(word);
  if (!n) return "a task number is a whole number, not '" + word + "'";
  if (*n < 1 || *n > lab_.tasks.size())
    return "lab " + lab_.name + " has tasks 1 to " + std::to_string(lab_.tasks.size()) + ", not " + word;
  *number = static_cast<int>(*n);
  return "";
}

std::string LabSession::Task(int number) const {
  if (number == 0) {
    number = 1;
    for (const LabTask& t : lab_.tasks) {
      LabProgress::Task p = ProgressOf(t.number);
      if (!p.solved && !p.revealed) {
        number = t.number;
        break;
      }
    }
  }
  const LabTask& t = lab_.tasks[number - 1];
  LabProgress::Task p = ProgressOf(number);
  std::string out = "task " + std::to_string(number) + " of " + std::to_string(lab_.tasks.size()) + " (" +
                    StateOf(p) + "): " + t.question + "\n";
  for (int h = 0; h < p.hints && h < static_cast<int>(t.hints.size()); ++h)
    out += "  hint " + std::to_string(h + 1) + ": " + t.hints[h] + "\n";
  int left = static_cast<int>(t.hints.size()) - p.hints;
  if (left > 0)
    out += "  (" + std::to_string(left) + (left == 1 ? " hint" : " hints") + " left: .hint " +
           std::to_string(number) + " in the shell, cairn lab hint " + std::to_string(number) + " outside)\n";
  if (p.solved || p.revealed) out += "  answer: " + t.answer + "\n" + Indent(t.query, "  | ") + "\n";
  return out;
}

std::string LabSession::TaskList() const {
  std::string out;
  for (const LabTask& t : lab_.tasks) {
    LabProgress::Task p = ProgressOf(t.number);
    char head[32];
    std::snprintf(head, sizeof head, "%3d. %-9s", t.number, StateOf(p));
    out += head + t.question + "\n";
  }
  return out;
}

std::string LabSession::Hint(int number) {
  const LabTask& t = lab_.tasks[number - 1];
  LabProgress::Task& p = progress_.tasks[number];
  if (t.hints.empty()) return "task " + std::to_string(number) + " has no hints\n";
  if (p.hints >= static_cast<int>(t.hints.size()))
    return "no more hints for task " + std::to_string(number) + " (cairn lab answer " +
           std::to_string(number) + " --reveal shows the answer)\n";
  ++p.hints;
  Save();
  return "hint " + std::to_string(p.hints) + " of " + std::to_string(t.hints.size()) + " for task " +
         std::to_string(number) + ": " + t.hints[p.hints - 1] + "\n";
}

bool LabSession::Answer(int number, const std::string& value, std::string* message) {
  const LabTask& t = lab_.tasks[number - 1];
  LabProgress::Task& p = progress_.tasks[number];
  ++p.attempts;
  bool right = AnswerMatches(t, value);
  if (right && !p.solved) {
    p.solved = true;
    p.solved_at = static_cast<int64_t>(std::time(nullptr));
  }
  Save();
  if (right) {
    *message = "right: task " + std::to_string(number) + " is " + t.answer + ". The query that finds it:\n" +
               Indent(t.query, "  ") + "\n" + std::to_string(solved()) + " of " +
               std::to_string(lab_.tasks.size()) + " tasks solved.\n";
  } else {
    *message = "not the answer to task " + std::to_string(number) + ": " + value + " (attempt " +
               std::to_string(p.attempts) + ")";
    if (p.hints < static_cast<int>(t.hints.size()))
      *message += "; a hint: .hint " + std::to_string(number) + " in the shell, cairn lab hint " +
                  std::to_string(number) + " outside";
    *message += "\n";
  }
  return right;
}

std::string LabSession::Reveal(int number) {
  const LabTask& t = lab_.tasks[number - 1];
  LabProgress::Task& p = progress_.tasks[number];
  if (!p.solved) p.revealed = true;
  Save();
  return "task " + std::to_string(number) + ": " + t.question + "\nanswer: " + t.answer + "\nthe query:\n" +
         Indent(t.query, "  ") + "\n";
}

std::string LabSession::StatusText() const {
  int revealed = 0;
  for (const auto& [n, t] : progress_.tasks) revealed += t.revealed && !t.solved;
  std::string out = "lab " + lab_.name + ": " + lab_.title + " — " + std::to_string(solved()) + " of " +
                    std::to_string(lab_.tasks.size()) + " solved";
  if (revealed) out += ", " + std::to_string(revealed) + " revealed";
  out += "\n";
  for (const LabTask& t : lab_.tasks) {
    LabProgress::Task p = ProgressOf(t.number);
    char line[96];
    std::snprintf(line, sizeof line, "%3d. %-9s %2d attempt%s %d hint%s  ", t.number, StateOf(p), p.attempts,
                  p.attempts == 1 ? " " : "s", p.hints, p.hints == 1 ? " " : "s");
    out += line + t.question + "\n";
  }
  return out;
}

std::string LabSession::StatusJson() const {
  std::string out = "{\"lab\":";
  AppendJson(lab_.name, &out);
  out += ",\"title\":";
  AppendJson(lab_.title, &out);
  std::string tasks;
  for (const LabTask& t : lab_.tasks) {
    LabProgress::Task p = ProgressOf(t.number);
    tasks += tasks.empty() ? "" : ",";
    tasks += "{\"task\":" + std::to_string(t.number) + ",\"state\":\"" + StateOf(p) +
             "\",\"attempts\":" + std::to_string(p.attempts) + ",\"hints\":" + std::to_string(p.hints) +
             ",\"solved_at\":" + (p.solved ? std::to_string(p.solved_at) : "null") + ",\"question\":";
    AppendJson(t.question, &tasks);
    tasks += "}";
  }
  out += ",\"solved\":" + std::to_string(solved()) + ",\"total\":" + std::to_string(lab_.tasks.size()) +
         ",\"tasks\":[" + tasks + "]}\n";
  return out;
}

Status LabSession::Reset() {
  progress_ = LabProgress();
  std::error_code ec;
  fs::remove(dir_ + "/progress.tsv", ec);
  if (ec) return Status::IOError("cannot remove " + dir_ + "/progress.tsv: " + ec.message());
  return Status::OK();
}

int LabSession::solved() const {
  int n = 0;
  for (const auto& [number, t] : progress_.tasks) n += t.solved;
  return n;
}

LabProgress::Task LabSession::ProgressOf(int number) const {
  auto it = progress_.tasks.find(number);
  return it == progress_.tasks.end() ? LabProgress::Task() : it->second;
}

void LabSession::Save() {
  save_status_ = WriteLabProgress(dir_ + "/progress.tsv", progress_);
}

}  // namespace cairn::shell
