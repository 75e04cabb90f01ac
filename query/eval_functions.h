// The eval function catalogue: every function name the eval language knows, its id and
// how many arguments it takes, and CheckFunctions, which validates the calls of a parsed
// expression once, before evaluation. Names are case-sensitive and lower case, as in
// Splunk. The implementations live in engine/eval/. Stateless.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "query/diagnostic.h"

namespace cairn::query {

struct EvalExpr;

enum class EvalFunction : uint8_t {
  kUnknown,
  // Conditional and introspective (evaluated lazily or from the syntax tree).
  kIf, kCase, kCoalesce, kTypeof, kMvfilter, kMvmap, kSigfig,
  // Predicates and constants.
  kIsnull, kIsnotnull, kIsnum, kIsstr, kLike, kMatch, kCidrmatch, kIn, kTrue, kFalse, kNull,
  // Text.
  kLower, kUpper, kLen, kSubstr, kReplace, kTrim, kLtrim, kRtrim, kUrldecode, kTostring,
  // Numbers.
  kTonumber, kRound, kFloor, kCeil, kAbs, kMin, kMax, kExact, kSqrt, kPow, kExp, kLn, kLog,
  // Multivalue.
  kSplit, kMvindex, kMvcount, kMvjoin, kMvappend, kMvdedup, kMvzip, kMvsort, kMvrange, kMvfind,
  // Structured data.
  kSpath, kJsonObject, kJsonArray, kJsonExtract, kJsonKeys, kJsonValid,
  // Hashes, networks, searches.
  kMd5, kSha1, kSha256, kSha512, kIpmask, kSearchmatch, kCommands, kPrintf, kIsint, kPi, kRandom,
  // Time.
  kStrftime, kStrptime, kRelativeTime, kNow, kTime,
};

/// No upper bound on the argument count.
inline constexpr int kAnyArgs = -1;

struct EvalFunctionInfo {
  std::string_view name;
  EvalFunction id;
  int min_args;
  int max_args;  ///< kAnyArgs for variadic functions
};

/// Every known function, in catalogue order.
const std::vector<EvalFunctionInfo>& EvalFunctions();

/// The function named exactly `name`, or null.
const EvalFunctionInfo* FindEvalFunction(std::string_view name);

/// The first unknown function or wrong argument count in `expr`, as an error whose span
/// is the function name (unknown) or the whole call (arity); nullopt if all calls are valid.
std::optional<Diagnostic> CheckFunctions(const EvalExpr& expr);

}  // namespace cairn::query
