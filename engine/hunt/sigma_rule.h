// Sigma rules to cairn's search tree (query/ast.h), directly, never through SPL text. Each
// selection becomes field matches (a list of values: any; a map: all; a list of maps: any),
// each value with its modifiers a pattern, regular expression, CIDR block, presence test or
// field reference; the condition is parsed and `1 of x*`, `all of them` expanded over the
// selections. Sigma's matching is case-insensitive like SPL's, so the tree runs with SPL's
// semantics. A construct cairn cannot run is an error naming it and its line. Stateless.
#pragma once

#include <string>

#include "cairn/hunt.h"

namespace cairn::engine {

/// The rule in `yaml` (the text of `file`). On success `rule` has kind kSigma, its metadata
/// and `search`; otherwise `problem` says what cannot be run and where.
bool ParseSigmaRule(const std::string& yaml, const std::string& file, HuntRule* rule, HuntProblem* problem);

/// True when the YAML document looks like a Sigma rule (top-level `detection:` and `logsource:`).
bool LooksLikeSigma(const std::string& yaml);

}  // namespace cairn::engine
