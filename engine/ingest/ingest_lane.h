// An ingest lane: one thread's share of an ingest. It takes work units (a whole input, or
// a line-aligned byte range of a large NDJSON file) from its host, flattens their events
// into its own segment builder, and writes a segment whenever the builder is full; the
// host commits each segment to the manifest. Two lanes keep both cores busy on large
// inputs; a single lane writes its segments on a second thread instead.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "engine/ingest/cloudtrail_reader.h"
#include "engine/ingest/event_flattener.h"
#include "engine/ingest/input_source.h"
#include "engine/ingest/text_log.h"
#include "engine/ingest/vpc_flow.h"
#include "storage/segment_builder.h"

namespace cairn::engine {

/// A piece of ingest work: bytes [begin, end) of one input (the whole input when `whole`).
/// Parts of an NDJSON file, or of a text log, are read apart; a part of a text log first
/// reads the header lines before its start.
struct WorkUnit {
  size_t unit = 0;   ///< index of the unit in the host's list
  size_t input = 0;  ///< index of the input in the host's list
  InputFile file;
  bool whole = true;
  uint64_t begin = 0, end = 0;
  uint64_t skip_records = 0;  ///< records an earlier, interrupted ingest committed
  /// For a part of a file (not `whole`): its text log format, an index into
  /// TextLogFormats(), or -1 for NDJSON.
  int text_format = -1;
};

/// What a lane has finished of a unit by the time a segment is written.
struct UnitProgress {
  size_t unit = 0, input = 0;
  uint64_t records = 0;      ///< records the reader found (events, malformed ones too)
  uint64_t events = 0;       ///< events of the unit in this segment
  uint64_t event_bytes = 0;  ///< their raw text bytes
  bool finished = false;     ///< the unit's last events are in this segment
  uint64_t read_bytes = 0;   ///< when finished: the unit's input bytes (decompressed)
  bool digest = false;       ///< when finished: the unit was a CloudTrail digest file
  bool unreadable = false;   ///< the input could not be opened
};

/// Counts a lane keeps; the host sums them.
struct LaneCounts {
  uint64_t events = 0, bytes = 0, untimed_events = 0, verbatim_events = 0;
};

/// The host side of lanes: work, naming, commits, errors and progress. Called from lane
/// threads: implementations lock.
class LaneHost {
 public:
  virtual ~LaneHost() = default;
  /// The next unit, or false when there is none.
  virtual bool NextUnit(WorkUnit* unit) = 0;
  virtual void Error(const std::string& message) = 0;
  /// A line kept in part ("path:line 12: message").
  virtual void Warning(const std::string& message) = 0;
  virtual void Progress(uint64_t disk_bytes_delta, uint64_t events_delta) = 0;
  /// Names a new segment; returns its path.
  virtual std::string NewSegment(std::string* name) = 0;
  /// A segment could not be written (a full disk, an I/O error): the ingest stops.
  virtual void WriteFailed(const std::string& message) = 0;
  /// True once the ingest has stopped: lanes read and write no more (what is committed
  /// stays; a later ingest of the same inputs resumes after it).
  virtual bool Stopped() = 0;
  /// The segment `name` is on disk, holding what `units` says (in unit order).
  virtual void SegmentWritten(const std::string& name, const storage::SegmentWriteStats& stats,
                              const std::vector<UnitProgress>& units) = 0;
};

struct LaneOptions {
  std::string index_name, sourcetype;  ///< sourcetype: empty for the detected one
  std::string source;                  ///< empty: the input's path
  std::string time_field, time_format;
  uint32_t segment_rows = 65536;
  int64_t now_us = 0;       ///< time of events without one
  bool async_write = true;  ///< write segments on a second thread
};

class IngestLane {
 public:
  IngestLane(const LaneOptions& options, LaneHost* host);
  ~IngestLane();
  /// Processes units until the host has none, then writes the last segment.
  void Run();
  const LaneCounts& counts() const { return counts_; }

 private:
  void ReadUnit(const WorkUnit& unit);
  void AddEvent(const EventText& ev, const std::string& path);
  /// AddEvent's work on one JSON text: documents back to back (`depth` 0) are each an event,
  /// and a Security Hub envelope (`depth` below 2) gives one event per finding.
  void AddEventText(const EventText& ev, const std::string& path, int depth);
  /// The texts of a Security Hub envelope's detail.findings (views into `ev`); false if none.
  bool FindingsOf(const EventText& ev, std::vector<std::string_view>* findings);
  /// A CloudWatch Logs log event: its message flattened when it is JSON, parsed when it is
  /// a VPC flow record, else kept as text; the log group and stream as metadata fields;
  /// `_time` the message's own time, else the log event's timestamp.
  void AddLogEvent(const LogEvent& ev, const std::string& path);
  /// Adds flat_ (the event whose text is `raw`) with its metadata fields to the builder.
  void AddFlatEvent(std::string_view raw, const std::string& path, std::string_view sourcetype);
  /// The line of the input that line `unit_line` of the current unit is.
  uint64_t FileLine(uint64_t unit_line);
  /// `where` ("line 12" of the current unit, or another place) as a place in the input.
  std::string FileWhere(const std::string& where);
  void StartWrite();
  void WaitWrite();

  const LaneOptions& options_;
  LaneHost* host_;
  std::unique_ptr<storage::SegmentBuilder> builder_, spare_;
  EventFlattener flattener_;
  CloudTrailReader reader_;
  std::vector<std::unique_ptr<TextLogFormat>> text_formats_;
  DelimitedEventBuilder text_events_;
  VpcFlowFormat log_vpc_flow_;  // VPC flow records inside CloudWatch log events
  DelimitedRecord log_record_;
  std::string message_;                         // a log event's message, with simdjson's padding
  simdjson::ondemand::parser envelope_parser_;  // Security Hub envelopes, split into findings
  FlatEvent flat_;
  // Ids of the metadata fields every event has, in builder_ of `generation`.
  enum MetaField { kSource, kSourcetype, kIndex, kLogGroup, kLogStream, kOwner, kLogEventId, kMetaFields };
  uint32_t MetaId(MetaField field);
  uint32_t meta_ids_[kMetaFields] = {};
  const storage::SegmentBuilder* meta_builder_ = nullptr;
  uint64_t meta_generation_ = 0;
  LaneCounts counts_;
  std::vector<UnitProgress> progress_;  // units with events in builder_, in order
  const WorkUnit* unit_ = nullptr;      // being read
  ByteStream* stream_ = nullptr;        // the unit's input, while it is read
  std::optional<uint64_t> lines_before_unit_;

  std::thread writer_;
  std::string write_name_;
  storage::Status write_status_;
  storage::SegmentWriteStats write_stats_;
  std::vector<UnitProgress> write_units_;
};

}  // namespace cairn::engine
