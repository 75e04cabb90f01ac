#include "engine/ingest/s3_access.h"

#include "engine/ingest/time_parse.h"

namespace cairn::engine {

namespace {

constexpr std::string_view kFields =
    "bucket_owner bucket time remote_ip requester request_id operation key request_uri http_status "
    "error_code "
    "bytes_sent object_size total_time turn_around_time referer user_agent version_id host_id "
    "signature_version "
    "cipher_suite authentication_type host_header tls_version access_point_arn acl_required";
// Lines have at least the fields up to the user agent.
constexpr size_t kMinFields = 17;
constexpr size_t kTimeField = 2;
constexpr size_t kOperationField = 6;

// The documented fields' names.
std::vector<std::string> DocumentedFields() {
  std::vector<std::string_view> tokens;
  SplitAtBlanks(kFields, &tokens);
  return std::vector<std::string>(tokens.begin(), tokens.end());
}

bool LooksLikeRecord(const std::vector<std::string_view>& tokens, const std::vector<char>& enclosures) {
  if (tokens.size() < kMinFields || enclosures[kTimeField] != '[') return false;
  if (!ParseCommonLogTime(tokens[kTimeField])) return false;
  std::string_view op = tokens[kOperationField];
  return op.rfind("REST.", 0) == 0 || op.rfind("WEBSITE.", 0) == 0 || op.rfind("BATCH.", 0) == 0 ||
         op.rfind("S3.", 0) == 0;
}

}  // namespace

bool S3AccessFormat::Matches(std::string_view head) const {
  std::vector<std::string_view> tokens;
  std::vector<char> enclosures;
  return SplitQuotedFields(FirstLine(head), &tokens, &enclosures) && LooksLikeRecord(tokens, enclosures);
}

TextLogFormat::Line S3AccessFormat::Parse(std::string_view line, DelimitedRecord* record,
                                          std::string* error) {
  if (!SplitQuotedFields(line, &record->tokens, &record->enclosures) ||
      !LooksLikeRecord(record->tokens, record->enclosures)) {
    *error = "not an S3 server access log record";
    return Line::kBad;
  }
  if (names_.empty()) names_ = DocumentedFields();
  while (names_.size() < record->tokens.size())
    names_.push_back("field_" + std::to_string(names_.size() + 1));
  record->names = &names_;
  return Line::kRecord;
}

std::optional<int64_t> S3AccessFormat::Time(const DelimitedRecord& record) {
  return record.tokens.size() > kTimeField ? ParseCommonLogTime(record.tokens[kTimeField]) : std::nullopt;
}

}  // namespace cairn::engine
