// Event shapes: the key order and nesting of one JSON event, or the layout of one text line,
// without its values. With a shape and the event's values in document order, RenderShape
// rebuilds the event's text byte for byte (compact JSON with canonical escapes, or the line
// as it was), so `_raw` need not be stored twice. Shape bytes: '{' '}' '[' ']' structure,
// 'k'<varint len><key> a key, 'v' a value taken from the column of the current path, 'n' a
// JSON null; for lines 'f'<varint len><name> names the field of the next 'r' value, written
// as it stands, and 't'<varint len><bytes> is literal text. Stateless functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::storage {

/// How a stored value was written in JSON. Serialized: keep the numbers.
enum class ValueType : uint8_t { kString = 0, kNumber = 1, kBool = 2 };

struct TypedText {
  ValueType type;
  std::string_view text;
};

namespace shape_op {
constexpr char kObjectOpen = '{';
constexpr char kObjectClose = '}';
constexpr char kArrayOpen = '[';
constexpr char kArrayClose = ']';
constexpr char kKey = 'k';
constexpr char kValue = 'v';
constexpr char kNull = 'n';
// Text lines (VPC flow logs and other space-separated formats):
constexpr char kField = 'f';    // <varint len> name: the field of the next raw value, not written
constexpr char kRawValue = 'r';  // the next value of that field, written as it stands
constexpr char kText = 't';     // <varint len> bytes: written as they stand
}  // namespace shape_op

/// Field path of each 'v' in the shape, in order ("userIdentity.arn", "resources{}.ARN").
/// Returns false if the shape bytes are malformed.
bool ShapeValuePaths(std::string_view shape, std::vector<std::string>* paths);

/// Appends the JSON text of the event; `values` are in the order of the shape's 'v's.
/// Returns false if the shape is malformed or the value count does not match.
bool RenderShape(std::string_view shape, const std::vector<TypedText>& values, std::string* out);

/// True if the shape holds a JSON null (the word `null` is then in `_raw`).
bool ShapeHasNull(std::string_view shape);

/// Every key of the shape, for the term index (keys are searchable text in `_raw`).
void ShapeKeys(std::string_view shape, std::vector<std::string_view>* keys);

}  // namespace cairn::storage
