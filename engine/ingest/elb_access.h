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

/// One of the two layouts: application load balancers (a first field of http, https, h2,
/// grpcs, ws or wss, then an ISO-8601 time) or network load balancers ("tls", a log
/// version, then the time).
class ElbAccessFormat : public TextLogFormat {
 public:
  enum class Balancer { kApplication, kNetwork };
  explicit ElbAccessFormat(Balancer balancer) : balancer_(balancer) {}
  const char* sourcetype() const override { return kElbAccessSourcetype; }
  char separator() const override { return ' '; }
  bool Matches(std::string_view head) const override;
  Line Parse(std::string_view line, DelimitedRecord* record, std::string* error) override;
  std::optional<int64_t> Time(const DelimitedRecord& record) override;

 private:
  /// Splits `line` as the layout writes it; false if it is not one of its records.
  bool Split(std::string_view line, std::vector<std::string_view>* tokens,
             std::vector<char>* enclosures) const;

  Balancer balancer_;
  std::vector<std::string> names_;
};

}  // namespace cairn::engine
