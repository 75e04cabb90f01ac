// The embedding surface for search: open an index once, run SPL queries against it, and
// read matched events newest first. A Searcher keeps segments open and their decoded
// structures cached between queries. One Searcher per thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cairn/status.h"
#include "cairn/value.h"

namespace cairn {

namespace query {
struct SearchNode;
}
namespace engine {
class SearchLimits;
}

/// The memory limit of a search when none is given: half the machine's physical memory, in
/// MiB (Splunk's search_process_memory_usage_threshold is 4000 MB).
uint64_t DefaultMaxMemoryMb();

struct SearchOptions {
  std::optional<std::string> earliest;  ///< time modifier, overridden by earliest= in the query
  std::optional<std::string> latest;
  uint64_t limit = UINT64_MAX;                ///< events to return
  bool count_only = false;                    ///< count matches, return no events
  bool want_raw = true;                       ///< fill Event::raw
  bool want_fields = false;                   ///< fill Event::fields
  bool explain = false;                       ///< fill SearchResult::explain
  int64_t now_us = 0;                         ///< "now" for relative times; 0 = the clock
  const std::atomic<bool>* cancel = nullptr;  ///< when it turns true, the search stops (kCancelled)
  /// The search stops (kLimitReached) once it has run this many seconds; 0: no limit.
  double timeout_s = 0;
  /// The search stops (kLimitReached) once the process holds more memory than this many MiB
  /// (resident, apart from mapped files): the state of stats, join, sort, transaction and
  /// subsearches is bounded so. 0: no limit.
  uint64_t max_memory_mb = DefaultMaxMemoryMb();
  /// Match segments on a second thread when that pays off; off where the caller already
  /// runs searches on every core (cairn hunt's pool).
  bool parallel_segments = true;
  /// Macro definitions read after the built-in set and <index>/macros.conf, later ones
  /// overriding: macros.conf files, ESCU macro YAML, or directories of them.
  std::vector<std::string> macro_paths;
  std::string lookups_dir;                      ///< lookup tables; "" = <index>/lookups
  std::vector<std::string> lookup_definitions;  ///< ESCU lookup YAML files or directories
  /// Segments (by file name) left out of the search, as `cairn hunt --since last` leaves
  /// those an earlier run covered.
  std::vector<std::string> skip_segments;
};

/// A field of the matched events: how many have it and its most common values.
struct FieldProfile {
  std::string name;
  uint64_t events = 0;
  uint64_t distinct = 0;                              ///< distinct values (summed over segments)
  std::vector<std::pair<std::string, uint64_t>> top;  ///< most common values with counts
};

struct Event {
  int64_t time_us = 0;
  std::string raw;
  std::vector<FieldValues> fields;  ///< in the index's field order, without _time and _raw
};

/// The rows of a transforming pipeline (stats, top, table, ...).
struct ResultTable {
  std::vector<std::string> columns;
  bool chart = false;  ///< made by chart or timechart: the first column is x, the others series
  std::vector<std::vector<FieldValues>> rows;  ///< row → one cell per column (null cells have no values)
};

struct SearchResult {
  /// OK, or why the search failed: kQueryError (message: the query with a caret), kCancelled,
  /// kCorruption or kIOError (naming the segment), kInvalidArgument (an option's value).
  Status status;
  std::vector<std::string> warnings;  ///< rendered
  uint64_t matched = 0;
  std::vector<Event> events;  ///< when the query has no transforming command
  bool is_table = false;
  ResultTable table;       ///< when it has one
  uint64_t results = 0;    ///< events or table rows the pipeline produced
  bool generated = false;  ///< the rows come from a generating command (`| makeresults`): no search ran
  uint64_t segments_total = 0, segments_scanned = 0, segments_pruned = 0;
  std::optional<int64_t> earliest_us, latest_us;  ///< the range searched; none = unbounded
  std::vector<std::string> indexes;               ///< index names present (set when nothing matched)
  /// Segments left out because they could not be opened ("seg-000002.cseg: why"); the result
  /// holds the other segments' events only.
  std::vector<std::string> unreadable_segments;
  double elapsed_ms = 0;
  std::string explain;
};

/// The fields the search part of `query` compares (`f=v`, `f IN (...)`, ...), in query
/// order, without time modifiers; empty when it does not parse.
std::vector<std::string> QueryFieldNames(const std::string& query);

struct PreparedQuery;

class Searcher {
 public:
  ~Searcher();
  /// Opens the index at `dir`.
  static Result<std::unique_ptr<Searcher>> Open(const std::string& dir);
  SearchResult Run(const std::string& query, const SearchOptions& options);
  /// Runs a search tree built without query text (a Sigma rule's, engine/hunt/); `rendering`
  /// is its SPL for explain and diagnostics.
  SearchResult RunTree(const query::SearchNode& search, const std::string& rendering,
                       const SearchOptions& options);
  /// The file names of the index's segments, in manifest order.
  std::vector<std::string> SegmentNames() const;
  /// Splunk's "interesting fields" for the events the search part of `query` matches:
  /// each field's coverage and top values, computed on bitmaps. Pipeline commands are ignored.
  Status ProfileFields(const std::string& query, const SearchOptions& options, size_t top_values,
                       std::vector<FieldProfile>* out, uint64_t* matched);
  /// Field names in the index with their event counts, most common first, and the search-time
  /// fields (aliases, calculated fields) of its sourcetypes.
  std::vector<std::pair<std::string, uint64_t>> FieldNames();
  /// Values of a low-cardinality field with their event counts, most common first.
  std::vector<std::pair<std::string, uint64_t>> FieldValueCounts(const std::string& field, size_t limit);

 private:
  struct Impl;
  explicit Searcher(std::unique_ptr<Impl> impl);
  SearchResult RunSearch(const std::string& query, const SearchOptions& options,
                         const engine::SearchLimits& limits);
  SearchResult RunPrepared(PreparedQuery* q, const std::string& query, const SearchOptions& options,
                           const engine::SearchLimits& limits);
  /// Runs `run_once`; when it fails on damage in a segment, runs it again without that
  /// segment, which the result then lists in unreadable_segments with a warning.
  SearchResult LeavingOutDamage(const SearchOptions& options,
                                const std::function<SearchResult(const SearchOptions&)>& run_once);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cairn
