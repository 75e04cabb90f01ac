#include "shell/arg_reader.h"

#include <cstdio>
#include <cstdlib>

namespace cairn::shell {

std::optional<uint64_t> ParseWholeNumber(const std::string& text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

std::optional<std::string> ArgReader::Value(const std::string& option) {
  if (done()) {
    Fail(option + " needs a value");
    return std::nullopt;
  }
  return Next();
}

std::optional<uint64_t> ArgReader::Count(const std::string& option, uint64_t min, uint64_t max) {
  std::optional<std::string> text = Value(option);
  if (!text) return std::nullopt;
  std::optional<uint64_t> n = ParseWholeNumber(*text);
  if (!n || *n < min || *n > max) {
    std::string range = max >= (uint64_t{1} << 40) ? std::to_string(min) + " or more"
                                                   : "from " + std::to_string(min) + " to " + std::to_string(max);
    Fail(option + " takes a whole number, " + range + ", not '" + *text + "'");
    return std::nullopt;
  }
  return n;
}

std::optional<double> ArgReader::Seconds(const std::string& option) {
  std::optional<std::string> text = Value(option);
  if (!text) return std::nullopt;
  char* end = nullptr;
  double seconds = std::strtod(text->c_str(), &end);
  if (text->empty() || *end != '\0' || !(seconds > 0) || seconds > 1e6) {
    Fail(option + " takes a number of seconds greater than 0, not '" + *text + "'");
    return std::nullopt;
  }
  return seconds;
}

std::optional<std::string> ArgReader::Choice(const std::string& option, const std::vector<std::string>& choices) {
  std::optional<std::string> text = Value(option);
  if (!text) return std::nullopt;
  for (const std::string& c : choices)
    if (c == *text) return text;
  std::string list;
  for (size_t i = 0; i < choices.size(); ++i) list += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
  Fail(option + " takes " + list + ", not '" + *text + "'");
  return std::nullopt;
}

int ArgReader::Fail(const std::string& message) {
  std::fprintf(stderr, "%s: %s\n", command_.c_str(), message.c_str());
  failed_ = true;
  return 2;
}

std::string ErrorText(const Status& status) {
  switch (status.code()) {
    case Status::Code::kOk: return "";
    case Status::Code::kQueryError: return status.message();
    case Status::Code::kInvalidArgument:
    case Status::Code::kNotFound: return "cairn: " + status.message();
    default: return "cairn: " + status.ToString();
  }
}

int ExitCode(const Status& status) {
  if (status.ok()) return 0;
  return status.IsUsageError() ? 2 : 1;
}

void PrintError(const Status& status) {
  std::string text = ErrorText(status);
  if (text.empty()) return;
  if (text.back() != '\n') text.push_back('\n');
  std::fputs(text.c_str(), stderr);
}

}  // namespace cairn::shell
