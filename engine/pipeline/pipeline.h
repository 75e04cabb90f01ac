// Pipeline: the commands after the search, built from the AST (unknown commands and bad
// arguments become diagnostics), and run over the search's matches: the first command
// may read segment columns directly (stats); otherwise matches are turned into records,
// newest first, and each command transforms the list in turn. A search without commands is
// the empty pipeline: its records are the events. Not thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/pipeline/command.h"
#include "engine/pipeline/materialize.h"
#include "query/ast.h"

namespace cairn::engine {

/// Replaces each field fieldformat named by its display form (the last command has run).
void ApplyFieldFormats(const ExecContext& ctx, std::vector<Record>* records);

class Pipeline {
 public:
  /// Builds the commands of `ast`; on a mistake returns false and sets `error`.
  bool Build(const query::QueryAst& ast, std::optional<query::Diagnostic>* error);

  bool empty() const { return commands_.empty(); }
  /// True when the query starts with a generating command (`| makeresults`): no search runs.
  bool generates() const { return generates_; }
  /// True when the output is a table rather than events.
  bool transforming() const;
  /// Runs over the matches; fills `records`. With no commands, the records are the matched
  /// events themselves, decoded as `output` asks; commands get every field of the events.
  storage::Status Run(std::vector<SegmentMatch>* matches, ExecContext* ctx, const RowDecoding& output,
                      std::vector<Record>* records);
  /// One line per command, for explain.
  std::string Describe() const;
  /// The fields the commands read from the events (see Command::FieldsRead), or nullopt
  /// when every field (and `_raw`) must be decoded.
  std::optional<std::vector<std::string>> FieldsNeeded() const;
  /// Field aliases and calculated fields to add to the events the commands get (not owned).
  void set_search_time_fields(const SearchTimeFields* fields) { fields_ = fields; }

 private:
  std::vector<std::unique_ptr<Command>> commands_;
  bool generates_ = false;  ///< the query starts with a generating command: no search
  const SearchTimeFields* fields_ = nullptr;
  /// True when the first command reads a search-time field: it must get decoded events.
  bool FirstReadsComputedField() const;
};

}  // namespace cairn::engine
