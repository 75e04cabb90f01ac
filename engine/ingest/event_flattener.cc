#include "engine/ingest/event_flattener.h"

#include <cstring>

#include "storage/coding.h"
#include "storage/text.h"

namespace cairn::engine {

namespace od = simdjson::ondemand;
using storage::ValueType;

namespace {
// Keys that name cairn's own fields: an event holding them at top level keeps its text, and
// their values go to orig_<key>.
bool IsReservedKey(std::string_view key) {
  return key == "_time" || key == "_raw" || key == "source" || key == "sourcetype" || key == "index" ||
         key == "_shape" || key == "_terms";
}
std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}
std::string_view Trim(std::string_view s) {
  s = TrimRight(s);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t'))
    s.remove_prefix(1);
  return s;
}
}  // namespace

bool EventFlattener::AddScalar(od::value value, od::json_type type, uint32_t path, FlatEvent* out,
                               std::string* error) {
  // Null-valued paths get a field too (of no values), as the index's field names list them.
  uint32_t field = FieldId(path);
  switch (type) {
    case od::json_type::string: {
      std::string_view s;
      if (auto err = value.get_string().get(s)) {
        *error = simdjson::error_message(err);
        return false;
      }
      // The view points into the parser's string buffer, valid until the next event.
      out->values.push_back({field, ValueType::kString, s});
      out->shape.push_back(storage::shape_op::kValue);
      return true;
    }
    case od::json_type::number: {
      std::string_view raw = TrimRight(value.raw_json_token());
      double d;
      if (auto err = value.get_double().get(d)) {
        // Big integers beyond double still are numbers; keep their text.
        if (err != simdjson::NUMBER_OUT_OF_RANGE) {
          *error = simdjson::error_message(err);
          return false;
        }
      }
      out->values.push_back({field, ValueType::kNumber, raw});
      out->shape.push_back(storage::shape_op::kValue);
      return true;
    }
    case od::json_type::boolean: {
      bool b;
      if (auto err = value.get_bool().get(b)) {
        *error = simdjson::error_message(err);
        return false;
      }
      out->values.push_back({field, ValueType::kBool, b ? "true" : "false"});
      out->shape.push_back(storage::shape_op::kValue);
      return true;
    }
    case od::json_type::null: {
      bool is_null = false;
      if (value.is_null().get(is_null) || !is_null) {
        *error = "invalid literal";
        return false;
      }
      out->shape.push_back(storage::shape_op::kNull);
      out->frame_bytes += 4;
      return true;
    }
    default:
      *error = "unexpected value";
      return false;
  }
}

bool EventFlattener::Walk(od::value value, uint32_t path, int depth, FlatEvent* out, std::string* error) {
  od::json_type type;
  if (auto err = value.type().get(type)) {
    *error = simdjson::error_message(err);
    return false;
  }
  if (out->values.size() >= kMaxEventValues) {
    out->warning = "the event has more than " + std::to_string(kMaxEventValues) +
                   " values; the first are indexed as fields, and the event is kept whole";
    return true;
  }
  if (depth > kMaxJsonDepth && (type == od::json_type::object || type == od::json_type::array)) {
    // Left unread: the parser skips it (without recursion) when the walk moves on.
    out->warning = "objects and arrays nested deeper than " + std::to_string(kMaxJsonDepth) +
                   " levels are not indexed as fields; the event is kept whole";
    return true;
  }
  if (type == od::json_type::object) {
    od::object obj;
    if (auto err = value.get_object().get(obj)) {
      *error = simdjson::error_message(err);
      return false;
    }
    out->shape.push_back(storage::shape_op::kObjectOpen);
    out->frame_bytes += 2;
    size_t keys = 0;
    for (auto field : obj) {
      std::string_view key;
      if (auto err = field.unescaped_key().get(key)) {
        *error = simdjson::error_message(err);
        return false;
      }
      out->frame_bytes += key.size() + (keys++ > 0 ? 4 : 3);
      out->shape.push_back(storage::shape_op::kKey);
      storage::ByteWriter(&out->shape).PutString(key);
      od::value child;
      if (auto err = field.value().get(child)) {
        *error = simdjson::error_message(err);
        return false;
      }
      if (!Walk(child, paths_.Child(path, key, static_cast<uint32_t>(keys - 1)), depth + 1, out, error))
        return false;
    }
    out->shape.push_back(storage::shape_op::kObjectClose);
    return true;
  }
  if (type == od::json_type::array) {
    od::array arr;
    if (auto err = value.get_array().get(arr)) {
      *error = simdjson::error_message(err);
      return false;
    }
    out->shape.push_back(storage::shape_op::kArrayOpen);
    out->frame_bytes += 2;
    uint32_t elements_path = paths_.Elements(path);
    size_t elements = 0;
    for (auto element : arr) {
      if (elements++ > 0) ++out->frame_bytes;
      od::value child;
      if (auto err = element.get(child)) {
        *error = simdjson::error_message(err);
        return false;
      }
      if (!Walk(child, elements_path, depth + 1, out, error)) return false;
    }
    out->shape.push_back(storage::shape_op::kArrayClose);
    return true;
  }
  return AddScalar(value, type, path, out, error);
}

