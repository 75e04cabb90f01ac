// VPC flow logs: space-separated records, one a line, as AWS delivers them to S3 or
// CloudWatch Logs. A header line ("version account-id interface-id ...") names the fields
// of the lines after it (custom formats, and files concatenated with their headers); lines
// before any header use AWS's default layouts of versions 2 to 5 (14, 21, 25 or 29 fields)
// or of transit gateway flow logs (36 fields).
// Field names are AWS's with '_' for '-' (account_id, log_status); a "-" value means the
// field is absent. `_time` comes from `start`, else `end`.
//   VpcFlowReader   splits a stream into records, keeping track of the header;
//   VpcFlowFlattener turns one record into what a segment stores, with a line shape that
//                   rebuilds the line byte for byte.
// Neither is thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/ingest/cloudtrail_reader.h"
#include "engine/ingest/delimited_event.h"
#include "engine/ingest/event_flattener.h"
#include "engine/ingest/input_source.h"
#include "storage/segment_builder.h"

namespace cairn::engine {

inline constexpr char kVpcFlowSourcetype[] = "aws:cloudwatchlogs:vpcflow";

/// True if `line` (the first non-blank line of an input) starts a VPC flow log: a header
/// line, or a record in one of the default layouts.
bool LooksLikeVpcFlow(std::string_view line);

class VpcFlowReader {
 public:
  /// Reads `stream` to its end; non-OK only when the stream itself failed.
  Status Read(ByteStream* stream, const DelimitedCallbacks& callbacks, ReadSummary* summary);

 private:
  void HandleLine(std::string_view line, uint64_t line_no, const DelimitedCallbacks& cb);

  std::vector<std::string> header_;  // names from the last header line, empty before one
  DelimitedRecord record_;
};

class VpcFlowFlattener {
 public:
  explicit VpcFlowFlattener(storage::SegmentBuilder* builder) : events_(builder) {}
  void set_builder(storage::SegmentBuilder* builder) { events_.set_builder(builder); }
  /// Fills `out` (values, line shape, time) from `record`; verbatim when the shape would
  /// not rebuild the line exactly (tabs, runs of spaces).
  void Flatten(const DelimitedRecord& record, FlatEvent* out);

 private:
  DelimitedEventBuilder events_;
};

}  // namespace cairn::engine
