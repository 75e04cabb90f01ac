// Field-list helpers shared by table, fields, rename and friends: reading a list of field
// names (commas optional, quotes allowed, `*` wildcards), and matching names against
// wildcard patterns (case-sensitive, as field names are). Stateless.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/pipeline/command_args.h"

namespace cairn::engine {

/// Reads field names until the arguments end or a word in `stop` (case-insensitive).
std::vector<std::string> ReadFieldList(CommandArgs* args, const std::vector<std::string>& stop = {});

/// True if `name` matches `pattern`, where '*' matches any run of characters.
bool FieldMatches(const std::string& pattern, const std::string& name);

/// For a rename pattern with wildcards: the new name for `name`, or nullopt if no match.
std::optional<std::string> RenameWithPattern(const std::string& from, const std::string& to, const std::string& name);

}  // namespace cairn::engine