bool EventFlattener::Flatten(const char* text, size_t len, size_t capacity, FlatEvent* out,
                             std::string* error, bool records) {
  out->shape.clear();
  out->values.clear();
  out->time_us.reset();
  out->format = nullptr;
  top_scalars_.clear();
  top_keys_.clear();
  out->frame_bytes = 0;
  out->verbatim = false;
  out->digest = false;
  out->warning.clear();
  od::document doc;
  if (auto err = parser_.iterate(text, len, capacity).get(doc)) {
    *error = simdjson::error_message(err);
    return false;
  }
  od::object obj;
  if (auto err = doc.get_object().get(obj)) {
    *error =
        err == simdjson::INCORRECT_TYPE ? "an event must be a JSON object" : simdjson::error_message(err);
    return false;
  }
  bool reserved = false;
  out->shape.push_back(storage::shape_op::kObjectOpen);
  out->frame_bytes += 2;
  size_t keys = 0;
  for (auto field : obj) {
    std::string_view key;
    if (auto err = field.unescaped_key().get(key)) {
      *error = simdjson::error_message(err);
      return false;
    }
    out->frame_bytes += key.size() + (keys++ > 0 ? 4 : 3);
    if (IsReservedKey(key)) reserved = true;
    out->shape.push_back(storage::shape_op::kKey);
    storage::ByteWriter(&out->shape).PutString(key);
    od::value child;
    if (auto err = field.value().get(child)) {
      *error = simdjson::error_message(err);
      return false;
    }
    size_t before = out->values.size();
    size_t shape_before = out->shape.size();
    // A key named like one of cairn's own fields becomes orig_<key>, as in the text formats
    // (and as Splunk renames such fields); the event keeps its text.
    std::string_view path_key = key;
    if (IsReservedKey(key)) path_key = renamed_key_.assign("orig_").append(key);
    if (!Walk(child, paths_.Child(PathTree::kRoot, path_key, static_cast<uint32_t>(keys - 1)), 2, out, error))
      return false;
    top_keys_.push_back(key);
    // A scalar member: one value and one shape op (an object or array has brackets).
    if (out->values.size() == before + 1 && out->shape.size() == shape_before + 1)
      top_scalars_.push_back({key, out->values.back().text, out->values.back().type});
    if (key == "digestStartTime" || key == "digestSignatureAlgorithm") out->digest = true;
  }
  out->shape.push_back(storage::shape_op::kObjectClose);
  if (user_format_ != nullptr)
    out->format = user_format_.get();
  else if (records)
    out->format = formats_.front().get();  // CloudTrail
  else
    out->format = DetectJsonFormat(formats_, top_scalars_, top_keys_);
  out->time_us = FindTime(*out);
  if (const char* loc = nullptr; !doc.current_location().get(loc)) {
    *error = "unexpected text after the event";
    return false;
  }
  if (reserved || !out->warning.empty()) {
    out->verbatim = true;
    out->shape.clear();
    return true;
  }
  if (!RebuildsExactly(Trim(std::string_view(text, len)), *out)) {
    out->verbatim = true;
    out->shape.clear();
  }
  return true;
}

bool EventFlattener::ValueAt(const FlatEvent& event, const std::string& path, std::string_view* text,
                             ValueType* type) const {
  for (const TopMember& m : top_scalars_) {
    if (m.key == path) {
      *text = m.text;
      *type = m.type;
      return true;
    }
  }
  if (path.find('.') == std::string::npos) return false;
  uint32_t field = builder_->FindFieldId(path);
  if (field == UINT32_MAX) return false;
  for (const auto& v : event.values) {
    if (v.field == field) {
      *text = v.text;
      *type = v.type;
      return true;
    }
  }
  return false;
}

std::optional<int64_t> EventFlattener::FindTime(const FlatEvent& event) const {
  for (const TimePath& where : event.format->times()) {
    std::string_view text;
    ValueType type;
    if (!ValueAt(event, where.path, &text, &type)) continue;
    if (!where.then.empty()) {
      std::string_view second;
      ValueType second_type;
      if (!ValueAt(event, where.then, &second, &second_type)) continue;
      std::string joined = std::string(text) + " " + std::string(second);
      if (auto t = TimeFromText(joined, ValueType::kString, time_format_)) return t;
      continue;
    }
    if (auto t = TimeFromText(text, type, time_format_)) return t;
  }
  return std::nullopt;
}

bool EventFlattener::RebuildsExactly(std::string_view raw, const FlatEvent& event) {
  storage::JsonEscapeMarks marks = storage::FindJsonEscapeMarks(raw);
  // The rebuild never writes a control byte: raw holds whitespace other than spaces, or a
  // control character inside a string, which the rebuild would escape.
  if (marks.control) return false;
  if (!marks.backslash) {
    // Without escapes each string, key, number and literal of raw is written back as it
    // stands, so the rebuild is raw less its spaces between tokens: equal when as long.
    size_t size = event.frame_bytes;
    for (const auto& v : event.values) size += v.text.size() + (v.type == ValueType::kString ? 2 : 0);
    return size == raw.size();
  }
  render_values_.clear();
  for (const auto& v : event.values) render_values_.push_back({v.type, v.text});
  rendered_.clear();
  return storage::RenderShape(event.shape, render_values_, &rendered_) && rendered_ == raw;
}

}  // namespace cairn::engine
