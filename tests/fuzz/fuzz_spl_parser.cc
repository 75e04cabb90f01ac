// libFuzzer target: the SPL parser (query/parser.h) on any text. It must return a tree or a
// diagnostic whose span lies inside the query, never crash or hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "query/parser.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  cairn::query::ParseResult result = cairn::query::ParseQuery(text);
  if (result.error) {
    cairn::fuzz::Require(result.error->span.begin <= result.error->span.end, "diagnostic span reversed");
    cairn::fuzz::Require(result.error->span.end <= text.size() + 1, "diagnostic span past the query");
    cairn::fuzz::Require(!result.error->Render(text).empty(), "diagnostic rendered empty");
  }
  return 0;
}
