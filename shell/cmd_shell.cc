// `cairn shell` (and `cairn` alone on a terminal): the interactive SPL shell. libedit gives
// line editing, Ctrl-R history search and persistent history (~/.cairn_history, or
// $CAIRN_HISTORY); a line ending in `|` or inside an open bracket or quote continues; Tab
// completes commands, fields and values; Ctrl-C cancels the running query; results page
// through $PAGER when they exceed the screen. With standard input not a terminal it runs
// each query it reads, without colours or pager, and exits 1 if any failed.
#include <editline/readline.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "cairn/index_info.h"
#include "cairn/search.h"
#include "shell/arg_reader.h"
#include "shell/cli.h"
#include "shell/completion.h"
#include "shell/json_pretty.h"
#include "shell/lab_session.h"
#include "shell/output_format.h"
#include "shell/progress_bar.h"

namespace cairn::shell {

namespace {

std::atomic<bool> g_cancel{false};
std::atomic<bool> g_running{false};

void OnInterrupt(int) {
  if (g_running.load()) g_cancel.store(true);
}

const char kHelp[] =
    "Type a Splunk search and press Enter. A line ending in | continues on the next line.\n"
    "\n"
    "  eventName=ConsoleLogin errorMessage=\"Failed authentication\"\n"
    "  userIdentity.accessKeyId=AKIA* | stats count by userIdentity.accessKeyId eventSource\n"
    "  NOT userIdentity.sessionContext.attributes.creationDate=* | stats count by eventSource | sort -count\n"
    "  readOnly=false | stats count by eventSource eventName | sort -count | head 10\n"
    "  eventName IN (PutUserPolicy, AttachUserPolicy, CreateAccessKey) | table _time eventName userIdentity.arn\n"
    "  ModifySecurityGroupRules earliest=-30d@d\n"
    "\n"
    "Tab completes command names after |, field names, and values after field=.\n"
    "Ctrl-R searches history, Ctrl-C cancels a running query, Ctrl-D quits.\n"
    "\n"
    "  .help                 this text\n"
    "  .fields [filter]      interesting fields of the last search: coverage and top values\n"
    "  .indexes              index names and event counts\n"
    "  .info                 segments, events, time range, size\n"
    "  .format FORMAT        auto (default), table, json, csv or raw\n"
    "  .timing on|off        show the status line after each query\n"
    "  .explain QUERY        the plan, with rows and time per step\n"
    "  .earliest [TIME]      the shell's time range (-24h, 2025-12-01T00:00:00Z, none)\n"
    "  .latest [TIME]\n"
    "  .output [FILE]        write results to FILE (no FILE: back to the screen)\n"
    "  .read FILE            run the queries in FILE (a saved hunt)\n"
    "  .quit                 leave (also .exit, Ctrl-D)\n";

const char kLabHelp[] =
    "\nIn a lab:\n"
    "  .task [N]             a task's question (no N: the first open one); .tasks lists them all\n"
    "  .hint N               the task's next hint\n"
    "  .answer N VALUE       right or wrong; after a right answer, the query that finds it\n"
    "  .reveal N             the answer and its query, without solving the task\n"
    "  .status               progress in the lab\n";

class IndexCompletion final : public CompletionSource {
 public:
  explicit IndexCompletion(Searcher* s) : searcher_(s) {}
  std::vector<std::pair<std::string, uint64_t>> Fields() override {
    if (fields_.empty()) fields_ = searcher_->FieldNames();
    return fields_;
  }
  std::vector<std::pair<std::string, uint64_t>> Values(const std::string& field) override {
    return searcher_->FieldValueCounts(field, 200);
  }
  std::vector<std::string> Commands() override {
    return {"dedup", "eval", "fields", "fillnull", "head", "rare", "regex", "rename", "rex", "search", "sort", "stats",
            "table", "tail", "top", "where"};
  }

