// JSON paths as spath reads them: steps split at '.', each a member name with optional
// `{}` (every element of an array) or `{N}` (element N, from 0) suffixes, or a bare `{}`/`{N}`
// for an array at the top. Values come out as text: a string's content, a number's or a
// boolean's JSON text, an object's or array's compact JSON; null gives nothing. A `{}` on a
// value that is not an array selects nothing (spath's own names write a lone string as
// `Action`, an array as `Action{}`). Stateless.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cairn::engine {

/// The values at `path` in the JSON document `json`, in document order; nullopt when `json`
/// is not JSON.
std::optional<std::vector<std::string>> JsonPathValues(std::string_view json, std::string_view path);

/// Every leaf of the document with its field name (`a.b`, `a{}.c`: cairn's ingest names),
/// the values of one name gathered in document order; nullopt when `json` is not JSON.
std::optional<std::vector<std::pair<std::string, std::vector<std::string>>>> JsonLeaves(std::string_view json);

}  // namespace cairn::engine
