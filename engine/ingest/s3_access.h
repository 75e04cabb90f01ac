// S3 server access logs: one request a line, fields separated by single spaces; the time is
// in brackets ("[06/Feb/2019:00:00:38 +0000]") and the request line, referer and user agent
// in quotes. Fields, by position as AWS documents them: bucket_owner bucket time remote_ip
// requester request_id operation key request_uri http_status error_code bytes_sent
// object_size total_time turn_around_time referer user_agent version_id host_id
// signature_version cipher_suite authentication_type host_header tls_version
// access_point_arn acl_required (older logs stop earlier; fields AWS adds later are
// field_27, field_28, ...). A "-" is an absent field. `_time` is `time`.
//   S3AccessReader    splits a stream into records;
//   S3AccessFlattener turns one record into what a segment stores.
// Neither is thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/ingest/cloudtrail_reader.h"
#include "engine/ingest/delimited_event.h"
#include "engine/ingest/input_source.h"

namespace cairn::engine {

inline constexpr char kS3AccessSourcetype[] = "aws:s3:accesslogs";

/// True if `line`, the first line of an input, is an S3 server access log record.
bool LooksLikeS3Access(std::string_view line);

class S3AccessReader {
 public:
  /// Reads `stream` to its end; non-OK only when the stream itself failed.
  Status Read(ByteStream* stream, const DelimitedCallbacks& callbacks, ReadSummary* summary);

 private:
  void HandleLine(std::string_view line, uint64_t line_no, const DelimitedCallbacks& cb);

  std::vector<std::string> names_;  // the documented fields, and field_27... as lines need them
  DelimitedRecord record_;
};

class S3AccessFlattener {
 public:
  explicit S3AccessFlattener(storage::SegmentBuilder* builder) : events_(builder) {}
  void set_builder(storage::SegmentBuilder* builder) { events_.set_builder(builder); }
  /// Fills `out` (values, line shape, time) from `record`.
  void Flatten(const DelimitedRecord& record, FlatEvent* out);

 private:
  DelimitedEventBuilder events_;
};

}  // namespace cairn::engine