 private:
  Searcher* searcher_;
  std::vector<std::pair<std::string, uint64_t>> fields_;
};

IndexCompletion* g_completion = nullptr;
std::vector<std::string> g_matches;

char* CompletionGenerator(const char*, int state) {
  if (state == 0) {
    std::string before(rl_line_buffer, static_cast<size_t>(rl_point));
    g_matches = Complete(before, g_completion);
  }
  if (static_cast<size_t>(state) >= g_matches.size()) return nullptr;
  return strdup(g_matches[static_cast<size_t>(state)].c_str());
}

char** CompleteHook(const char* text, int, int) {
  rl_attempted_completion_over = 1;
  return rl_completion_matches(text, CompletionGenerator);
}

// True when `text` needs another line: it ends in a pipe, or a quote or bracket is open.
bool NeedsMore(const std::string& text) {
  int parens = 0, brackets = 0;
  bool quote = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote) {
      if (c == '\\') ++i;
      else if (c == '"') quote = false;
      continue;
    }
    if (c == '"') quote = true;
    else if (c == '(') ++parens;
    else if (c == ')') --parens;
    else if (c == '[') ++brackets;
    else if (c == ']') --brackets;
  }
  size_t end = text.find_last_not_of(" \t\r\n");
  bool pipe = end != std::string::npos && text[end] == '|';
  return quote || parens > 0 || brackets > 0 || pipe;
}

size_t TerminalRows() {
  struct winsize ws;
  if (::ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0) return ws.ws_row;
  return 24;
}

class Shell {
 public:
  Shell(const GlobalOptions& global, std::unique_ptr<Searcher> searcher, bool interactive)
      : global_(global), searcher_(std::move(searcher)), interactive_(interactive), colour_(interactive && ::isatty(1)) {}

  /// The lab whose index this is: the shell then knows its tasks.
  void set_lab(std::optional<LabSession> lab) { lab_ = std::move(lab); }

  // Runs one input (a query or a dot-command); false if it failed.
  bool Handle(const std::string& input) {
    std::string line = input;
    size_t b = line.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return true;
    line = line.substr(b, line.find_last_not_of(" \t\r\n") - b + 1);
    if (line[0] == '#') return true;
    if (line[0] == '.') return DotCommand(line);
    return Query(line);
  }

  bool quit() const { return quit_; }

 private:
  std::FILE* Out() { return output_ ? output_ : stdout; }

  void Emit(const std::string& text) {
    bool page = interactive_ && output_ == nullptr && ::isatty(1);
    size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
    if (page && lines + 3 > TerminalRows()) {
      const char* pager = std::getenv("PAGER");
      std::string cmd = pager && *pager ? pager : "less -R -F -X";
      if (std::FILE* p = ::popen(cmd.c_str(), "w")) {
        std::fwrite(text.data(), 1, text.size(), p);
        ::pclose(p);
        return;
      }
    }
    std::fwrite(text.data(), 1, text.size(), Out());
    std::fflush(Out());
  }

  bool Query(const std::string& query) {
    SearchOptions options = options_;
    options.want_raw = true;
    options.want_fields = format_ != "raw";
    options.limit = 10000;
    options.cancel = &g_cancel;
    g_cancel.store(false);
    g_running.store(true);
    SearchResult r = searcher_->Run(query, options);
    g_running.store(false);
    for (const auto& w : r.warnings) std::fputs(w.c_str(), stderr);
    if (!r.status.ok()) {
      if (r.status.IsCancelled()) std::fprintf(stderr, "query cancelled\n");
      else PrintError(r.status);
      return false;
    }
    last_query_ = query;
    std::string text = Render(r);
    Emit(text);
    if (timing_ && r.generated) {
      std::fprintf(stderr, "%s%s result%s from a generating command, %.1f ms%s\n", colour_ ? "\033[2m" : "",
                   WithCommas(r.results).c_str(), r.results == 1 ? "" : "s", r.elapsed_ms, colour_ ? "\033[0m" : "");
    } else if (timing_) {
      std::string range = !r.earliest_us && !r.latest_us
                              ? "all time"
                              : (r.earliest_us ? FormatUtc(*r.earliest_us) : "the beginning") +
                                    std::string(" to ") + (r.latest_us ? FormatUtc(*r.latest_us) : "now");
      std::fprintf(stderr, "%s%s events matched, %s results, %.1f ms, %llu of %llu segments scanned (%llu pruned), %s%s\n",
                   colour_ ? "\033[2m" : "", WithCommas(r.matched).c_str(), WithCommas(r.results).c_str(),
                   r.elapsed_ms, static_cast<unsigned long long>(r.segments_scanned),
                   static_cast<unsigned long long>(r.segments_total),
                   static_cast<unsigned long long>(r.segments_pruned), range.c_str(), colour_ ? "\033[0m" : "");
    }
    return true;
  }

