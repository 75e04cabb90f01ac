// Compiling the quoted PCRE pattern of a command argument (rex, regex), with a diagnostic
// under the pattern when it does not compile.
#pragma once

#include <memory>
#include <optional>

#include "engine/eval/regex_cache.h"
#include "engine/pipeline/command_args.h"

namespace cairn::engine {

/// The compiled pattern of `token`, or null with `error` set.
std::unique_ptr<EvalRegex> CompilePatternArg(const ArgToken& token, std::optional<query::Diagnostic>* error);

}  // namespace cairn::engine
