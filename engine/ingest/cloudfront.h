// CloudFront standard access logs (W3C extended log format): one request a line, its
// fields separated by tabs, after "#Version:" and "#Fields:" directives. The #Fields line
// names the fields; before one, the standard 33 fields are assumed. Field names are
// CloudFront's, lower-cased, with '_' for '-' and for the parentheses of headers:
// `x_edge_location`, `c_ip`, `cs_host`, `cs_user_agent`, `sc_status`. A "-" is an absent
// field; values stay as logged (URL-encoded). `_time` is `date` and `time`, in UTC.
// Not thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/ingest/text_log.h"

namespace cairn::engine {

inline constexpr char kCloudFrontSourcetype[] = "aws:cloudfront:accesslogs";

class CloudFrontFormat : public TextLogFormat {
 public:
  const char* sourcetype() const override { return kCloudFrontSourcetype; }
  char separator() const override { return '\t'; }
  /// W3C directives naming CloudFront's fields, or a first line of the standard 33 fields.
  bool Matches(std::string_view head) const override;
  void StartInput() override {
    fields_.clear();
    ++fields_version_;
    time_fields_.Forget();
  }
  bool HasHeaders() const override { return true; }
  bool IsHeaderLine(std::string_view line) const override { return !line.empty() && line[0] == '#'; }
  char header_mark() const override { return '#'; }
  Line Parse(std::string_view line, DelimitedRecord* record, std::string* error) override;
  /// `date` and `time`, UTC.
  std::optional<int64_t> Time(const DelimitedRecord& record) override;

 private:
  std::vector<std::string> fields_;  // from the last #Fields directive, empty before one
  uint64_t fields_version_ = 0;      // changes with fields_
  FieldPositions time_fields_{{"date", "time"}};
};

}  // namespace cairn::engine
