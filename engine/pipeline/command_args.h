// CommandArgs splits a pipeline command's argument text into tokens with their spans in
// the query: words, "quoted strings", `key=value` options, commas, parentheses and
// bracketed subsearches (`[search ...]`, one token). The
// options a command declares (command_spec.h) are taken out and checked first; the
// command's parser reads the rest and reports mistakes as diagnostics with spans.
// Plain value type.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "query/ast.h"
#include "query/diagnostic.h"

namespace cairn::engine {

struct CommandSpec;

struct ArgToken {
  enum class Kind { kWord, kQuoted, kComma, kOpen, kClose, kEquals, kSubsearch };
  Kind kind;
  std::string text;  ///< unescaped for kQuoted; for kSubsearch the text inside [ ]
  query::Span span;
};

class CommandArgs {
 public:
  /// Tokenizes `text`, which starts at `offset` in the query.
  static CommandArgs Parse(const std::string& text, uint32_t offset);

  const std::vector<ArgToken>& tokens() const { return tokens_; }
  bool done() const { return pos_ >= tokens_.size(); }
  const ArgToken* Peek(size_t ahead = 0) const {
    return pos_ + ahead < tokens_.size() ? &tokens_[pos_ + ahead] : nullptr;
  }
  const ArgToken* Next() { return done() ? nullptr : &tokens_[pos_++]; }
  /// True (and consumes it) if the next token is the word `word` (case-insensitive).
  bool TakeKeyword(const char* word);
  /// True (and consumes it) if the next token is a comma.
  bool TakeComma();
  /// The span from the next token to the end (for error messages), or the end of the text.
  query::Span RestSpan() const;

  /// Takes every `name=value` at the top level (outside parentheses) out of the tokens and
  /// checks it against `spec`: an undeclared name, a repeated one or a value of the wrong
  /// type is a diagnostic on its span.
  std::optional<query::Diagnostic> TakeDeclaredOptions(const CommandSpec& spec);
  /// A declared option's value: as given, else the spec's default.
  const std::string& Text(const std::string& name) const;
  uint64_t Count(const std::string& name) const;
  bool Bool(const std::string& name) const;
  /// True if the query gave the option.
  bool Given(const std::string& name) const;

  /// Reads the positional arguments `spec` declares (after TakeDeclaredOptions); stops at a
  /// kCustom one, leaving the rest. Diagnostics name the command and point at the token.
  std::optional<query::Diagnostic> TakeDeclaredArguments(const CommandSpec& spec, const query::CommandNode& node);
  /// The leading count (kCount), when given, or the value of its same_as_option.
  std::optional<uint64_t> count() const { return count_; }
  const std::vector<std::string>& fields() const { return fields_; }     ///< kFields, kOptionalFields
  const std::vector<std::string>& by_fields() const { return by_; }     ///< kByFields
  const ArgToken* pattern() const { return pattern_ ? &*pattern_ : nullptr; }  ///< kPattern
  uint32_t end_offset() const { return end_; }

 private:
  /// Field names (words or quoted) up to a comma-free end, a non-name token or `stop`.
  std::vector<std::string> ReadFieldNames(const std::string& stop);

  std::vector<ArgToken> tokens_;
  std::string text_;     ///< the argument text the tokens come from
  uint32_t offset_ = 0;  ///< where it starts in the query
  size_t pos_ = 0;
  uint32_t end_ = 0;
  std::map<std::string, std::string> values_;  ///< every declared option: given or default
  std::map<std::string, bool> given_;
  std::optional<uint64_t> count_;
  std::vector<std::string> fields_, by_;
  std::optional<ArgToken> pattern_;
};

/// A diagnostic at `span`.
query::Diagnostic ArgError(std::string message, query::Span span, std::string hint = "");

/// True if `s` parses fully as a non-negative integer; stores it in `out`.
bool ParseCount(const std::string& s, uint64_t* out);

/// Reads an option's boolean: true/t/1/yes or false/f/0/no, in any case.
bool ParseBool(const std::string& s, bool* out);

}  // namespace cairn::engine
