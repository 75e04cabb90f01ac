#include "engine/ingest/vpc_flow.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>

#include "storage/coding.h"
#include "storage/text.h"

namespace cairn::engine {

namespace {

constexpr size_t kChunk = 1 << 20;

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

void SplitTokens(std::string_view line, std::vector<std::string_view>* tokens) {
  tokens->clear();
  size_t i = 0, n = line.size();
  while (i < n) {
    while (i < n && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t start = i;
    while (i < n && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) tokens->push_back(line.substr(start, i - start));
  }
}

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
      SplitTokens(header, &tokens);
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
      SplitTokens(header, &tokens);
      all.insert(all.end(), tokens.begin(), tokens.end());
    }
    SplitTokens(kOtherFields, &tokens);
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

bool LooksLikeVpcFlow(std::string_view line) {
  std::vector<std::string_view> tokens;
  SplitTokens(line, &tokens);
  if (IsHeader(tokens) || DefaultLayoutOf(tokens) != nullptr) return true;
  // A record of a layout no header names: reported line by line, not as bad JSON.
  if (tokens.size() < 10 || tokens[0].size() != 1 || tokens[0][0] < '2' || tokens[0][0] > '9') return false;
  return std::any_of(tokens.begin(), tokens.end(),
                     [](std::string_view t) { return t == "ACCEPT" || t == "REJECT" || IsLogStatus(t); });
}

Status VpcFlowReader::Read(ByteStream* stream, const VpcFlowCallbacks& cb, ReadSummary* summary) {
  *summary = ReadSummary();
  header_.clear();
  std::string buf;
  size_t start = 0;  // of the first unfinished line in buf
  uint64_t line_no = 0;
  Status status;
  bool eof = false;
  while (!eof) {
    buf.erase(0, start);
    start = 0;
    auto n = stream->Read(kChunk, &buf);
    if (!n.ok()) status = n.status();
    eof = !n.ok() || n.value() == 0;
    if (n.ok()) summary->bytes += n.value();
    if (cb.on_progress) cb.on_progress(stream->disk_bytes());
    while (true) {
      const void* nl = std::memchr(buf.data() + start, '\n', buf.size() - start);
      if (nl == nullptr && !(eof && start < buf.size())) break;
      size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - buf.data()) : buf.size();
      std::string_view line(buf.data() + start, end - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      HandleLine(line, ++line_no, cb);
      start = nl ? end + 1 : buf.size();
    }
  }
  return status;
}

void VpcFlowReader::HandleLine(std::string_view line, uint64_t line_no, const VpcFlowCallbacks& cb) {
  SplitTokens(line, &record_.tokens);
  const std::vector<std::string_view>& tokens = record_.tokens;
  if (tokens.empty()) return;
  if (IsHeader(tokens)) {
    header_.clear();
    for (std::string_view t : tokens) header_.push_back(FieldName(t));
    return;
  }
  const std::vector<std::string>* names = nullptr;
  if (!header_.empty() && tokens.size() == header_.size()) {
    names = &header_;
  } else if (const std::vector<std::string>* layout = DefaultLayoutOf(tokens)) {
    names = layout;
  } else {
    std::string message = "a VPC flow record of " + std::to_string(tokens.size()) + " fields, but ";
    message += header_.empty() ? "no header line names them and they fit no default layout"
                               : "the header line before it names " + std::to_string(header_.size());
    if (cb.on_error) cb.on_error("line " + std::to_string(line_no), message);
    return;
  }
  record_.line = line;
  record_.line_no = line_no;
  record_.names = names;
  if (cb.on_record) cb.on_record(record_);
}

uint32_t VpcFlowFlattener::FieldId(const std::string& name) {
  for (const auto& [n, id] : field_ids_)
    if (n == name) return id;
  uint32_t id = builder_->FieldId(name);
  field_ids_.emplace_back(name, id);
  return id;
}

void VpcFlowFlattener::Flatten(const VpcFlowRecord& record, FlatEvent* out) {
  out->shape.clear();
  out->values.clear();
  out->time_us.reset();
  out->verbatim = false;
  out->digest = false;
  out->frame_bytes = 0;
  pending_text_.clear();
  storage::ByteWriter shape(&out->shape);
  std::optional<int64_t> start, end;
  for (size_t i = 0; i < record.tokens.size(); ++i) {
    std::string_view token = record.tokens[i];
    if (i > 0) pending_text_.push_back(' ');
    if (token == "-") {
      pending_text_.push_back('-');  // the field is absent; its dash is part of the line
      continue;
    }
    if (!pending_text_.empty()) {
      shape.PutU8(storage::shape_op::kText);
      shape.PutString(pending_text_);
      pending_text_.clear();
    }
    const std::string& name = (*record.names)[i];
    shape.PutU8(storage::shape_op::kField);
    shape.PutString(name);
    shape.PutU8(storage::shape_op::kRawValue);
    // Flow records hold whole numbers (ports, counts, Unix seconds) or text.
    bool digits = token.size() <= 18 && std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
    out->values.push_back({FieldId(name), digits ? storage::ValueType::kNumber : storage::ValueType::kString, token});
    if (digits && (name == "start" || name == "end")) {
      int64_t seconds = 0;
      for (char c : token) seconds = seconds * 10 + (c - '0');
      // Unix seconds; a value beyond year 2286 is not a time.
      if (seconds < 10000000000LL) (name == "start" ? start : end) = seconds * 1000000;
    }
  }
  if (!pending_text_.empty()) {
    shape.PutU8(storage::shape_op::kText);
    shape.PutString(pending_text_);
  }
  out->time_us = start ? start : end;
  // The shape rebuilds the fields with single spaces between them: the line itself when it is
  // as long as that and holds no tab. Other spacing keeps its text.
  size_t rebuilt = record.tokens.empty() ? 0 : record.tokens.size() - 1;
  for (std::string_view token : record.tokens) rebuilt += token.size();
  if (rebuilt != record.line.size() || record.line.find('\t') != std::string_view::npos) {
    out->verbatim = true;
    out->shape.clear();
  }
}

}  // namespace cairn::engine
