// cairn's own hunt files (`hunts/*.spl`): a header of `# key: value` lines (title, id,
// description, author, level, tags, earliest, references, license) and one query, which may
// span lines; `#` lines after the header are comments. A `lookups/` directory beside the file
// holds the tables its lookups read. Stateless.
#pragma once

#include <string>

#include "cairn/hunt.h"

namespace cairn::engine {

/// The hunt in `text` (the contents of `file`); false with `problem` set when it has no query.
bool ParseSplHunt(const std::string& text, const std::string& file, HuntRule* rule, HuntProblem* problem);

}  // namespace cairn::engine
