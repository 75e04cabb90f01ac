#include "engine/pipeline/pattern_arg.h"

namespace cairn::engine {

std::unique_ptr<EvalRegex> CompilePatternArg(const ArgToken& token, std::optional<query::Diagnostic>* error) {
  std::string msg;
  auto re = EvalRegex::Compile(token.text, &msg);
  if (re == nullptr) *error = ArgError("invalid regular expression: " + msg, token.span);
  return re;
}

}  // namespace cairn::engine