  std::string Render(const SearchResult& r) {
    std::string text;
    std::FILE* mem = nullptr;
    char* buf = nullptr;
    size_t len = 0;
    mem = ::open_memstream(&buf, &len);
    size_t width = output_ ? 0 : TerminalWidth();
    Format f = Format::kTable;
    if (r.is_table) {
      ParseFormat(format_ == "auto" || format_ == "raw" ? "table" : format_, &f);
      WriteTable(r.table, f, mem, width);
    } else if (format_ == "auto") {
      std::fclose(mem);
      for (const Event& ev : r.events) text += PrettyJson(ev.raw, colour_ && output_ == nullptr) + "\n";
      std::free(buf);
      return text;
    } else {
      ParseFormat(format_, &f);
      std::vector<std::string> cols = {"_time", "eventName", "eventSource", "userIdentity.arn", "sourceIPAddress"};
      WriteEvents(r.events, f, cols, mem, width);
    }
    std::fclose(mem);
    text.assign(buf, len);
    std::free(buf);
    return text;
  }

  bool DotCommand(const std::string& line) {
    std::string cmd = line, arg;
    size_t sp = line.find_first_of(" \t");
    if (sp != std::string::npos) {
      cmd = line.substr(0, sp);
      arg = line.substr(line.find_first_not_of(" \t", sp));
    }
    if (cmd == ".quit" || cmd == ".exit") {
      quit_ = true;
      return true;
    }
    if (cmd == ".help") {
      Emit(std::string(kHelp) + (lab_ ? kLabHelp : ""));
      return true;
    }
    if (cmd == ".task" || cmd == ".tasks" || cmd == ".hint" || cmd == ".answer" || cmd == ".reveal" ||
        cmd == ".status")
      return LabCommand(cmd, arg);
    if (cmd == ".format") {
      if (arg != "auto" && arg != "table" && arg != "json" && arg != "csv" && arg != "raw") {
        std::fprintf(stderr, ".format takes auto, table, json, csv or raw\n");
        return false;
      }
      format_ = arg;
      return true;
    }
    if (cmd == ".timing") {
      if (arg != "on" && arg != "off") {
        std::fprintf(stderr, ".timing takes on or off\n");
        return false;
      }
      timing_ = arg == "on";
      return true;
    }
    if (cmd == ".earliest" || cmd == ".latest") {
      std::optional<std::string>& slot = cmd == ".earliest" ? options_.earliest : options_.latest;
      if (arg.empty()) {
        std::printf("%s %s\n", cmd.c_str(), slot ? slot->c_str() : "none");
        return true;
      }
      if (arg == "none") slot.reset(); else slot = arg;
      return true;
    }
    if (cmd == ".explain") {
      SearchOptions o = options_;
      o.count_only = true;
      o.explain = true;
      SearchResult r = searcher_->Run(arg, o);
      if (!r.status.ok()) {
        PrintError(r.status);
        return false;
      }
      Emit(r.explain);
      return true;
    }
    if (cmd == ".output") {
      if (output_) std::fclose(output_);
      output_ = nullptr;
      if (!arg.empty()) {
        output_ = std::fopen(arg.c_str(), "w");
        if (output_ == nullptr) {
          std::fprintf(stderr, ".output: cannot open %s: %s\n", arg.c_str(), std::strerror(errno));
          return false;
        }
      }
      return true;
    }
    if (cmd == ".read") {
      std::ifstream in(arg);
      if (!in) {
        std::fprintf(stderr, ".read: cannot open %s\n", arg.c_str());
        return false;
      }
      return RunStream(in, false);
    }
    if (cmd == ".info") {
      IndexInfo info;
      if (Status st = GetIndexInfo(global_.index_dir, &info); !st.ok()) {
        PrintError(st);
        return false;
      }
      char buf[512];
      std::snprintf(buf, sizeof buf, "index %s: %s segments, %s events, %s .. %s, %s on disk for %s raw\n",
                    info.path.c_str(), WithCommas(info.segments).c_str(), WithCommas(info.events).c_str(),
                    FormatUtc(info.min_time_us).c_str(), FormatUtc(info.max_time_us).c_str(),
                    HumanBytes(static_cast<double>(info.disk_bytes)).c_str(), HumanBytes(static_cast<double>(info.raw_bytes)).c_str());
      Emit(buf);
      return true;
    }
    if (cmd == ".indexes") {
      std::string text;
      for (const auto& [v, n] : searcher_->FieldValueCounts("index", 100)) text += v + "  " + WithCommas(n) + " events\n";
      Emit(text.empty() ? "no events\n" : text);
      return true;
    }
    if (cmd == ".fields") {
      std::string q = last_query_.empty() ? "*" : last_query_.substr(0, last_query_.find('|'));
      std::vector<FieldProfile> profiles;
      uint64_t matched = 0;
      if (Status st = searcher_->ProfileFields(q, options_, 5, &profiles, &matched); !st.ok()) {
        PrintError(st);
        return false;
      }
      std::vector<std::string> headers = {"field", "coverage", "distinct", "top values"};
      std::vector<std::vector<std::string>> rows;
      for (const auto& p : profiles) {
        if (!arg.empty() && p.name.find(arg) == std::string::npos) continue;
        char cov[32];
        std::snprintf(cov, sizeof cov, "%.0f%%", matched ? 100.0 * static_cast<double>(p.events) / static_cast<double>(matched) : 0.0);
        std::string top;
        for (const auto& [v, n] : p.top) top += (top.empty() ? "" : ", ") + v + " (" + WithCommas(n) + ")";
        rows.push_back({p.name, cov, WithCommas(p.distinct), top});
      }
      Emit("fields of " + WithCommas(matched) + " events matching: " + q + "\n" +
           RenderTable(headers, rows, output_ ? 0 : TerminalWidth()));
      return true;
    }
    std::fprintf(stderr, "unknown command %s (.help lists them)\n", cmd.c_str());
    return false;
  }

