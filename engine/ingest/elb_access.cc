#include "engine/ingest/elb_access.h"

#include "engine/ingest/time_parse.h"

namespace cairn::engine {

namespace {

constexpr std::string_view kAlbFields =
    "type time elb client_port target_port request_processing_time target_processing_time "
    "response_processing_time elb_status_code target_status_code received_bytes sent_bytes request "
    "user_agent "
    "ssl_cipher ssl_protocol target_group_arn trace_id domain_name chosen_cert_arn matched_rule_priority "
    "request_creation_time actions_executed redirect_url error_reason target_port_list "
    "target_status_code_list "
    "classification classification_reason conn_trace_id";
constexpr size_t kAlbMinFields = 12;  // up to sent_bytes: the oldest layout has more

constexpr std::string_view kNlbFields =
    "type version time elb listener client_port destination_port connection_time tls_handshake_time "
    "received_bytes sent_bytes incoming_tls_alert chosen_cert_arn chosen_cert_serial tls_cipher "
    "tls_protocol_version tls_named_group domain_name alpn_fe_protocol alpn_be_protocol "
    "alpn_client_preference_list tls_connection_creation_time";
constexpr size_t kNlbMinFields = 11;

bool IsAlbType(std::string_view t) {
  return t == "http" || t == "https" || t == "h2" || t == "grpcs" || t == "ws" || t == "wss";
}

// `tokens` named by `fields`, and field_N past them; false if there are fewer than `min`.
bool Name(const std::vector<std::string_view>& tokens, std::string_view fields, size_t min,
          std::vector<std::string>* names) {
  if (tokens.size() < min) return false;
  if (names->empty()) {
    std::vector<std::string_view> documented;
    SplitAtBlanks(fields, &documented);
    names->assign(documented.begin(), documented.end());
  }
  while (names->size() < tokens.size()) names->push_back("field_" + std::to_string(names->size() + 1));
  return true;
}

bool LooksLikeAlb(const std::vector<std::string_view>& tokens) {
  return tokens.size() >= kAlbMinFields && IsAlbType(tokens[0]) && ParseTimestamp(tokens[1]).has_value();
}

bool LooksLikeNlb(const std::vector<std::string_view>& tokens) {
  return tokens.size() >= kNlbMinFields && tokens[0] == "tls" && !tokens[1].empty() &&
         ParseTimestamp(tokens[2]).has_value();
}

}  // namespace

// NLB fields hold no spaces, and a quote may sit inside one (alpn_client_preference_list is
// "h2","http/1.1"): they are split at spaces alone. ALB fields with spaces are quoted.
bool ElbAccessFormat::Split(std::string_view line, std::vector<std::string_view>* tokens,
                            std::vector<char>* enclosures) const {
  if (balancer_ == Balancer::kNetwork) {
    SplitAtBlanks(line, tokens);
    enclosures->clear();
    return LooksLikeNlb(*tokens);
  }
  return SplitQuotedFields(line, tokens, enclosures) && LooksLikeAlb(*tokens);
}

bool ElbAccessFormat::Matches(std::string_view head) const {
  std::vector<std::string_view> tokens;
  std::vector<char> enclosures;
  return Split(FirstLine(head), &tokens, &enclosures);
}

TextLogFormat::Line ElbAccessFormat::Parse(std::string_view line, DelimitedRecord* record,
                                           std::string* error) {
  bool network = balancer_ == Balancer::kNetwork;
  if (!Split(line, &record->tokens, &record->enclosures) ||
      !Name(record->tokens, network ? kNlbFields : kAlbFields, network ? kNlbMinFields : kAlbMinFields,
            &names_)) {
    *error = network ? "not a network load balancer access log record"
                     : "not an application load balancer access log record";
    return Line::kBad;
  }
  record->names = &names_;
  return Line::kRecord;
}

std::optional<int64_t> ElbAccessFormat::Time(const DelimitedRecord& record) {
  size_t at = balancer_ == Balancer::kNetwork ? 2 : 1;
  return record.tokens.size() > at ? ParseTimestamp(record.tokens[at]) : std::nullopt;
}

}  // namespace cairn::engine
