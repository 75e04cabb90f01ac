// `cairn lab`: list the labs, start one (build its index in a workspace of its own), read its
// tasks and hints, answer them, follow progress, reset it, and open the shell on it.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cairn/lab.h"
#include "shell/arg_reader.h"
#include "shell/cli.h"
#include "shell/lab_session.h"
#include "shell/progress_bar.h"

namespace cairn::shell {

namespace fs = std::filesystem;

namespace {

const char kLabUsage[] =
    "usage: cairn lab list\n"
    "       cairn lab start NAME          build the lab's index and print its tasks\n"
    "       cairn lab task [N]            a task's question (no N: the first open one)\n"
    "       cairn lab tasks               every task with its state\n"
    "       cairn lab hint N              the task's next hint\n"
    "       cairn lab answer N VALUE...   right or wrong; after a right answer, the query that finds it\n"
    "       cairn lab answer N --reveal   the answer and its query, without solving the task\n"
    "       cairn lab status [--format json]\n"
    "       cairn lab reset [NAME]        forget the progress (the index stays)\n"
    "       cairn lab shell               the SPL shell on the lab's index, with .task, .hint, .answer\n"
    "Options: --lab NAME (a lab other than the current one), --labs-home DIR (where workspaces are;\n"
    "$CAIRN_LABS_HOME), --lab-data DIR (where built labs are; $CAIRN_LAB_DATA). Walkthroughs: docs/labs/.\n";

struct LabArgs {
  std::string lab, home, data;
  std::string format = "text";
  bool reveal = false;
  std::vector<std::string> words;
};

// A lab's name is a folder name of its own: lower-case letters, digits, '-' and '_', so that
// it never leads outside the labs' folders (`cairn lab start ../x`).
bool IsLabName(const std::string& name) {
  if (name.empty() || name.size() > 64 || name[0] == '-' || name[0] == '_') return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  return true;
}

std::string ReadCurrent(const std::string& home) {
  std::ifstream in(home + "/current");
  std::string name;
  std::getline(in, name);
  return name;
}

// The workspace of `name` (or of the current lab), opened; prints why not and returns false.
bool OpenSession(const LabArgs& a, std::optional<LabSession>* session) {
  std::string name = a.lab.empty() ? ReadCurrent(a.home) : a.lab;
  if (name.empty()) {
    std::fprintf(
        stderr,
        "cairn lab: no lab started yet (cairn lab list shows them, cairn lab start NAME starts one)\n");
    return false;
  }
  if (!IsLabName(name)) {
    std::fprintf(stderr, "cairn lab: '%s' is not a lab name (lower-case letters, digits, '-' and '_')\n",
                 name.c_str());
    return false;
  }
  std::string dir = a.home + "/" + name;
  if (!fs::exists(dir + "/lab.yml")) {
    std::fprintf(stderr, "cairn lab: lab %s is not started (cairn lab start %s)\n", name.c_str(),
                 name.c_str());
    return false;
  }
  auto opened = LabSession::Open(dir);
  if (!opened.ok()) {
    PrintError(opened.status());
    return false;
  }
  session->emplace(opened.take());
  return true;
}

std::optional<int> TaskNumber(const LabSession& s, const std::string& word) {
  int n = 0;
  if (std::string problem = s.ParseTaskNumber(word, &n); !problem.empty()) {
    std::fprintf(stderr, "cairn lab: %s\n", problem.c_str());
    return std::nullopt;
  }
  return n;
}

int List(const LabArgs& a) {
  std::vector<std::string> names = ListLabs(a.data);
  if (names.empty()) {
    std::fprintf(stderr, "cairn lab: no labs in %s (build cairn, or set $CAIRN_LAB_DATA)\n", a.data.c_str());
    return 1;
  }
  std::string current = ReadCurrent(a.home);
  for (const std::string& name : names) {
    auto lab = LoadLab(a.data + "/" + name);
    if (!lab.ok()) {
      std::printf("  %-24s (cannot be read: %s)\n", name.c_str(), lab.status().ToString().c_str());
      continue;
    }
    std::string state = "not started";
    if (auto s = LabSession::Open(a.home + "/" + name); s.ok())
      state =
          std::to_string(s.value().solved()) + " of " + std::to_string(lab.value().tasks.size()) + " solved";
    std::printf("%s %-24s %-34s %2zu tasks, %s\n", name == current ? "*" : " ", name.c_str(),
                lab.value().title.c_str(), lab.value().tasks.size(), state.c_str());
  }
  return 0;
}

int Start(const LabArgs& a) {
  if (a.words.size() != 1) {
    std::fprintf(stderr, "cairn lab start: name one lab (cairn lab list shows them)\n");
    return 2;
  }
  const std::string& name = a.words[0];
  if (!IsLabName(name)) {
    std::fprintf(stderr, "cairn lab start: '%s' is not a lab name (cairn lab list shows them)\n",
                 name.c_str());
    return 2;
  }
  auto lab = LoadLab(a.data + "/" + name);
  if (!lab.ok()) {
    if (lab.status().code() == Status::Code::kNotFound)
      std::fprintf(stderr, "cairn lab start: no lab named %s in %s (cairn lab list shows them)\n",
                   name.c_str(), a.data.c_str());
    else
      PrintError(lab.status());
    return lab.status().code() == Status::Code::kNotFound ? 2 : 1;
  }
  std::string ws = a.home + "/" + name;
  std::error_code ec;
  fs::create_directories(ws, ec);
  if (ec) {
    std::fprintf(stderr, "cairn lab start: cannot create %s: %s\n", ws.c_str(), ec.message().c_str());
    return 1;
  }
  IngestOptions options;
  options.on_error = [](const std::string& m) { std::fprintf(stderr, "cairn: error: %s\n", m.c_str()); };
  options.on_warning = [](const std::string& m) { std::fprintf(stderr, "cairn: warning: %s\n", m.c_str()); };
  IngestReport report;
  Status built = BuildLabIndex(lab.value(), ws + "/index", options, &report);
  if (!built.ok()) {
    PrintError(built);
    return 1;
  }
  fs::copy_file(lab.value().dir + "/lab.yml", ws + "/lab.yml", fs::copy_options::overwrite_existing, ec);
  if (ec) {
    std::fprintf(stderr, "cairn lab start: cannot write %s/lab.yml: %s\n", ws.c_str(), ec.message().c_str());
    return 1;
  }
  std::ofstream(a.home + "/current") << name << "\n";
  auto session = LabSession::Open(ws);
  if (!session.ok()) {
    PrintError(session.status());
    return 1;
  }
  const Lab& l = lab.value();
  std::printf("lab %s: %s\n", l.name.c_str(), l.title.c_str());
  if (!l.room.empty()) std::printf("after %s\n", l.room.c_str());
  std::printf("\n%s\n\n", l.summary.c_str());
  std::printf("index: %s events from %s files, in %s/index\n\n", WithCommas(report.events).c_str(),
              WithCommas(report.files).c_str(), ws.c_str());
  std::printf("tasks:\n%s\n", session.value().TaskList().c_str());
  std::printf(
      "next: cairn lab shell (then .task 1), or cairn lab task 1 and cairn --index %s/index search 'QUERY';\n"
      "      answer with cairn lab answer 1 VALUE\n",
      ws.c_str());
  return 0;
}

int RunLabCommand(const GlobalOptions& global, const std::string& cmd, LabArgs& a) {
  if (cmd == "list") return List(a);
  if (cmd == "start") return Start(a);
  std::optional<LabSession> session;
  if (!OpenSession(a, &session)) return 1;
  LabSession& s = *session;
  if (cmd == "task" || cmd == "tasks") {
    if (cmd == "tasks") {
      std::fputs(s.TaskList().c_str(), stdout);
      return 0;
    }
    int n = 0;
    if (!a.words.empty()) {
      auto k = TaskNumber(s, a.words[0]);
      if (!k) return 2;
      n = *k;
    }
    std::fputs(s.Task(n).c_str(), stdout);
    return 0;
  }
  if (cmd == "hint") {
    if (a.words.size() != 1)
      return std::fprintf(stderr, "cairn lab hint: name a task: cairn lab hint N\n"), 2;
    auto n = TaskNumber(s, a.words[0]);
    if (!n) return 2;
    std::fputs(s.Hint(*n).c_str(), stdout);
    if (!s.save_status().ok()) return PrintError(s.save_status()), 1;
    return 0;
  }
  if (cmd == "answer") {
    if (a.words.empty() || (a.words.size() < 2 && !a.reveal))
      return std::fprintf(stderr, "cairn lab answer: usage: cairn lab answer N VALUE (or N --reveal)\n"), 2;
    auto n = TaskNumber(s, a.words[0]);
    if (!n) return 2;
    if (a.reveal) {
      std::fputs(s.Reveal(*n).c_str(), stdout);
      return s.save_status().ok() ? 0 : (PrintError(s.save_status()), 1);
    }
    std::string value;
    for (size_t i = 1; i < a.words.size(); ++i) value += (i > 1 ? " " : "") + a.words[i];
    std::string message;
    bool right = s.Answer(*n, value, &message);
    std::fputs(message.c_str(), stdout);
    if (!s.save_status().ok()) return PrintError(s.save_status()), 1;
    return right ? 0 : 1;
  }
  if (cmd == "status") {
    std::fputs(a.format == "json" ? s.StatusJson().c_str() : s.StatusText().c_str(), stdout);
    return 0;
  }
  if (cmd == "reset") {
    Status st = s.Reset();
    if (!st.ok()) return PrintError(st), 1;
    std::printf("lab %s: progress forgotten (the index stays; cairn lab start %s rebuilds it)\n",
                s.lab().name.c_str(), s.lab().name.c_str());
    return 0;
  }
  if (cmd == "shell") {
    GlobalOptions lab_global = global;
    lab_global.index_dir = s.index_dir();
    return RunShell(lab_global, {});
  }
  std::fprintf(stderr, "cairn lab: unknown command %s\n%s", cmd.c_str(), kLabUsage);
  return 2;
}

}  // namespace

int RunLab(const GlobalOptions& global, const std::vector<std::string>& args) {
  LabArgs a;
  a.home = LabsHome();
  a.data = LabDataDir();
  std::string cmd;
  ArgReader reader("cairn lab", args);
  while (!reader.done()) {
    const std::string& w = reader.Next();
    if (w == "--help" || w == "-h") {
      std::fputs(kLabUsage, stdout);
      return 0;
    } else if (w == "--lab" || w == "--labs-home" || w == "--lab-data") {
      std::optional<std::string> v = reader.Value(w);
      if (!v) return 2;
      (w == "--lab" ? a.lab : w == "--labs-home" ? a.home : a.data) = *v;
    } else if (w == "--format") {
      std::optional<std::string> v = reader.Choice(w, {"text", "json"});
      if (!v) return 2;
      a.format = *v;
    } else if (w == "--reveal") {
      a.reveal = true;
    } else if (cmd.empty()) {
      cmd = w;
    } else {
      a.words.push_back(w);
    }
  }
  if (cmd.empty()) {
    std::fputs(kLabUsage, stderr);
    return 2;
  }
  if (cmd == "reset" && !a.words.empty()) a.lab = a.words[0];
  return RunLabCommand(global, cmd, a);
}

}  // namespace cairn::shell
