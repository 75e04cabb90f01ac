// Pretty-printing of one JSON event for the shell: two-space indentation and, on a
// terminal, ANSI colours for keys, strings, numbers and literals. The input is trusted
// to be the event text cairn stored; anything unparsable is printed as it is. Stateless.
#pragma once

#include <string>
#include <string_view>

namespace cairn::shell {

std::string PrettyJson(std::string_view json, bool colour);

}  // namespace cairn::shell
