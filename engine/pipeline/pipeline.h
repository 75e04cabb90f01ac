// Pipeline: the commands after the search, built from the AST (unknown commands and bad
// arguments become diagnostics), and run over the search's matches: the first command
// may read segment columns directly (stats); otherwise matches are turned into records,
// newest first, and each command transforms the list in turn. Not thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/pipeline/command.h"
#include "query/ast.h"

namespace cairn::engine {

class Pipeline {
 public:
  /// Builds the commands of `ast`; on a mistake returns false and sets `error`.
  bool Build(const query::QueryAst& ast, std::optional<query::Diagnostic>* error);

  bool empty() const { return commands_.empty(); }
  /// True when the output is a table rather than events.
  bool transforming() const;
  /// Runs over the matches; fills `records`.
  storage::Status Run(std::vector<SegmentMatch>* matches, ExecContext* ctx, std::vector<Record>* records);
  /// One line per command, for explain.
  std::string Describe() const;

 private:
  std::vector<std::unique_ptr<Command>> commands_;
};

/// Turns matched rows into records (newest first) with _time, _raw and every field.
/// With `limit`, only the newest `limit` matches.
storage::Status MaterializeRecords(std::vector<SegmentMatch>* matches, std::vector<Record>* records,
                                   const std::atomic<bool>* cancel = nullptr, uint64_t limit = UINT64_MAX);

/// `_time` as records hold it: epoch seconds, with a fraction only when needed.
std::string EpochSecondsText(int64_t time_us);

}  // namespace cairn::engine
