#include "engine/ingest/json_format.h"

#include <cmath>

#include "engine/eval/time_format.h"
#include "engine/ingest/time_parse.h"
#include "storage/text.h"

namespace cairn::engine {

namespace {

bool HasKey(const std::vector<std::string_view>& keys, std::string_view key) {
  for (std::string_view k : keys)
    if (k == key) return true;
  return false;
}

// A key in either of the spellings AWS uses for the same member (the API's "Service",
// EventBridge's "service").
bool HasKeyEitherCase(const std::vector<std::string_view>& keys, std::string_view lower,
                      std::string_view upper) {
  return HasKey(keys, lower) || HasKey(keys, upper);
}

std::string_view ScalarOf(const std::vector<TopMember>& scalars, std::string_view key) {
  for (const TopMember& m : scalars)
    if (m.key == key) return m.text;
  return {};
}

using Predicate = bool (*)(const std::vector<TopMember>&, const std::vector<std::string_view>&);

class KeyedFormat final : public JsonLogFormat {
 public:
  KeyedFormat(std::string name, std::string sourcetype, std::vector<TimePath> times, Predicate matches)
      : JsonLogFormat(std::move(name), std::move(sourcetype), std::move(times)), matches_(matches) {}
  bool Matches(const std::vector<TopMember>& scalars,
               const std::vector<std::string_view>& keys) const override {
    return matches_(scalars, keys);
  }

