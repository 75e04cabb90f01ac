#include "storage/shape.h"

#include "storage/coding.h"
#include "storage/text.h"

namespace cairn::storage {

namespace {

// Walks the shape; calls on_key(key) for keys, on_value(path) for values.
template <typename OnKey, typename OnValue>
bool Walk(std::string_view shape, OnKey&& on_key, OnValue&& on_value) {
  std::vector<size_t> prefix_len;  // path length to restore when a container closes
  std::vector<bool> in_array;
  std::string path;
  size_t key_restore = std::string::npos;  // path length before the pending key
  ByteReader r(shape);
  while (r.remaining() > 0) {
    char op = static_cast<char>(r.GetU8());
    switch (op) {
      case shape_op::kKey: {
        std::string_view key = r.GetString();
        if (!r.ok() || in_array.empty() || in_array.back()) return false;
        key_restore = path.size();
        if (!path.empty()) path.push_back('.');
        path.append(key);
        on_key(key);
        continue;
      }
      case shape_op::kObjectOpen:
      case shape_op::kArrayOpen:
        prefix_len.push_back(key_restore == std::string::npos ? path.size() : key_restore);
        in_array.push_back(op == shape_op::kArrayOpen);
        if (op == shape_op::kArrayOpen) path.append("{}");
        key_restore = std::string::npos;
        continue;
      case shape_op::kObjectClose:
      case shape_op::kArrayClose:
        if (prefix_len.empty() || in_array.back() != (op == shape_op::kArrayClose)) return false;
        path.resize(prefix_len.back());
        prefix_len.pop_back();
        in_array.pop_back();
        break;
      case shape_op::kValue:
        on_value(std::string_view(path));
        break;
      case shape_op::kNull:
        break;
      case shape_op::kField: {
        std::string_view name = r.GetString();
        if (!r.ok() || !prefix_len.empty()) return false;
        path.assign(name);
        continue;
      }
      case shape_op::kRawValue:
        if (!prefix_len.empty()) return false;
        on_value(std::string_view(path));
        continue;
      case shape_op::kText:
        r.GetString();
        if (!r.ok()) return false;
        continue;
      default:
        return false;
    }
    // A scalar or a closed container ends the pending key.
    if (key_restore != std::string::npos) {
      path.resize(key_restore);
      key_restore = std::string::npos;
    }
  }
  return r.ok() && prefix_len.empty();
}

}  // namespace

bool ShapeValuePaths(std::string_view shape, std::vector<std::string>* paths) {
  paths->clear();
  return Walk(
      shape, [](std::string_view) {}, [&](std::string_view p) { paths->emplace_back(p); });
}

bool ShapeHasNull(std::string_view shape) {
  ByteReader r(shape);
  while (r.remaining() > 0) {
    char op = static_cast<char>(r.GetU8());
    if (op == shape_op::kKey || op == shape_op::kField || op == shape_op::kText) r.GetString();
    else if (op == shape_op::kNull) return true;
    if (!r.ok()) return false;
  }
  return false;
}

void ShapeKeys(std::string_view shape, std::vector<std::string_view>* keys) {
  keys->clear();
  Walk(
      shape, [&](std::string_view k) { keys->push_back(k); }, [](std::string_view) {});
}

namespace {

// Walks the shape in the order RenderShape writes it. `out` gets Mark(c) for a bracket,
// comma or colon, Key(key), Value() and RawValue() (false stops the walk), Null() and
// Text(bytes).
template <typename Out>
bool WalkText(std::string_view shape, Out& out) {
  std::vector<bool> first;  // per open container: no element written yet
  bool after_key = false;
  auto separate = [&]() {
    if (after_key) {
      after_key = false;
      return;
    }
    if (!first.empty()) {
      if (!first.back()) out.Mark(',');
      first.back() = false;
    }
  };
  ByteReader r(shape);
  while (r.remaining() > 0) {
    char op = static_cast<char>(r.GetU8());
    switch (op) {
      case shape_op::kKey: {
        std::string_view key = r.GetString();
        if (!r.ok()) return false;
        separate();
        out.Key(key);
        out.Mark(':');
        after_key = true;
        break;
      }
      case shape_op::kObjectOpen:
      case shape_op::kArrayOpen:
        separate();
        out.Mark(op);
        first.push_back(true);
        break;
      case shape_op::kObjectClose:
      case shape_op::kArrayClose:
        if (first.empty()) return false;
        first.pop_back();
        out.Mark(op);
        break;
      case shape_op::kValue:
        separate();
        if (!out.Value()) return false;
        break;
      case shape_op::kNull:
        separate();
        out.Null();
        break;
      case shape_op::kField:
        r.GetString();
        if (!r.ok() || !first.empty()) return false;
        break;
      case shape_op::kRawValue:
        if (!first.empty() || !out.RawValue()) return false;
        break;
      case shape_op::kText: {
        std::string_view text = r.GetString();
        if (!r.ok() || !first.empty()) return false;
        out.Text(text);
        break;
      }
      default:
        return false;
    }
  }
  return r.ok() && first.empty();
}

struct TextWriter {
  const std::vector<TypedText>& values;
  std::string* text;
  size_t next_value = 0;
  void Mark(char c) { text->push_back(c); }
  void Key(std::string_view key) { AppendJsonString(key, text); }
  bool Value() {
    if (next_value >= values.size()) return false;
    const TypedText& v = values[next_value++];
    if (v.type == ValueType::kString) AppendJsonString(v.text, text); else text->append(v.text);
    return true;
  }
  void Null() { text->append("null"); }
  bool RawValue() {
    if (next_value >= values.size()) return false;
    text->append(values[next_value++].text);
    return true;
  }
  void Text(std::string_view bytes) { text->append(bytes); }
};

}  // namespace

bool RenderShape(std::string_view shape, const std::vector<TypedText>& values, std::string* out) {
  TextWriter writer{values, out};
  return WalkText(shape, writer) && writer.next_value == values.size();
}

}  // namespace cairn::storage