  // .task, .tasks, .hint, .answer, .reveal and .status of a lab's shell.
  bool LabCommand(const std::string& cmd, const std::string& arg) {
    if (!lab_) {
      std::fprintf(stderr, "%s works in a lab's shell (cairn lab start NAME, then cairn lab shell)\n", cmd.c_str());
      return false;
    }
    if (cmd == ".tasks") {
      Emit(lab_->TaskList());
      return true;
    }
    if (cmd == ".status") {
      Emit(lab_->StatusText());
      return true;
    }
    std::string number = arg.substr(0, arg.find_first_of(" \t"));
    std::string value;
    if (size_t sp = arg.find_first_of(" \t"); sp != std::string::npos)
      value = arg.substr(std::min(arg.size(), arg.find_first_not_of(" \t", sp)));
    int n = 0;
    if (!number.empty()) {
      if (std::string problem = lab_->ParseTaskNumber(number, &n); !problem.empty()) {
        std::fprintf(stderr, "%s\n", problem.c_str());
        return false;
      }
    } else if (cmd != ".task") {
      std::fprintf(stderr, "%s needs a task number%s\n", cmd.c_str(), cmd == ".answer" ? " and a value" : "");
      return false;
    }
    if (cmd == ".task") {
      Emit(lab_->Task(n));
      return true;
    }
    if (cmd == ".hint") {
      Emit(lab_->Hint(n));
      return true;
    }
    if (cmd == ".reveal") {
      Emit(lab_->Reveal(n));
      return true;
    }
    if (value.empty()) {
      std::fprintf(stderr, ".answer needs a value: .answer %d VALUE\n", n);
      return false;
    }
    std::string message;
    bool right = lab_->Answer(n, value, &message);
    Emit(message);
    return right;
  }

