// A student's lab as the command line and the shell see it: where labs are installed and
// where a student's workspaces live, and the session of one workspace (its tasks, hints,
// answers and progress) rendered as the text both `cairn lab` and the shell's .task, .hint
// and .answer print. A workspace is <labs home>/<lab>/ holding lab.yml (a copy), index/ and
// progress.tsv; <labs home>/current names the lab started last.
#pragma once

#include <string>

#include "cairn/lab.h"

namespace cairn::shell {

/// Where built labs are: $CAIRN_LAB_DATA, else labs/ beside the cairn binary, else
/// ../share/cairn/labs from it.
std::string LabDataDir();
/// Where workspaces are: $CAIRN_LABS_HOME, else $XDG_DATA_HOME/cairn/labs, else
/// ~/.local/share/cairn/labs.
std::string LabsHome();

/// The workspace of `index_dir` when it is a lab's index (…/<lab>/index beside lab.yml), else "".
std::string LabWorkspaceOf(const std::string& index_dir);

class LabSession {
 public:
  /// Opens the workspace `dir` (its lab.yml and progress).
  static Result<LabSession> Open(const std::string& dir);

  const Lab& lab() const { return lab_; }
  std::string index_dir() const { return dir_ + "/index"; }

  /// The task's question, with the hints shown so far. 0: the first open task.
  std::string Task(int number) const;
  /// Every task, one line each, with its state.
  std::string TaskList() const;
  /// Shows the next hint of the task (remembered).
  std::string Hint(int number);
  /// Judges `value`; the message says right or wrong, and after a right answer gives the query.
  bool Answer(int number, const std::string& value, std::string* message);
  /// The answer and its query, the task marked revealed.
  std::string Reveal(int number);
  /// Progress: solved, revealed and open tasks, attempts and hints.
  std::string StatusText() const;
  std::string StatusJson() const;
  /// Tasks solved so far.
  int solved() const;
  /// Forgets the progress.
  Status Reset();
  /// Reads a task number from `word` into `*number`; "" or why it names no task.
  std::string ParseTaskNumber(const std::string& word, int* number) const;
  const Status& save_status() const { return save_status_; }

 private:
  std::string dir_;
  Lab lab_;
  LabProgress progress_;
  Status save_status_;
  void Save();
  /// The progress of task `number` (none yet: all zero).
  LabProgress::Task ProgressOf(int number) const;
};

}  // namespace cairn::shell
