// Splunk's rule for a search term or quoted phrase against an event's raw text, as a
// sequence of tokens: the phrase's major segments (the parts between major breakers such as
// spaces, tabs, quotes and commas) must be consecutive major segments of the text, the
// first ending one of them and the last starting one, at a minor breaker (`.`, `:`, `/`,
// ...) or the segment's edge; any run of major breakers separates two segments. A phrase of
// one segment (`jeff.harrison`) lies inside one segment of the text. Stateless.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cairn::engine {

class PhrasePattern {
 public:
  /// `phrase` as written or folded; the text it is matched against must be folded alike.
  explicit PhrasePattern(std::string_view phrase);

  /// False when the phrase holds no token (only breakers): it then matches nothing.
  bool has_tokens() const { return has_tokens_; }
  bool FoundIn(std::string_view text) const;

 private:
  std::vector<std::string> segments_;
  bool has_tokens_ = false;
};

/// PhrasePattern(phrase).FoundIn(text).
bool ContainsPhrase(std::string_view text, std::string_view phrase);

}  // namespace cairn::engine
