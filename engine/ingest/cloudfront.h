// CloudFront standard access logs (W3C extended log format): one request a line, its
// fields separated by tabs, after "#Version:" and "#Fields:" directives. The #Fields line
// names the fields; before one, the standard 33 fields are assumed. Field names are
// CloudFront's, lower-cased, with '_' for '-' and for the parentheses of headers:
// `x_edge_location`, `c_ip`, `cs_host`, `cs_user_agent`, `sc_status`. A "-" is an absent
// field; values stay as logged (URL-encoded). `_time` is `date` and `time`, in UTC.
//   CloudFrontReader    splits a stream into records, following #Fields directives;
//   CloudFrontFlattener turns one record into what a segment stores.
// Neither is thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/ingest/cloudtrail_reader.h"
#include "engine/ingest/delimited_event.h"
#include "engine/ingest/input_source.h"

namespace cairn::engine {

inline constexpr char kCloudFrontSourcetype[] = "aws:cloudfront:accesslogs";

/// True if `head`, the first bytes of an input, starts a CloudFront access log: W3C
/// directives naming CloudFront's fields, or a first line of the standard 33 fields.
bool LooksLikeCloudFront(std::string_view head);

class CloudFrontReader {
 public:
  /// Reads `stream` to its end; non-OK only when the stream itself failed.
  Status Read(ByteStream* stream, const DelimitedCallbacks& callbacks, ReadSummary* summary);

 private:
  void HandleLine(std::string_view line, uint64_t line_no, const DelimitedCallbacks& cb);

  std::vector<std::string> fields_;  // from the last #Fields directive, empty before one
  DelimitedRecord record_;
};

class CloudFrontFlattener {
 public:
  explicit CloudFrontFlattener(storage::SegmentBuilder* builder) : events_(builder) {}
  void set_builder(storage::SegmentBuilder* builder) { events_.set_builder(builder); }
  /// Fills `out` (values, line shape, time) from `record`.
  void Flatten(const DelimitedRecord& record, FlatEvent* out);

 private:
  DelimitedEventBuilder events_;
};

}  // namespace cairn::engine
