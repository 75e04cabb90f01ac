// CommandSpec: what one pipeline command declares about itself, in its own file: its name,
// its synopsis, and its `key=value` options with their types and defaults. The pipeline
// checks a command's options against its spec before the command's factory runs (an
// unknown option, or a value of the wrong type, is a diagnostic on its span), so a factory
// reads typed values and parses only its positional arguments. A command registers itself:
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
};

/// Adds `spec` to the registry; returns true (for a static initializer).
bool RegisterCommand(CommandSpec spec);
/// The spec registered under `name`, or null.
const CommandSpec* FindCommand(const std::string& name);
/// Every registered command name, sorted (for completion and hints).
std::vector<std::string> CommandNames();

}  // namespace cairn::engine
