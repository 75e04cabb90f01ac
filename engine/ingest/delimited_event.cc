#include "engine/ingest/delimited_event.h"

#include <algorithm>

#include "storage/coding.h"

namespace cairn::engine {

int64_t ParseDigits(std::string_view text) {
  if (text.empty() || text.size() > 18) return -1;
  int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

namespace {
// A header naming one of cairn's own fields keeps it apart, as Splunk does: orig_source.
bool IsReserved(std::string_view name) {
  return name == "source" || name == "sourcetype" || name == "index" || name == "_time" || name == "_raw" ||
         name == "_shape" || name == "_terms";
}
}  // namespace

const std::vector<size_t>& FieldPositions::Of(const std::vector<std::string>* names) {
  if (names != names_) {
    names_ = names;
    positions_.clear();
    for (const std::string& w : wanted_) {
      auto it = std::find(names->begin(), names->end(), w);
      positions_.push_back(it == names->end() ? kAbsent : static_cast<size_t>(it - names->begin()));
    }
  }
  return positions_;
}

void SplitAtBlanks(std::string_view line, std::vector<std::string_view>* tokens) {
  tokens->clear();
  size_t i = 0, n = line.size();
  while (i < n) {
    while (i < n && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t start = i;
    while (i < n && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) tokens->push_back(line.substr(start, i - start));
  }
}

std::string_view FirstLine(std::string_view head) {
  size_t start = head.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  std::string_view line = head.substr(start, head.find('\n', start) - start);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

uint32_t DelimitedEventBuilder::FieldId(const std::string& name) {
  for (const auto& [n, id] : field_ids_)
    if (n == name) return id;
  uint32_t id = builder_->FieldId(name);
  field_ids_.emplace_back(name, id);
  return id;
}

namespace {
// "-" and empty fields are absent.
bool IsAbsent(std::string_view token) {
  return token.empty() || token == "-";
}

// A field's value: whole numbers are numbers.
storage::FieldValue TypedValue(uint32_t field, std::string_view token) {
  return {field, ParseDigits(token) >= 0 ? storage::ValueType::kNumber : storage::ValueType::kString, token};
}
}  // namespace

void DelimitedEventBuilder::Build(const DelimitedRecord& record, char separator, FlatEvent* out) {
  out->shape.clear();
  out->values.clear();
  out->time_us.reset();
  out->verbatim = false;
  out->digest = false;
  out->frame_bytes = 0;
  pending_text_.clear();
  size_t rebuilt = record.tokens.empty() ? 0 : record.tokens.size() - 1;
  key_.clear();
  for (size_t i = 0; i < record.tokens.size(); ++i) {
    std::string_view token = record.tokens[i];
    char open = i < record.enclosures.size() ? record.enclosures[i] : '\0';
    rebuilt += token.size() + (open ? 2 : 0);
    key_.push_back(open);
    key_.push_back(token.empty() ? 'e' : token == "-" ? 'd' : 'v');
  }
  // The shape rebuilds the line when the line is as long as its tokens with one separator
  // between each two, and holds no tab where spaces separate.
  const bool verbatim =
      rebuilt != record.line.size() || (separator == ' ' && record.line.find('\t') != std::string_view::npos);
  if (record.names != names_seen_ || record.names_version != names_version_seen_) {
    names_seen_ = record.names;
    names_version_seen_ = record.names_version;
    if (*record.names != shape_names_) {
      shape_names_ = *record.names;
      shapes_.clear();
    }
  }
  if (auto hit = shapes_.find(key_); hit != shapes_.end()) {
    const std::vector<uint32_t>& ids = hit->second.ids;
    size_t k = 0;
    for (size_t i = 0; i < record.tokens.size(); ++i) {
      std::string_view token = record.tokens[i];
      if (!IsAbsent(token)) out->values.push_back(TypedValue(ids[k++], token));
    }
    if (verbatim)
      out->verbatim = true;
    else
      out->shape = hit->second.shape;
    return;
  }
  CachedShape made;
  storage::ByteWriter shape(&out->shape);
  for (size_t i = 0; i < record.tokens.size(); ++i) {
    std::string_view token = record.tokens[i];
    char open = i < record.enclosures.size() ? record.enclosures[i] : '\0';
    char close = open == '[' ? ']' : open;
    if (i > 0) pending_text_.push_back(separator);
    if (open) pending_text_.push_back(open);
    if (IsAbsent(token)) {
      pending_text_.append(token);  // the field is absent; its dash is part of the line
    } else {
      if (!pending_text_.empty()) {
        shape.PutU8(storage::shape_op::kText);
        shape.PutString(pending_text_);
        pending_text_.clear();
      }
      const std::string& header_name = (*record.names)[i];
      const std::string& name = IsReserved(header_name) ? (renamed_ = "orig_" + header_name) : header_name;
      shape.PutU8(storage::shape_op::kField);
      shape.PutString(name);
      shape.PutU8(storage::shape_op::kRawValue);
      made.ids.push_back(FieldId(name));
      out->values.push_back(TypedValue(made.ids.back(), token));
    }
    if (open) pending_text_.push_back(close);
  }
  if (!pending_text_.empty()) {
    shape.PutU8(storage::shape_op::kText);
    shape.PutString(pending_text_);
  }
  made.shape = out->shape;
  if (shapes_.size() >= kMaxCachedShapes) shapes_.clear();
  shapes_.emplace(key_, std::move(made));
  if (verbatim) {
    out->verbatim = true;
    out->shape.clear();
  }
}

bool SplitQuotedFields(std::string_view line, std::vector<std::string_view>* tokens,
                       std::vector<char>* enclosures) {
  tokens->clear();
  enclosures->clear();
  size_t i = 0, n = line.size();
  while (i <= n) {
    char open = i < n && (line[i] == '"' || line[i] == '[') ? line[i] : '\0';
    size_t end;
    if (open) {
      end = line.find(open == '[' ? ']' : '"', i + 1);
      if (end == std::string_view::npos) return false;
      tokens->push_back(line.substr(i + 1, end - i - 1));
      ++end;
    } else {
      end = line.find(' ', i);
      if (end == std::string_view::npos) end = n;
      tokens->push_back(line.substr(i, end - i));
    }
    enclosures->push_back(open);
    if (end >= n) return end == n;
    if (line[end] != ' ') return false;  // text right after a closing quote
    i = end + 1;
  }
  return true;
}

}  // namespace cairn::engine
