// Reading a subcommand's arguments and reporting errors the same way everywhere: option
// values parsed without exceptions, each mistake named with its option and exit status 2;
// a Status printed and turned into an exit status by its code (0 ok, 2 a usage or query
// error, 1 any other failure). Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cairn/status.h"

namespace cairn::shell {

class ArgReader {
 public:
  /// `command` names the subcommand in messages ("cairn search").
  ArgReader(std::string command, const std::vector<std::string>& args) : command_(std::move(command)), args_(args) {}

  bool done() const { return pos_ >= args_.size(); }
  /// The next argument (call only when !done()).
  const std::string& Next() { return args_[pos_++]; }
  /// The value after option `option`; reports "OPTION needs a value" when there is none.
  std::optional<std::string> Value(const std::string& option);
  /// The value of `option` as a whole number in [min, max]; reports a malformed or
  /// out-of-range value, naming the option.
  std::optional<uint64_t> Count(const std::string& option, uint64_t min, uint64_t max);
  /// The value of `option` as a number of seconds greater than 0 (a fraction allowed), at
  /// most a million.
  std::optional<double> Seconds(const std::string& option);
  /// The value of `option`, which must be one of `choices`.
  std::optional<std::string> Choice(const std::string& option, const std::vector<std::string>& choices);

  /// Prints "COMMAND: message" and returns 2 (the usage-error exit status).
  int Fail(const std::string& message);
  /// True once a value reader has reported a mistake.
  bool failed() const { return failed_; }

 private:
  std::string command_;
  const std::vector<std::string>& args_;
  size_t pos_ = 0;
  bool failed_ = false;
};

/// `text` as a whole number (digits only, no sign, no overflow).
std::optional<uint64_t> ParseWholeNumber(const std::string& text);

/// The text to show for a failed Status: a query error as rendered (the query with a
/// caret), others as "cairn: ..." lines.
std::string ErrorText(const Status& status);
/// 0 for OK, 2 for a usage or query error, 1 for any other failure.
int ExitCode(const Status& status);
/// Prints ErrorText(status) to stderr, ending in a newline.
void PrintError(const Status& status);

}  // namespace cairn::shell
