// VPC flow logs: space-separated records, one a line, as AWS delivers them to S3 or
// CloudWatch Logs. A header line ("version account-id interface-id ...") names the fields
// of the lines after it (custom formats, and files concatenated with their headers); lines
// before any header use AWS's default layouts of versions 2 to 5 (14, 21, 25 or 29 fields)
// or of transit gateway flow logs (36 fields).
// Field names are AWS's with '_' for '-' (account_id, log_status); a "-" value means the
// field is absent. `_time` comes from `start`, else `end`.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/ingest/text_log.h"

namespace cairn::engine {

inline constexpr char kVpcFlowSourcetype[] = "aws:cloudwatchlogs:vpcflow";

class VpcFlowFormat : public TextLogFormat {
 public:
  const char* sourcetype() const override { return kVpcFlowSourcetype; }
  char separator() const override { return ' '; }
  /// A first line that is a header, a record of a default layout, or a record of a layout
  /// no header names (so that its lines are reported as such, not as bad JSON).
  bool Matches(std::string_view head) const override;
  void StartInput() override {
    header_.clear();
    ++header_version_;
    time_fields_.Forget();
  }
  bool HasHeaders() const override { return true; }
  bool IsHeaderLine(std::string_view line) const override;
  Line Parse(std::string_view line, DelimitedRecord* record, std::string* error) override;
  /// `start`, else `end` (Unix seconds).
  std::optional<int64_t> Time(const DelimitedRecord& record) override;

 private:
  std::vector<std::string> header_;  // names from the last header line, empty before one
  uint64_t header_version_ = 0;      // changes with header_
  FieldPositions time_fields_{{"start", "end"}};
};

}  // namespace cairn::engine
