#include "engine/ingest/delimited_event.h"

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

uint32_t DelimitedEventBuilder::FieldId(const std::string& name) {
  for (const auto& [n, id] : field_ids_)
    if (n == name) return id;
  uint32_t id = builder_->FieldId(name);
  field_ids_.emplace_back(name, id);
  return id;
}

void DelimitedEventBuilder::Build(std::string_view line, const std::vector<std::string_view>& tokens,
                                  const std::vector<std::string>& names, char separator, FlatEvent* out) {
  out->shape.clear();
  out->values.clear();
  out->time_us.reset();
  out->verbatim = false;
  out->digest = false;
  out->frame_bytes = 0;
  pending_text_.clear();
  storage::ByteWriter shape(&out->shape);
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string_view token = tokens[i];
    if (i > 0) pending_text_.push_back(separator);
    if (token.empty() || token == "-") {
      pending_text_.append(token);  // the field is absent; its dash is part of the line
      continue;
    }
    if (!pending_text_.empty()) {
      shape.PutU8(storage::shape_op::kText);
      shape.PutString(pending_text_);
      pending_text_.clear();
    }
    shape.PutU8(storage::shape_op::kField);
    shape.PutString(names[i]);
    shape.PutU8(storage::shape_op::kRawValue);
    bool number = ParseDigits(token) >= 0;
    out->values.push_back(
        {FieldId(names[i]), number ? storage::ValueType::kNumber : storage::ValueType::kString, token});
  }
  if (!pending_text_.empty()) {
    shape.PutU8(storage::shape_op::kText);
    shape.PutString(pending_text_);
  }
  // The shape writes one separator between fields: it is the line when the line is as long
  // as that and holds no tab where spaces separate (or the other way round).
  size_t rebuilt = tokens.empty() ? 0 : tokens.size() - 1;
  for (std::string_view token : tokens) rebuilt += token.size();
  char other = separator == '\t' ? ' ' : '\t';
  bool other_separators = separator == ' ' && line.find(other) != std::string_view::npos;
  if (rebuilt != line.size() || other_separators) {
    out->verbatim = true;
    out->shape.clear();
  }
}

}  // namespace cairn::engine
