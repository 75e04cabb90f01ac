// Whether a file found inside a folder that cairn walks (macro files, lookup definitions,
// hunt rules) stays inside it once symbolic links are followed. A content pack must not
// make cairn read files elsewhere (~/.ssh/...) by shipping a link named like a rule.
// Stateless.
#pragma once

#include <string>

namespace cairn::engine {

/// True if `path` (a file or folder inside `root`) is a symbolic link, or lies under one,
/// whose target is outside `root`; false for plain entries and for links that stay inside.
bool LeadsOutside(const std::string& path, const std::string& root);

}  // namespace cairn::engine
