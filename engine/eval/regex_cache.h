// cairn's regular expressions (eval's match() and replace(), the rex and regex commands):
// PCRE2 patterns with Splunk's (?<name>...) groups, compiled once and kept by text, with a
// reusable match block so a per-row match allocates nothing. UTF-8 mode tolerating invalid
// bytes, JIT when available, and a match limit so a runaway pattern fails instead of
// hanging. Not thread-safe: one pattern or cache per evaluating thread.
#pragma once

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cairn::engine {

class EvalRegex {
 public:
  /// Compiles `pattern`; on failure returns null, sets `error` to PCRE2's message and
  /// `error_offset` (when given) to where in the pattern it failed.
  static std::unique_ptr<EvalRegex> Compile(std::string_view pattern, std::string* error,
                                            size_t* error_offset = nullptr);
  ~EvalRegex();
  EvalRegex(const EvalRegex&) = delete;
  EvalRegex& operator=(const EvalRegex&) = delete;

  /// True if the pattern matches anywhere in `subject`.
  bool Matches(std::string_view subject) const;
  /// Replaces every match; `\0`..`\9` in `replacement` insert capture groups and `\\` a
  /// backslash, as in Splunk's replace(). Stops early (keeping the rest) at the match limit.
  /// With `only_nth` > 0 only that match (1 = the first) is replaced, as sed's s///N.
  std::string ReplaceAll(std::string_view subject, std::string_view replacement, uint64_t only_nth = 0) const;
  /// Names of the capture groups by number - 1 (empty for unnamed groups).
  std::vector<std::string> GroupNames() const;
  /// Named groups of up to `max_matches` successive matches (0: all): name → values.
  std::vector<std::pair<std::string, std::vector<std::string>>> Extract(std::string_view subject,
                                                                        uint64_t max_matches) const;
  /// Each successive match: its first capture group when the pattern has one, else the match.
  std::vector<std::string> Tokens(std::string_view subject) const;

 private:
  EvalRegex() = default;
  /// pcre2_match from `start`; the return code (< 0: no match or an error).
  int Match(std::string_view subject, size_t start) const;

  pcre2_code* code_ = nullptr;
  pcre2_match_data* match_data_ = nullptr;
  pcre2_match_context* match_context_ = nullptr;
};

class RegexCache {
 public:
  /// The compiled `pattern`, or null with `error` set.
  const EvalRegex* Get(std::string_view pattern, std::string* error);

 private:
  std::unordered_map<std::string, std::unique_ptr<EvalRegex>> regexes_;
};

}  // namespace cairn::engine
