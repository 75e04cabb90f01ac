// EventStream: the search's matched events in batches, in search order (newest first) or
// oldest first, merged across segments without listing every match at once: it holds one
// window of row numbers per segment and one batch of decoded records, so the commands that
// stream (Command::stream_role) run in memory bounded by their own state. Rewind() starts
// over, for commands that read their input twice (eventstats). Not thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <queue>
#include <vector>

#include "engine/pipeline/materialize.h"
#include "engine/pipeline/search_limits.h"

namespace cairn::engine {

class EventStream {
 public:
  /// Events per batch when none is given.
  static constexpr size_t kDefaultBatch = 4096;

  EventStream(std::vector<SegmentMatch>* matches, RowDecoding want, bool oldest_first,
              const SearchLimits* limits, size_t batch = kDefaultBatch);

  /// Fills `batch` with the next events (empty at the end).
  storage::Status Next(std::vector<Record>* batch);
  /// Starts again from the first event.
  void Rewind();

 private:
  struct Cursor {
    std::vector<uint32_t> rows;  // the next matched rows of the segment, in stream order
    size_t next = 0;             // index into rows
    uint64_t taken = 0;          // matched rows moved into `rows` so far
  };
  // Refills a segment's window of rows; false when the segment has no more.
  bool Refill(uint32_t match);
  // True when a comes before b in the stream.
  bool Before(const MatchedRow& a, const MatchedRow& b) const { return oldest_first_ ? NewerRow(b, a) : NewerRow(a, b); }

  std::vector<SegmentMatch>* matches_;
  RowDecoding want_;
  bool oldest_first_;
  const SearchLimits* limits_;
  size_t batch_;
  std::vector<Cursor> cursors_;
  struct Later {
    const EventStream* stream;
    bool operator()(const MatchedRow& a, const MatchedRow& b) const { return stream->Before(b, a); }
  };
  std::priority_queue<MatchedRow, std::vector<MatchedRow>, Later> heads_;  // each segment's next row
  bool started_ = false;
};

}  // namespace cairn::engine
