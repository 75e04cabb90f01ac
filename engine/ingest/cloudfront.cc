#include "engine/ingest/cloudfront.h"

#include <algorithm>

#include "engine/ingest/time_parse.h"

namespace cairn::engine {

namespace {

// The standard fields, as a #Fields directive lists them.
constexpr std::string_view kStandardFields =
    "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) "
    "cs(User-Agent) "
    "cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes "
    "time-taken "
    "x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status "
    "fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type "
    "sc-content-len "
    "sc-range-start sc-range-end";
constexpr std::string_view kFieldsDirective = "#Fields:";

void SplitTabs(std::string_view line, std::vector<std::string_view>* tokens) {
  tokens->clear();
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    tokens->push_back(
        line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) return;
    start = tab + 1;
  }
}

// "cs(User-Agent)" → "cs_user_agent".
std::string FieldName(std::string_view w3c_name) {
  std::string name;
  for (char c : w3c_name) {
    if (c == ')') continue;
    if (c == '-' || c == '(') {
      name.push_back('_');
    } else {
      name.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
    }
  }
  return name;
}

void FieldNames(std::string_view directive_fields, std::vector<std::string>* names) {
  std::vector<std::string_view> tokens;
  SplitAtBlanks(directive_fields, &tokens);
  names->clear();
  for (std::string_view t : tokens) names->push_back(FieldName(t));
}

const std::vector<std::string>& StandardFields() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    FieldNames(kStandardFields, &v);
    return v;
  }();
  return names;
}

}  // namespace

bool CloudFrontFormat::Matches(std::string_view head) const {
  if (head.rfind("#Version:", 0) == 0 || head.rfind(kFieldsDirective, 0) == 0)
    return head.find("x-edge-location") != std::string_view::npos ||
           head.find("x-edge-request-id") != std::string_view::npos;
  // A headerless log: a first line of the standard fields, starting with a date.
  std::vector<std::string_view> tokens;
  SplitTabs(FirstLine(head), &tokens);
  return tokens.size() == StandardFields().size() && tokens[0].size() == 10 && tokens[0][4] == '-' &&
         tokens[0][7] == '-' && tokens[1].size() == 8 && tokens[1][2] == ':';
}

TextLogFormat::Line CloudFrontFormat::Parse(std::string_view line, DelimitedRecord* record,
                                            std::string* error) {
  if (line[0] == '#') {
    if (line.rfind(kFieldsDirective, 0) == 0) {
      FieldNames(line.substr(kFieldsDirective.size()), &fields_);
      ++fields_version_;
      time_fields_.Forget();
    }
    return Line::kHeader;  // #Version and other directives
  }
  SplitTabs(line, &record->tokens);
  record->enclosures.clear();
  record->names = fields_.empty() ? &StandardFields() : &fields_;
  record->names_version = fields_version_;
  if (record->tokens.size() != record->names->size()) {
    *error = "a CloudFront log line of " + std::to_string(record->tokens.size()) +
             " tab-separated fields, but " +
             (fields_.empty() ? "the standard layout has " : "the #Fields line names ") +
             std::to_string(record->names->size());
    // A line cut short (a truncated file, an older layout) keeps the fields it has.
    if (record->tokens.size() < record->names->size() && record->tokens.size() >= 2) {
      *error += ": kept with the first " + std::to_string(record->tokens.size());
      return Line::kShortRecord;
    }
    return Line::kBad;
  }
  return Line::kRecord;
}

std::optional<int64_t> CloudFrontFormat::Time(const DelimitedRecord& record) {
  const std::vector<size_t>& at = time_fields_.Of(record.names);
  if (at[0] >= record.tokens.size() || at[1] >= record.tokens.size()) return std::nullopt;
  std::string_view date = record.tokens[at[0]], time = record.tokens[at[1]];
  if (date.size() != 10 || time.size() != 8) return std::nullopt;
  char iso[20];
  std::copy(date.begin(), date.end(), iso);
  iso[10] = 'T';
  std::copy(time.begin(), time.end(), iso + 11);
  iso[19] = 'Z';
  return ParseTimestamp(std::string_view(iso, 20));
}

}  // namespace cairn::engine
