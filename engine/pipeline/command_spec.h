// CommandSpec: what one pipeline command declares about itself, in its own file: its name,
// its synopsis, and its `key=value` options with their types and defaults. The pipeline
// checks a command's options against its spec before the command's factory runs (an
// unknown option, or a value of the wrong type, is a diagnostic on its span), so a factory
// reads typed values. Common positional shapes (a leading count, field lists, `by` fields,
// a quoted pattern) are declared too and read the same way for every command; a command with
// a grammar of its own (stats, rename, sort) declares kCustom and reads the rest itself. A
// command registers itself:
//   const bool kRegistered = RegisterCommand({"head", "head [N]", ..., MakeHeadCommand});
// Adding a command is one new file in engine/commands/. The registry is filled before main
// runs and read-only afterwards.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/pipeline/command_args.h"
#include "query/ast.h"

namespace cairn::engine {

class Command;

enum class OptionType {
  kCount,  ///< a whole number
  kBool,   ///< true/false (also t/f, 1/0)
  kText,   ///< any word or quoted string (a field name, a label, a value)
};

struct OptionSpec {
  std::string name;           ///< matched case-insensitively, as Splunk does
  OptionType type = OptionType::kText;
  std::string default_value;  ///< the value when the option is absent ("" for none)
  std::string description;
};

/// The shapes of positional arguments the pipeline reads for a command, in spec order.
enum class ArgumentKind {
  kCount,           ///< an optional leading whole number (head 5, top 3, dedup 2)
  kFields,          ///< one or more field names (commas optional, `*` wildcards)
  kOptionalFields,  ///< zero or more field names
  kByFields,        ///< an optional `by FIELD...`
  kPattern,         ///< one quoted regular expression
  kCustom,          ///< the rest, which the command's factory reads itself
};

struct ArgumentSpec {
  ArgumentSpec(std::string arg_name, ArgumentKind arg_kind, std::string same_as = "", std::string ends = "")
      : name(std::move(arg_name)), kind(arg_kind), same_as_option(std::move(same_as)), ends_at(std::move(ends)) {}
  std::string name;  ///< as the synopsis shows it (N, FIELD..., "PCRE")
  ArgumentKind kind = ArgumentKind::kCustom;
  /// kCount: the option that gives the same number (head's limit=), or "".
  std::string same_as_option;
  /// kFields, kOptionalFields: a word that ends the list (dedup's sortby); `by` ends it
  /// when kByFields follows.
  std::string ends_at;
};

enum class ArgumentStyle {
  kOptions,   ///< tokens, with the spec's key=value options taken out first
  kFreeText,  ///< no options taken out: the command reads its arguments itself (eval, where,
              ///< search, regex, whose `a=b` are expressions, not options)
};

/// Parses a command's arguments; on a mistake returns null and sets `error`.
using CommandFactory = std::function<std::unique_ptr<Command>(const query::CommandNode& node, CommandArgs* args,
                                                              std::optional<query::Diagnostic>* error)>;

struct CommandSpec {
  std::string name;
  std::string synopsis;  ///< e.g. "head [N] [limit=N]"
  ArgumentStyle style = ArgumentStyle::kOptions;
  std::vector<OptionSpec> options;
  CommandFactory factory;
  /// Read before the factory runs (kOptions style); a trailing kCustom leaves the rest of
  /// the tokens to the factory, and without one every token must be read.
  std::vector<ArgumentSpec> arguments;
};

/// Adds `spec` to the registry; returns true (for a static initializer).
bool RegisterCommand(CommandSpec spec);
/// The spec registered under `name`, or null.
const CommandSpec* FindCommand(const std::string& name);
/// Every registered command name, sorted (for completion and hints).
std::vector<std::string> CommandNames();

}  // namespace cairn::engine
