// The embedding surface for describing an index: segments, events, time range, sizes
// and fields with their event counts (what `cairn info` prints).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cairn/status.h"

namespace cairn {

struct FieldSummary {
  std::string name;
  uint64_t events = 0;    ///< events holding the field
  uint64_t distinct = 0;  ///< sum over segments of distinct values (an upper bound)
};

struct IndexInfo {
  std::string path;
  uint64_t segments = 0;
  uint64_t events = 0;
  int64_t min_time_us = 0;
  int64_t max_time_us = 0;
  uint64_t disk_bytes = 0;  ///< segment files
  uint64_t raw_bytes = 0;   ///< event text ingested
  uint64_t sources = 0;     ///< input files ingested
  std::vector<FieldSummary> fields;  ///< by descending event count
};

/// Reads the index at `dir`.
Status GetIndexInfo(const std::string& dir, IndexInfo* info);

/// Bytes of one field's sections in a segment.
struct FieldSections {
  std::string name;
  uint8_t flags = 0;  ///< the footer's field flags (docs/storage-format.md)
  uint32_t distinct = 0;
  uint64_t dictionary = 0, postings = 0, presence = 0, term_filter = 0, columns = 0;
  uint64_t total() const { return dictionary + postings + presence + term_filter + columns; }
};

/// Where the bytes of one segment go (`cairn info --sections`).
struct SegmentLayout {
  std::string file;
  uint32_t rows = 0;
  uint64_t bytes = 0, verbatim = 0, times = 0;
  std::vector<FieldSections> fields;  ///< largest first
};

/// The layout of the first segment of the index at `dir`.
Status GetFirstSegmentLayout(const std::string& dir, SegmentLayout* out);

/// `time_us` (µs since the epoch) as an ISO 8601 UTC timestamp.
std::string FormatUtc(int64_t time_us);

}  // namespace cairn

namespace cairn {

/// Reads every segment of the index in full, verifying checksums and structure. Returns
/// one line per damaged segment ("seg-000003.cseg: corruption: ..."); empty when sound.
std::vector<std::string> CheckIndex(const std::string& dir, uint64_t* segments_checked);

/// Sets aside every segment CheckIndex would report: moves its file (when there is one) into
/// <dir>/damaged/ and commits a manifest without it, under the index's writer lock, so that
/// the rest of the index answers without warnings. `set_aside` gets one line per segment
/// ("seg-000003.cseg: corruption: ..."). The inputs whose events were in those segments stay
/// recorded as ingested.
Status RepairIndex(const std::string& dir, std::vector<std::string>* set_aside);

}  // namespace cairn