 private:
  Predicate matches_;
};

// CloudTrail: a record field every CloudTrail event has (a Logstash copy has @timestamp in
// place of eventTime; test fixtures keep a few fields), or Panther's CloudTrail log type.
bool IsCloudTrail(const std::vector<TopMember>& scalars, const std::vector<std::string_view>& keys) {
  if (HasKey(keys, "eventVersion") || HasKey(keys, "eventName") || HasKey(keys, "eventSource")) return true;
  return ScalarOf(scalars, "p_log_type") == "AWS.CloudTrail";
}

// An EventBridge (CloudWatch Events) envelope of the given detail-type prefix.
bool IsEnvelopeOf(const std::vector<TopMember>& scalars, const std::vector<std::string_view>& keys,
                  std::string_view detail_type_prefix) {
  if (!HasKey(keys, "detail") || !HasKey(keys, "detail-type")) return false;
  return ScalarOf(scalars, "detail-type").substr(0, detail_type_prefix.size()) == detail_type_prefix;
}

bool IsGuardDutyEnvelope(const std::vector<TopMember>& s, const std::vector<std::string_view>& k) {
  return IsEnvelopeOf(s, k, "GuardDuty Finding");
}

bool IsSecurityHubEnvelope(const std::vector<TopMember>& s, const std::vector<std::string_view>& k) {
  return IsEnvelopeOf(s, k, "Security Hub Findings");
}

bool IsEventBridge(const std::vector<TopMember>& s, const std::vector<std::string_view>& k) {
  return IsEnvelopeOf(s, k, "") && HasKey(k, "source") && HasKey(k, "time");
}

// A finding as GuardDuty's API, its S3 export and the console write it: camelCase in
// exports and EventBridge, PascalCase from the API (`aws guardduty get-findings`).
bool IsGuardDutyFinding(const std::vector<TopMember>& scalars, const std::vector<std::string_view>& keys) {
  if (!HasKeyEitherCase(keys, "service", "Service") || !HasKeyEitherCase(keys, "severity", "Severity"))
    return false;
  std::string_view arn = ScalarOf(scalars, "arn");
  if (arn.empty()) arn = ScalarOf(scalars, "Arn");
  return arn.find(":guardduty:") != std::string_view::npos ||
         (HasKeyEitherCase(keys, "schemaVersion", "SchemaVersion") && HasKeyEitherCase(keys, "type", "Type"));
}

// AWS Security Finding Format.
bool IsSecurityHubFinding(const std::vector<TopMember>&, const std::vector<std::string_view>& keys) {
  return HasKey(keys, "SchemaVersion") && HasKey(keys, "ProductArn") && HasKey(keys, "AwsAccountId");
}

bool IsWaf(const std::vector<TopMember>&, const std::vector<std::string_view>& keys) {
  return HasKey(keys, "webaclId") && HasKey(keys, "timestamp");
}

// CloudFront real-time logs (and standard logs) delivered as JSON, one object a request.
bool IsCloudFrontJson(const std::vector<TopMember>&, const std::vector<std::string_view>& keys) {
  return HasKey(keys, "x-edge-location") && HasKey(keys, "date") && HasKey(keys, "time");
}

bool IsRoute53Resolver(const std::vector<TopMember>&, const std::vector<std::string_view>& keys) {
  return HasKey(keys, "query_timestamp") && HasKey(keys, "query_name");
}

bool AnyObject(const std::vector<TopMember>&, const std::vector<std::string_view>&) {
  return true;
}

class UserFormat final : public JsonLogFormat {
 public:
  using JsonLogFormat::JsonLogFormat;
  bool Matches(const std::vector<TopMember>&, const std::vector<std::string_view>&) const override {
    return true;
  }
};

}  // namespace

std::vector<std::unique_ptr<JsonLogFormat>> JsonLogFormats() {
  std::vector<std::unique_ptr<JsonLogFormat>> f;
  auto add = [&f](const char* name, const char* sourcetype, std::vector<TimePath> times, Predicate p) {
    f.push_back(std::make_unique<KeyedFormat>(name, sourcetype, std::move(times), p));
  };
  add("cloudtrail", "aws:cloudtrail", {{"eventTime", ""}, {"@timestamp", ""}}, IsCloudTrail);
  add("guardduty-eventbridge", "aws:cloudwatch:guardduty", {{"detail.updatedAt", ""}, {"time", ""}},
      IsGuardDutyEnvelope);
  add("securityhub-eventbridge", "aws:securityhub:finding", {{"time", ""}}, IsSecurityHubEnvelope);
  add("guardduty", "aws:cloudwatch:guardduty",
      {{"updatedAt", ""}, {"UpdatedAt", ""}, {"createdAt", ""}, {"CreatedAt", ""}}, IsGuardDutyFinding);
  add("securityhub", "aws:securityhub:finding", {{"UpdatedAt", ""}, {"CreatedAt", ""}}, IsSecurityHubFinding);
  add("eventbridge", "aws:cloudwatch:events", {{"time", ""}}, IsEventBridge);
  add("waf", "aws:waf", {{"timestamp", ""}}, IsWaf);
  add("cloudfront-json", "aws:cloudfront:accesslogs", {{"date", "time"}, {"timestamp", ""}},
      IsCloudFrontJson);
  add("route53-resolver", "aws:route53:resolver", {{"query_timestamp", ""}}, IsRoute53Resolver);
  add("json", "_json",
      {{"@timestamp", ""},
       {"timestamp", ""},
       {"time", ""},
       {"eventTime", ""},
       {"updatedAt", ""},
       {"createdAt", ""}},
      AnyObject);
  return f;
}

const JsonLogFormat* DetectJsonFormat(const std::vector<std::unique_ptr<JsonLogFormat>>& formats,
                                      const std::vector<TopMember>& scalars,
                                      const std::vector<std::string_view>& keys) {
  for (const auto& f : formats)
    if (f->Matches(scalars, keys)) return f.get();
  return formats.back().get();
}

std::unique_ptr<JsonLogFormat> MakeUserJsonFormat(const std::string& sourcetype,
                                                  const std::string& time_field) {
  std::vector<TimePath> times;
  if (!time_field.empty()) times.push_back({time_field, ""});
  return std::make_unique<UserFormat>("user", sourcetype, std::move(times));
}

std::optional<int64_t> TimeFromText(std::string_view text, storage::ValueType type,
                                    const std::string& format) {
  if (!format.empty()) return ParseTime(text, format);
  if (type == storage::ValueType::kString) {
    if (auto t = ParseTimestamp(text)) return t;
  }
  std::optional<double> n = storage::ParseNumber(text);
  if (!n || !std::isfinite(*n) || *n < 0) return std::nullopt;
  // Seconds until the year 5138, then milliseconds, then microseconds.
  double us = *n < 1e11 ? *n * 1e6 : *n < 1e14 ? *n * 1e3 : *n;
  if (us > 9.2e18) return std::nullopt;
  return static_cast<int64_t>(std::llround(us));
}

std::string JsonPointer(std::string_view dotted) {
  std::string p = "/";
  for (char c : dotted) {
    if (c == '.')
      p += '/';
    else if (c == '~')
      p += "~0";
    else if (c == '/')
      p += "~1";
    else
      p += c;
  }
  return p;
}

}  // namespace cairn::engine
