// LookupCatalog: the lookup tables one query may read and write. Tables are CSV files in one
// directory (the index's lookups/ or --lookups DIR); a name is resolved through the
// definitions of <dir>/lookups.conf (Splunk's transforms.conf keys: filename, match_type,
// max_matches, min_matches, default_match, case_sensitive_match) and of ESCU lookup YAML
// (--lookup-definitions: filename, or a KV-store collection with its fields_list, kept as
// <name>.csv and created empty when missing), else taken as the file NAME or NAME.csv. A name
// that would leave the directory (a separator, `..`, a symlink out) is refused. Each table is
// read once per catalog. Not thread-safe; one per query.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cairn/status.h"

namespace cairn::engine {

/// A lookup file larger than this is refused.
inline constexpr uint64_t kLookupMaxFileBytes = 1ull << 30;
/// Matches per event a lookup keeps by default (Splunk's max_matches).
inline constexpr uint64_t kLookupDefaultMaxMatches = 1000;

enum class LookupMatch { kExact, kCidr, kWildcard };

struct LookupDefinition {
  std::string name;
  std::string filename;                          ///< relative to the lookups directory
  std::map<std::string, LookupMatch> match_type;  ///< column → how it matches (default exact)
  uint64_t max_matches = kLookupDefaultMaxMatches;
  uint64_t min_matches = 0;
  std::string default_match;
  bool case_sensitive = true;
  std::vector<std::string> fields_list;  ///< a KV-store collection's columns (created when missing)
};

struct LookupTable {
  std::string path;
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  ///< one cell per column ("" = null)
  int Column(const std::string& name) const;
};

class LookupCatalog {
 public:
  LookupCatalog(std::string dir, std::vector<std::string> definition_paths);

  /// The definition for `name` (made from the name when none is declared).
  Result<const LookupDefinition*> Definition(const std::string& name);
  /// The table, read on first use (a missing file is kNotFound; a missing collection is
  /// created empty).
  Result<const LookupTable*> Table(const std::string& name);
  /// Writes `columns` and `rows` to the lookup's file (appending under its header when
  /// `append`), through a temporary file renamed over it; later Table() calls see the result.
  Status Write(const std::string& name, const std::vector<std::string>& columns,
               const std::vector<std::vector<std::string>>& rows, bool append);
  /// Problems found in definitions and files (file and line), reported once as warnings.
  std::vector<std::string> TakeProblems();

 private:
  Status LoadDefinitions();
  Result<std::string> PathOf(const LookupDefinition& def);

  std::string dir_;
  std::vector<std::string> definition_paths_;
  bool definitions_loaded_ = false;
  std::map<std::string, LookupDefinition> definitions_;
  std::map<std::string, std::unique_ptr<LookupTable>> tables_;
  std::vector<std::string> problems_;
};

}  // namespace cairn::engine
