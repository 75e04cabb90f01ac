// Tab completion for the shell: decides from the text before the cursor whether the word
// being typed is a dot-command, a pipeline command name (after `|`), a value (after
// `field=`) or a field name, and returns the matching candidates. The index side comes
// through CompletionSource so that the logic is testable without an index.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace cairn::shell {

class CompletionSource {
 public:
  virtual ~CompletionSource() = default;
  virtual std::vector<std::pair<std::string, uint64_t>> Fields() = 0;
  virtual std::vector<std::pair<std::string, uint64_t>> Values(const std::string& field) = 0;
  virtual std::vector<std::string> Commands() = 0;
};

/// The dot-commands of the shell.
const std::vector<std::string>& DotCommands();

/// Candidates for the word that ends at the end of `before_cursor`; each candidate is the
/// whole replacement for that word.
std::vector<std::string> Complete(const std::string& before_cursor, CompletionSource* source);

}  // namespace cairn::shell
