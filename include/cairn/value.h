// The value model of search results: a field's values as text, and the kind of value they
// are. Events, result tables and pipeline records all hold values this way, and every output
// format reads them from here. Plain value types.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cairn {

/// How a result value is written where types show (JSON): the kind it had at the source (a
/// JSON number or boolean of an event), or that a command gave it (stats' counts and sums,
/// eval's numbers). Text formats print every value as its text.
enum class ValueKind : uint8_t { kString, kNumber, kBoolean };

/// One field of one result, in the value model every output format uses: no values (null),
/// one, or several (a multivalue field), each as its text, all of one kind.
struct FieldValues {
  std::string name;
  std::vector<std::string> values;
  ValueKind kind = ValueKind::kString;
};

}  // namespace cairn
