// S3 server access logs: one request a line, fields separated by single spaces; the time is
// in brackets ("[06/Feb/2019:00:00:38 +0000]") and the request line, referer and user agent
// in quotes. Fields, by position as AWS documents them: bucket_owner bucket time remote_ip
// requester request_id operation key request_uri http_status error_code bytes_sent
// object_size total_time turn_around_time referer user_agent version_id host_id
// signature_version cipher_suite authentication_type host_header tls_version
// access_point_arn acl_required (older logs stop earlier; fields AWS adds later are
// field_27, field_28, ...). A "-" is an absent field. `_time` is `time`.
// Not thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/ingest/text_log.h"

namespace cairn::engine {

inline constexpr char kS3AccessSourcetype[] = "aws:s3:accesslogs";

class S3AccessFormat : public TextLogFormat {
 public:
  const char* sourcetype() const override { return kS3AccessSourcetype; }
  char separator() const override { return ' '; }
  /// A first line that is a record: a bracketed time third, an operation seventh.
  bool Matches(std::string_view head) const override;
  Line Parse(std::string_view line, DelimitedRecord* record, std::string* error) override;
  /// `time`.
  std::optional<int64_t> Time(const DelimitedRecord& record) override;

 private:
  std::vector<std::string> names_;  // the documented fields, and field_27... as lines need them
};

}  // namespace cairn::engine
