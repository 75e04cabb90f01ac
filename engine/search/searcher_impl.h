// The state behind a Searcher (include/cairn/search.h): the open segments of one index and
// its schema, shared by the files that implement the Searcher's methods (searcher.cc runs
// queries, field_profile.cc answers the shell's field questions). A query is prepared
// (macros expanded, filter subsearches run and substituted, parsed, bound, its pipeline
// built) and then executed; subsearches are queries prepared and executed the same way, one
// level deeper. One per Searcher; not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cairn/search.h"
#include "engine/config/search_time_fields.h"
#include "engine/pipeline/pipeline.h"
#include "engine/search/segment_context.h"
#include "query/binder.h"
#include "query/macros.h"
#include "query/parser.h"
#include "query/query_text.h"
#include "query/schema.h"
#include "storage/manifest.h"

namespace cairn {

/// A query ready to run: its text (with the expansions made), AST, logical plan and pipeline.
struct PreparedQuery {
  query::QueryText text;
  query::QueryAst ast;
  query::LogicalPlan plan;
  engine::Pipeline pipeline;
  std::vector<std::string> warnings;  ///< rendered against the text as written
};

/// What executing a prepared query found, besides its records.
struct ExecutionStats {
  uint64_t matched = 0;
  uint64_t segments_total = 0, segments_scanned = 0, segments_pruned = 0;
  std::string segment_plans;  ///< for explain
  size_t plans_shown = 0;
  std::vector<std::string> columns;  ///< the column order the commands declared
  bool chart = false;                ///< the table came from chart or timechart
};

struct Searcher::Impl {
  std::string dir;
  storage::Manifest manifest;
  std::vector<std::unique_ptr<engine::SegmentContext>> segments;  ///< manifest order
  query::IndexSchema schema;                                      ///< every field of every segment
  query::MacroLibrary macros;                                     ///< built-in, then <dir>/macros.conf
  engine::SearchTimeFields fields;                                ///< built-in, then <dir>/props.conf
  std::vector<std::string> fields_problems;  ///< lines of <dir>/props.conf that were skipped
  std::vector<std::string> sourcetypes;      ///< the index's sourcetypes (read at Open)
  /// Segments of the manifest that could not be opened ("seg-000002.cseg: why"): left out.
  std::vector<std::string> unreadable;

  /// Opens every segment of the manifest and reads the schema from their footers.
  Status Open();
  /// The values of the `index` field, sorted (for the notice when nothing matched).
  const std::vector<std::string>& IndexNames();
  /// Expands, parses and binds `query`; with `build_pipeline`, builds its commands too.
  /// `depth` counts subsearch levels (0 for the query itself).
  /// `limits` stop the subsearches it runs (those of the search part).
  Status Prepare(const std::string& query, const SearchOptions& options, const engine::SearchLimits& limits,
                 int depth, bool build_pipeline, PreparedQuery* out);
  /// A search tree built without query text (a Sigma rule's), bound like a parsed search;
  /// `rendering` is its text for diagnostics and explain.
  Status PrepareTree(const query::SearchNode& search, const std::string& rendering,
                     const SearchOptions& options, PreparedQuery* out);
  /// Matches the search part and runs the pipeline; `output` says what a plain search decodes.
  Status Execute(PreparedQuery* q, const SearchOptions& options, const engine::SearchLimits& limits,
                 int depth, const engine::RowDecoding& output, std::vector<engine::Record>* records,
                 ExecutionStats* stats);
  /// Runs the subsearch `text` and gives its first `max_rows` rows.
  Status RunSubsearch(const std::string& text, const SearchOptions& options,
                      const engine::SearchLimits& limits, int depth, uint64_t max_rows,
                      std::vector<engine::Record>* rows, bool* truncated, std::vector<std::string>* warnings);

 private:
  /// Binds out->ast against the schema (warnings rendered into out->warnings) and, with
  /// `build_pipeline`, builds its commands.
  Status BindAndBuild(const SearchOptions& options, bool build_pipeline, PreparedQuery* out);
  Status SubstituteFilterSubsearches(query::QueryText* text, const SearchOptions& options,
                                     const engine::SearchLimits& limits, int depth,
                                     std::vector<std::string>* warnings);
  std::vector<std::string> index_names_;
  bool index_names_known_ = false;
};

/// A query diagnostic as a kQueryError Status: the query with a caret, and the span.
Status QueryErrorStatus(const query::Diagnostic& d, const std::string& query);

}  // namespace cairn
