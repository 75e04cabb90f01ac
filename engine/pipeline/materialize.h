// Decoding matched rows into records: the one place where a segment's rows become result
// values (text, kind, multivalues), for a search without commands and for the commands
// alike. Newest first; with a limit, only the newest rows are read. Not thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/pipeline/command.h"
#include "engine/pipeline/record.h"

namespace cairn::engine {

class SearchTimeFields;

/// What to decode of each matched row.
struct RowDecoding {
  uint64_t limit = UINT64_MAX;  ///< only the newest `limit` rows
  bool raw = true;              ///< `_raw`
  bool fields = true;           ///< the indexed fields
  /// When set, only these fields (names as written, no wildcards); else every field.
  std::optional<std::vector<std::string>> only_fields;
  /// When set (and fields are decoded), each record also gets its sourcetype's aliases and
  /// calculated fields; the fields they come from are decoded for them.
  const SearchTimeFields* computed = nullptr;
};

/// One matched row of one segment (an index into the matches), with its event time.
struct MatchedRow {
  int64_t time;
  uint32_t match;
  uint32_t row;
};

/// Search order: newer time first; at equal times the later segment, then the later row.
inline bool NewerRow(const MatchedRow& a, const MatchedRow& b) {
  if (a.time != b.time) return a.time > b.time;
  if (a.match != b.match) return a.match > b.match;
  return a.row > b.row;
}

/// Decodes `rows` into `records`, one record per row in the same order, as `want` asks
/// (`want.limit` is not applied here).
storage::Status DecodeRows(std::vector<SegmentMatch>* matches, const std::vector<MatchedRow>& rows,
                           const RowDecoding& want, std::vector<Record>* records,
                           const SearchLimits* limits = nullptr);

/// Turns matched rows into records (newest first) with `_time` (epoch seconds, a number)
/// and what `want` asks for. Each cell's kind is the values' type in the dictionary: all
/// numbers is a number, all booleans a boolean, else text.
storage::Status MaterializeRecords(std::vector<SegmentMatch>* matches, std::vector<Record>* records,
                                   const RowDecoding& want, const SearchLimits* limits = nullptr);

/// `_time` as records hold it: epoch seconds, with a fraction only when needed.
std::string EpochSecondsText(int64_t time_us);

/// The inverse of EpochSecondsText, exact to the microsecond; nullopt if `text` is not one.
std::optional<int64_t> EpochSecondsToMicros(std::string_view text);

}  // namespace cairn::engine
