// Reads search macro definitions from files into a MacroLibrary (query/macros.h): Splunk's
// macros.conf, ESCU's macro YAML (`name`, `definition`, `arguments`), or a directory of
// either (every *.conf, *.yml and *.yaml in it, in name order). Stateless.
#pragma once

#include <string>
#include <vector>

#include "cairn/status.h"
#include "query/macros.h"

namespace cairn::engine {

/// Adds the definitions found at `path`. A file that cannot be read is an error; a stanza or
/// YAML document that cannot be used is skipped and described in `problems` (file and line).
Status LoadMacros(const std::string& path, query::MacroLibrary* library, std::vector<std::string>* problems);

}  // namespace cairn::engine
