#include "engine/ingest/vpc_flow.h"

#include <algorithm>

namespace cairn::engine {

namespace {

// AWS's default layouts, as header lines: versions 2 to 5 (each adds fields to the one
// before) and transit gateway flow logs.
constexpr std::string_view kDefaultLayouts[] = {
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
    "log-status",
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
    "log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr",
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
    "log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id "
    "sublocation-type sublocation-id",
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
    "log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id "
    "sublocation-type sublocation-id "
    "pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path",
    "version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id "
    "tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id "
    "tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
    "log-status type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded "
    "packets-lost-ttl-expired tcp-flags "
    "region flow-direction pkt-src-aws-service pkt-dst-aws-service",
};
// Fields a custom format may name besides those of the default layouts.
constexpr std::string_view kOtherFields =
    "ecs-cluster-arn ecs-cluster-name ecs-container-instance-arn ecs-container-instance-id ecs-container-id "
    "ecs-second-container-id ecs-service-name ecs-task-definition-arn ecs-task-arn ecs-task-id reject-reason";

std::string FieldName(std::string_view aws_name) {
  std::string name(aws_name);
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

struct DefaultLayout {
  std::vector<std::string> names;  // cairn's field names
  size_t log_status = 0;           // index of log-status
};

const std::vector<DefaultLayout>& DefaultLayouts() {
  static const std::vector<DefaultLayout> layouts = [] {
    std::vector<DefaultLayout> all;
    std::vector<std::string_view> tokens;
    for (std::string_view header : kDefaultLayouts) {
      SplitAtBlanks(header, &tokens);
      DefaultLayout layout;
      for (std::string_view t : tokens) layout.names.push_back(FieldName(t));
      layout.log_status =
          static_cast<size_t>(std::find(tokens.begin(), tokens.end(), "log-status") - tokens.begin());
      all.push_back(std::move(layout));
    }
    return all;
  }();
  return layouts;
}

bool IsKnownField(std::string_view aws_name) {
  static const std::vector<std::string_view> known = [] {
    std::vector<std::string_view> all, tokens;
    for (std::string_view header : kDefaultLayouts) {
      SplitAtBlanks(header, &tokens);
      all.insert(all.end(), tokens.begin(), tokens.end());
    }
    SplitAtBlanks(kOtherFields, &tokens);
    all.insert(all.end(), tokens.begin(), tokens.end());
    return all;
  }();
  return std::find(known.begin(), known.end(), aws_name) != known.end();
}

bool IsLogStatus(std::string_view t) {
  return t == "OK" || t == "NODATA" || t == "SKIPDATA";
}

// A header: lower-case names of letters, digits and hyphens, at least two of them known.
bool IsHeader(const std::vector<std::string_view>& tokens) {
  size_t known = 0;
  for (std::string_view t : tokens) {
    if (t.empty() || t[0] < 'a' || t[0] > 'z') return false;
    for (char c : t)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    if (IsKnownField(t)) ++known;
  }
  return known >= 2;
}

// The default layout of a record of `tokens`: as many fields, a one-digit version, and a
// log status where the layout puts it. Null if none.
const std::vector<std::string>* DefaultLayoutOf(const std::vector<std::string_view>& tokens) {
  if (tokens.empty() || tokens[0].size() != 1 || tokens[0][0] < '2' || tokens[0][0] > '9') return nullptr;
  for (const DefaultLayout& layout : DefaultLayouts())
    if (layout.names.size() == tokens.size() && IsLogStatus(tokens[layout.log_status])) return &layout.names;
  return nullptr;
}

}  // namespace

bool VpcFlowFormat::Matches(std::string_view head) const {
  std::vector<std::string_view> tokens;
  SplitAtBlanks(FirstLine(head), &tokens);
  if (IsHeader(tokens) || DefaultLayoutOf(tokens) != nullptr) return true;
  if (tokens.size() < 10 || tokens[0].size() != 1 || tokens[0][0] < '2' || tokens[0][0] > '9') return false;
  return std::any_of(tokens.begin(), tokens.end(),
                     [](std::string_view t) { return t == "ACCEPT" || t == "REJECT" || IsLogStatus(t); });
}

bool VpcFlowFormat::IsHeaderLine(std::string_view line) const {
  size_t text = line.find_first_not_of(" \t");
  if (text == std::string_view::npos || line[text] < 'a' || line[text] > 'z') return false;
  std::vector<std::string_view> tokens;
  SplitAtBlanks(line, &tokens);
  return IsHeader(tokens);
}

TextLogFormat::Line VpcFlowFormat::Parse(std::string_view line, DelimitedRecord* record, std::string* error) {
  SplitAtBlanks(line, &record->tokens);
  record->enclosures.clear();
  const std::vector<std::string_view>& tokens = record->tokens;
  if (IsHeader(tokens)) {
    header_.clear();
    for (std::string_view t : tokens) header_.push_back(FieldName(t));
    ++header_version_;
    time_fields_.Forget();
    return Line::kHeader;
  }
  record->names_version = header_version_;
  if (!header_.empty() && tokens.size() == header_.size()) {
    record->names = &header_;
  } else if (const std::vector<std::string>* layout = DefaultLayoutOf(tokens)) {
    record->names = layout;
  } else {
    *error = "a VPC flow record of " + std::to_string(tokens.size()) + " fields, but ";
    *error += header_.empty() ? "no header line names them and they fit no default layout"
                              : "the header line before it names " + std::to_string(header_.size());
    return Line::kBad;
  }
  return Line::kRecord;
}

std::optional<int64_t> VpcFlowFormat::Time(const DelimitedRecord& record) {
  const std::vector<size_t>& at = time_fields_.Of(record.names);
  auto seconds = [&](size_t field) {
    return field < record.tokens.size() ? ParseDigits(record.tokens[field]) : -1;
  };
  int64_t start = seconds(at[0]), end = seconds(at[1]);
  // Unix seconds; a value beyond year 2286 is not a time.
  constexpr int64_t kMaxSeconds = 10000000000LL;
  if (start >= 0 && start < kMaxSeconds) return start * 1000000;
  if (end >= 0 && end < kMaxSeconds) return end * 1000000;
  return std::nullopt;
}

}  // namespace cairn::engine
