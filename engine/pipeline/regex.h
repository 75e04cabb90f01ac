// Regex: a compiled PCRE2 pattern (Splunk's regex dialect, `(?<name>...)` named groups),
// JIT-compiled when possible, with a match limit so that a runaway pattern fails instead
// of hanging. Movable, not copyable; a compiled pattern may be shared, a match data block
// is per call.
#pragma once

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cairn::engine {

class Regex {
 public:
  /// Compiles `pattern`; on failure returns nullopt with a message and the offset of the error.
  static std::optional<Regex> Compile(const std::string& pattern, std::string* error, size_t* error_offset);

  /// True if the pattern matches somewhere in `subject`.
  bool Search(std::string_view subject) const;
  /// Named groups of up to `max_matches` successive matches (0: all): name → values.
  std::vector<std::pair<std::string, std::vector<std::string>>> Extract(std::string_view subject,
                                                                        uint64_t max_matches) const;
  const std::vector<std::string>& group_names() const { return names_; }

 private:
  struct CodeDeleter {
    void operator()(pcre2_code* c) const { pcre2_code_free(c); }
  };
  std::shared_ptr<pcre2_code> code_;
  std::vector<std::string> names_;  // by group number - 1; empty for unnamed groups
};

}  // namespace cairn::engine
