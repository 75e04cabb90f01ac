// Training labs (`cairn lab`): a lab is a folder holding `lab.yml` (its questions, answers,
// hints and the queries that answer them, and how its data files are ingested) and the data
// its generator made. This module reads lab definitions, builds a lab's index, judges answers,
// and keeps a student's progress. Formats: docs/labs/README.md.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cairn/ingest.h"
#include "cairn/status.h"

namespace cairn {

/// One data file or folder of a lab and how it is ingested.
struct LabData {
  std::string path;        ///< relative to the lab's folder
  std::string index;       ///< the index name its events get
  std::string sourcetype;  ///< empty: detected
  std::string source;      ///< empty: the file's path
};

enum class AnswerKind {
  kText,    ///< compared without case, surrounding space or quotes
  kNumber,  ///< an integer; thousands separators allowed
  kList,    ///< items in any order, separated by commas, spaces or "and"
  kTime,    ///< a UTC time: 2026-11-24 18:42:07, 2026-11-24T18:42:07Z, ...
};

struct LabTask {
  int number = 0;  ///< 1-based
  std::string question;
  std::vector<std::string> hints;
  std::string query;  ///< the SPL that finds the answer
  std::string answer;
  std::vector<std::string> accept;  ///< other accepted forms (a name for an ARN, ...)
  AnswerKind kind = AnswerKind::kText;
};

struct Lab {
  std::string name, title, room, summary;
  std::string dir;  ///< the folder lab.yml was read from
  std::vector<LabData> data;
  std::vector<LabTask> tasks;
};

/// Reads `dir`/lab.yml; kInvalidArgument names the file and line of what is wrong.
Result<Lab> LoadLab(const std::string& dir);

/// The folders under `labs_dir` that hold a lab.yml, by name.
std::vector<std::string> ListLabs(const std::string& labs_dir);

/// True when `given` is the task's answer or an accepted form of it.
bool AnswerMatches(const LabTask& task, std::string_view given);

/// Ingests the lab's data into a new index at `index_dir` (an existing one is replaced), each
/// entry of `data` with its index name, sourcetype and source. The events of every entry,
/// and the problems (on_error), are reported through `options`.
Status BuildLabIndex(const Lab& lab, const std::string& index_dir, const IngestOptions& options,
                     IngestReport* total);

/// A student's progress in one lab, kept as `progress.tsv` beside the lab's index.
struct LabProgress {
  struct Task {
    bool solved = false;
    bool revealed = false;
    int attempts = 0;
    int hints = 0;          ///< hints shown
    int64_t solved_at = 0;  ///< epoch seconds
  };
  std::map<int, Task> tasks;
};

/// A missing file is an empty progress.
Result<LabProgress> ReadLabProgress(const std::string& path);
/// Replaces the file atomically.
Status WriteLabProgress(const std::string& path, const LabProgress& progress);

}  // namespace cairn
