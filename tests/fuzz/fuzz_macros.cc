// libFuzzer target: the macro expander (query/macros.h). The input is a macros.conf text and
// a query, split at the first line that is exactly "%%"; the conf's stanzas are added to the
// built-in library and the query's calls expanded, then the expansion parsed. Errors are
// fine; crashes, hangs and unbounded growth are not.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "query/macros.h"
#include "query/parser.h"
#include "query/query_text.h"
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t split = input.find("\n%%\n");
  std::string_view conf = split == std::string_view::npos ? std::string_view() : input.substr(0, split);
  std::string_view query = split == std::string_view::npos ? input : input.substr(split + 4);

  cairn::query::MacroLibrary library = cairn::query::MacroLibrary::Builtin();
  library.AddConf(conf, "fuzz.conf");
  cairn::query::QueryText text{std::string(query)};
  std::vector<cairn::query::Diagnostic> notices;
  std::optional<cairn::query::Diagnostic> error = cairn::query::ExpandMacros(library, &text, &notices);
  if (error) {
    cairn::fuzz::Require(!text.Error(*error).ok(), "an expansion error rendered as OK");
    return 0;
  }
  cairn::query::ParseQuery(text.text());
  return 0;
}
