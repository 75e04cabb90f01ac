// Elastic Load Balancing access logs, as load balancers deliver them to S3: one request (ALB)
// or TLS connection (NLB) a line, fields between single spaces, some in quotes. Fields by
// position as AWS documents them, with '_' for ':' and '-' ("client:port" is client_port,
// holding "ip:port"); fields AWS adds later are field_N; "-" is an absent field. `_time` is
// `time` (for an ALB the time the response was sent, for an NLB the end of the connection).
// Not thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/ingest/text_log.h"

namespace cairn::engine {

inline constexpr char kElbAccessSourcetype[] = "aws:elb:accesslogs";

/// Application (and Classic-style HTTP) load balancer logs: a first field of http, https,
/// h2, grpcs, ws or wss, then an ISO-8601 time.
class AlbAccessFormat : public TextLogFormat {
 public:
  const char* sourcetype() const override { return kElbAccessSourcetype; }
  char separator() const override { return ' '; }
  bool Matches(std::string_view head) const override;
  Line Parse(std::string_view line, DelimitedRecord* record, std::string* error) override;
  std::optional<int64_t> Time(const DelimitedRecord& record) override;

 private:
  std::vector<std::string> names_;
};

/// Network load balancer logs: "tls", a log version, then an ISO-8601 time.
class NlbAccessFormat : public TextLogFormat {
 public:
  const char* sourcetype() const override { return kElbAccessSourcetype; }
  char separator() const override { return ' '; }
  bool Matches(std::string_view head) const override;
  Line Parse(std::string_view line, DelimitedRecord* record, std::string* error) override;
  std::optional<int64_t> Time(const DelimitedRecord& record) override;

 private:
  std::vector<std::string> names_;
};

}  // namespace cairn::engine
