// The state behind a Searcher (include/cairn/search.h): the open segments of one index and
// its schema, shared by the files that implement the Searcher's methods (searcher.cc runs
// queries, field_profile.cc answers the shell's field questions). One per Searcher; not
// thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cairn/search.h"
#include "engine/search/segment_context.h"
#include "query/binder.h"
#include "query/parser.h"
#include "query/schema.h"
#include "storage/manifest.h"

namespace cairn {

struct Searcher::Impl {
  std::string dir;
  storage::Manifest manifest;
  std::vector<std::unique_ptr<engine::SegmentContext>> segments;  ///< manifest order
  query::IndexSchema schema;                                      ///< every field of every segment

  /// Opens every segment of the manifest and reads the schema from their footers.
  Status Open();
  /// The values of the `index` field, sorted (for the notice when nothing matched).
  const std::vector<std::string>& IndexNames();
  /// Parses and binds the search part of `query`; the pipeline commands stay in `ast`.
  Result<query::LogicalPlan> Bind(const std::string& query, const SearchOptions& options, query::QueryAst* ast);

 private:
  std::vector<std::string> index_names_;
  bool index_names_known_ = false;
};

/// A query diagnostic as a kQueryError Status: the query with a caret, and the span.
Status QueryErrorStatus(const query::Diagnostic& d, const std::string& query);

}  // namespace cairn
