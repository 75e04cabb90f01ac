// A student's progress in a lab (ReadLabProgress, WriteLabProgress): progress.tsv, one line
// per task that has any: task number, solved (0/1), revealed (0/1), attempts, hints shown,
// the time it was solved (epoch seconds). A `#` line is a comment. Replaced atomically.
#include <fstream>
#include <sstream>

#include "cairn/lab.h"
#include "storage/file_io.h"

namespace cairn {

Result<LabProgress> ReadLabProgress(const std::string& path) {
  LabProgress progress;
  std::ifstream in(path);
  if (!in) return progress;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    int number = 0, solved = 0, revealed = 0;
    LabProgress::Task t;
    if (!(fields >> number >> solved >> revealed >> t.attempts >> t.hints >> t.solved_at) || number <= 0)
      return Status::Corruption(path + ":" + std::to_string(line_number) +
                                ": expected task, solved, revealed, attempts, hints, solved_at");
    t.solved = solved != 0;
    t.revealed = revealed != 0;
    progress.tasks[number] = t;
  }
  return progress;
}

Status WriteLabProgress(const std::string& path, const LabProgress& progress) {
  std::string text = "# task\tsolved\trevealed\tattempts\thints\tsolved_at\n";
  for (const auto& [number, t] : progress.tasks)
    text += std::to_string(number) + "\t" + (t.solved ? "1" : "0") + "\t" + (t.revealed ? "1" : "0") + "\t" +
            std::to_string(t.attempts) + "\t" + std::to_string(t.hints) + "\t" + std::to_string(t.solved_at) +
            "\n";
  return storage::WriteFileAtomically(path, text);
}

}  // namespace cairn
