// Search macros, as Splunk's macros.conf defines them: a library of definitions (the
// built-in set, then the files the user gives, later ones overriding earlier ones) and
// ExpandMacros, which replaces every back-quoted call in a query's text before it is
// parsed. `name(N)` stanzas take N arguments, substituted for `$arg$`; a definition may
// call other macros, to a depth of kMaxMacroDepth. An undefined `*_filter` macro expands to
// nothing with a notice (ESCU's convention); any other undefined macro is an error at its
// call. Plain value types; stateless functions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "query/diagnostic.h"
#include "query/query_text.h"

namespace cairn::query {

/// Macros calling macros stop here, and so does a macro that calls itself.
inline constexpr int kMaxMacroDepth = 20;

struct MacroDefinition {
  std::string name;               ///< without the (N)
  std::vector<std::string> args;  ///< argument names, in order
  std::string definition;
  std::string source;             ///< "built-in", or the file and line it came from
};

class MacroLibrary {
 public:
  /// The built-in set: `cloudtrail`, `security_content_ctime(1)`, `drop_dm_object_name(1)`.
  static MacroLibrary Builtin();

  /// Adds or replaces the definition with the same name and argument count.
  void Add(MacroDefinition def);
  const MacroDefinition* Find(std::string_view name, size_t arg_count) const;
  size_t size() const { return by_key_.size(); }

  /// Adds the stanzas of a macros.conf text; `source` names the file in messages. Returns
  /// one "source:line: problem" per stanza that cannot be used (it is skipped).
  std::vector<std::string> AddConf(std::string_view text, const std::string& source);

 private:
  std::map<std::string, MacroDefinition> by_key_;  ///< "name" or "name(N)"
};

/// Expands every macro call of `query->text()` (not inside double quotes). A `|` left
/// dangling by a macro that expands to nothing is removed with it. On an undefined macro, a
/// wrong argument count, a cycle or too deep a nesting returns the error (its span is the
/// call, in query->text(): report it with query->Error). Notices (an undefined *_filter
/// macro taken as empty) go to `notices` with spans in query->original().
std::optional<Diagnostic> ExpandMacros(const MacroLibrary& library, QueryText* query,
                                       std::vector<Diagnostic>* notices);

}  // namespace cairn::query
