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
#include "engine/ingest/event_flattener.h"
#include "engine/ingest/input_source.h"
#include "storage/segment_builder.h"

namespace cairn::engine {

inline constexpr char kVpcFlowSourcetype[] = "aws:cloudwatchlogs:vpcflow";

/// True if `line` (the first non-blank line of an input) starts a VPC flow log: a header
/// line, or a record in one of the default layouts.
bool LooksLikeVpcFlow(std::string_view line);

struct VpcFlowRecord {
  std::string_view line;                  ///< without the line end
  uint64_t line_no = 0;                   ///< 1-based
  const std::vector<std::string>* names;  ///< field names, one per token
  std::vector<std::string_view> tokens;
};

struct VpcFlowCallbacks {
  std::function<void(const VpcFlowRecord&)> on_record;
  /// A line that is not a record (where = "line 12"); reading goes on.
  std::function<void(const std::string& where, const std::string& message)> on_error;
  std::function<void(uint64_t disk_bytes)> on_progress;
};

class VpcFlowReader {
 public:
  /// Reads `stream` to its end; non-OK only when the stream itself failed.
  Status Read(ByteStream* stream, const VpcFlowCallbacks& callbacks, ReadSummary* summary);

 private:
  void HandleLine(std::string_view line, uint64_t line_no, const VpcFlowCallbacks& cb);

  std::vector<std::string> header_;  // names from the last header line, empty before one
  VpcFlowRecord record_;
};

class VpcFlowFlattener {
 public:
  explicit VpcFlowFlattener(storage::SegmentBuilder* builder) : builder_(builder) {}
  void set_builder(storage::SegmentBuilder* builder) {
    builder_ = builder;
    field_ids_.clear();
  }
  /// Fills `out` (values, line shape, time) from `record`; verbatim when the shape would
  /// not rebuild the line exactly (tabs, runs of spaces).
  void Flatten(const VpcFlowRecord& record, FlatEvent* out);

 private:
  uint32_t FieldId(const std::string& name);

  storage::SegmentBuilder* builder_;
  std::vector<std::pair<std::string, uint32_t>> field_ids_;
  std::string pending_text_;
};

}  // namespace cairn::engine
