// libFuzzer target: the eval expression parser (query/eval_parser.h), as `where` and `eval`
// read their arguments. The first byte chooses between one expression and an assignment
// list; the rest is the text. A tree or a diagnostic, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "query/eval_parser.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const uint32_t base = 7;  // as if after "| eval "
  if (data[0] & 1) {
    cairn::query::EvalAssignmentsResult r = cairn::query::ParseEvalAssignments(text, base);
    if (r.error) cairn::fuzz::Require(r.error->span.begin >= base, "diagnostic before the expression");
  } else {
    cairn::query::EvalParseResult r = cairn::query::ParseEvalExpression(text, base);
    cairn::fuzz::Require((r.expr == nullptr) == r.error.has_value(), "a tree and an error, or neither");
    if (r.error) cairn::fuzz::Require(r.error->span.begin >= base, "diagnostic before the expression");
  }
  return 0;
}