 public:
  // Runs every query in `in` (lines joined while NeedsMore); false if any failed.
  bool RunStream(std::istream& in, bool stop_on_quit) {
    bool ok = true;
    std::string pending, line;
    while (std::getline(in, line)) {
      pending += pending.empty() ? line : "\n" + line;
      if (NeedsMore(pending)) continue;
      ok &= Handle(pending);
      pending.clear();
      if (stop_on_quit && quit_) break;
    }
    if (!pending.empty()) ok &= Handle(pending);
    return ok;
  }

  int Interactive() {
    std::string history;
    if (const char* h = std::getenv("CAIRN_HISTORY")) history = h;
    else if (const char* home = std::getenv("HOME")) history = std::string(home) + "/.cairn_history";
    using_history();
    if (!history.empty()) read_history(history.c_str());
    IndexCompletion completion(searcher_.get());
    g_completion = &completion;
    rl_attempted_completion_function = CompleteHook;
    rl_basic_word_break_characters = const_cast<char*>(" \t|(,");
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_handler = OnInterrupt;
    sigaction(SIGINT, &sa, nullptr);
    std::printf("cairn shell — %s. Type .help for help, Ctrl-D to quit.\n", global_.index_dir.c_str());
    if (lab_)
      std::printf("lab %s: %s (%zu tasks). .task shows the first open one, .answer N VALUE answers it.\n",
                  lab_->lab().name.c_str(), lab_->lab().title.c_str(), lab_->lab().tasks.size());
    bool failed = false;
    std::string pending;
    while (!quit_) {
      char* raw = readline(pending.empty() ? "cairn> " : "  ...> ");
      if (raw == nullptr) {
        std::printf("\n");
        break;
      }
      std::string line(raw);
      std::free(raw);
      pending += pending.empty() ? line : "\n" + line;
      if (NeedsMore(pending)) continue;
      std::string entry = pending;
      pending.clear();
      if (entry.find_first_not_of(" \t") == std::string::npos) continue;
      std::string one_line = entry;
      for (char& c : one_line)
        if (c == '\n') c = ' ';
      add_history(one_line.c_str());
      if (!history.empty()) {
        write_history(history.c_str());
        history_truncate_file(history.c_str(), 5000);
      }
      failed |= !Handle(entry);
    }
    return 0;
  }

 private:
  const GlobalOptions& global_;
  std::unique_ptr<Searcher> searcher_;
  bool interactive_;
  bool colour_;
  bool quit_ = false;
  bool timing_ = true;
  std::string format_ = "auto";
  SearchOptions options_;
  std::FILE* output_ = nullptr;
  std::string last_query_;
  std::optional<LabSession> lab_;
};

}  // namespace

int RunShell(const GlobalOptions& global, const std::vector<std::string>& args) {
  std::optional<std::string> format;
  ArgReader reader("cairn shell", args);
  while (!reader.done()) {
    const std::string& a = reader.Next();
    if (a != "--format") return reader.Fail("unknown argument " + a + "\nusage: cairn shell [--format raw|json|table|csv]");
    format = reader.Choice(a, {"raw", "json", "table", "csv"});
    if (!format) return 2;
  }
  auto opened = Searcher::Open(global.index_dir);
  if (!opened.ok()) {
    PrintError(opened.status());
    return ExitCode(opened.status());
  }
  bool interactive = ::isatty(0);
  Shell shell(global, opened.take(), interactive);
  if (format) shell.Handle(".format " + *format);
  if (std::string ws = LabWorkspaceOf(global.index_dir); !ws.empty()) {
    auto lab = LabSession::Open(ws);
    if (lab.ok()) shell.set_lab(lab.take());
    else PrintError(lab.status());
  }
  if (!interactive) return shell.RunStream(std::cin, true) ? 0 : 1;
  return shell.Interactive();
}

}  // namespace cairn::shell
