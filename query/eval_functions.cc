// The eval function catalogue and the call checks run after parsing.
#include "query/eval_functions.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "query/eval_ast.h"

namespace cairn::query {

namespace {

using F = EvalFunction;

// Edit distance, for "did you mean" hints; small inputs only.
size_t Distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string UnknownHint(std::string_view name) {
  std::string lower = Lower(name);
  if (lower != name && FindEvalFunction(lower) != nullptr) {
    return "eval function names are lower case: did you mean '" + lower + "'?";
  }
  // Allow about one typo per three letters, so that short names get no far-fetched hint.
  const EvalFunctionInfo* best = nullptr;
  size_t best_distance = std::max<size_t>(1, (lower.size() + 1) / 3) + 1;
  for (const auto& info : EvalFunctions()) {
    size_t d = Distance(lower, info.name);
    if (d < best_distance) {
      best_distance = d;
      best = &info;
    }
  }
  if (best != nullptr) return "did you mean '" + std::string(best->name) + "'?";
  return "";
}

std::string ArityText(const EvalFunctionInfo& info) {
  auto plural = [](int n) { return std::to_string(n) + (n == 1 ? " argument" : " arguments"); };
  if (info.max_args == kAnyArgs) return "at least " + plural(info.min_args);
  if (info.min_args == info.max_args) return plural(info.min_args);
  return std::to_string(info.min_args) + " to " + plural(info.max_args);
}

void CollectFields(const EvalExpr& expr, std::vector<std::string_view>* fields) {
  if (expr.kind == EvalExpr::Kind::kField && std::find(fields->begin(), fields->end(), expr.text) == fields->end()) {
    fields->push_back(expr.text);
  }
  for (const auto& arg : expr.args) CollectFields(*arg, fields);
}

std::optional<Diagnostic> CheckCall(const EvalExpr& call) {
  const EvalFunctionInfo* info = FindEvalFunction(call.text);
  if (info == nullptr) {
    Diagnostic d;
    d.message = "unknown eval function '" + call.text + "'";
    d.span = call.name_span;
    d.hint = UnknownHint(call.text);
    return d;
  }
  int n = static_cast<int>(call.args.size());
  if (n < info->min_args || (info->max_args != kAnyArgs && n > info->max_args)) {
    Diagnostic d;
    d.message = call.text + "() takes " + ArityText(*info) + ", got " + std::to_string(n);
    d.span = call.span;
    return d;
  }
  if (info->id == F::kMvmap && call.args[0]->kind != EvalExpr::Kind::kField) {
    Diagnostic d;
    d.message = "mvmap() takes a field first, then the expression to apply to each of its values";
    d.span = call.args[0]->span;
    d.hint = "for example mvmap(ports, ports * 2)";
    return d;
  }
  if (info->id == F::kJsonObject && n % 2 != 0) {
    Diagnostic d;
    d.message = "json_object() takes key, value pairs, got an odd number of arguments";
    d.span = call.span;
    return d;
  }
  if (info->id == F::kCase && n % 2 != 0) {
    Diagnostic d;
    d.message = "case() takes condition, value pairs, got an odd number of arguments";
    d.span = call.span;
    d.hint = "for a default value end with true(), \"value\"";
    return d;
  }
  if (info->id == F::kMvfilter) {
    std::vector<std::string_view> fields;
    CollectFields(*call.args[0], &fields);
    if (fields.size() != 1) {
      Diagnostic d;
      d.message = "mvfilter() takes an expression over exactly one field, got " + std::to_string(fields.size());
      d.span = call.args[0]->span;
      d.hint = "for example mvfilter(match(email, \"\\.net$\"))";
      return d;
    }
  }
  return std::nullopt;
}

}  // namespace

const std::vector<EvalFunctionInfo>& EvalFunctions() {
  static const std::vector<EvalFunctionInfo> kFunctions = {
      {"if", F::kIf, 3, 3},
      {"case", F::kCase, 2, kAnyArgs},
      {"coalesce", F::kCoalesce, 1, kAnyArgs},
      {"typeof", F::kTypeof, 1, 1},
      {"mvfilter", F::kMvfilter, 1, 1},
      {"mvmap", F::kMvmap, 2, 2},
      {"sigfig", F::kSigfig, 1, 1},
      {"isnull", F::kIsnull, 1, 1},
      {"isnotnull", F::kIsnotnull, 1, 1},
      {"isnum", F::kIsnum, 1, 1},
      {"isstr", F::kIsstr, 1, 1},
      {"like", F::kLike, 2, 2},
      {"match", F::kMatch, 2, 2},
      {"cidrmatch", F::kCidrmatch, 2, 2},
      {"in", F::kIn, 2, kAnyArgs},
      {"true", F::kTrue, 0, 0},
      {"false", F::kFalse, 0, 0},
      {"null", F::kNull, 0, 0},
      {"lower", F::kLower, 1, 1},
      {"upper", F::kUpper, 1, 1},
      {"len", F::kLen, 1, 1},
      {"substr", F::kSubstr, 2, 3},
      {"replace", F::kReplace, 3, 3},
      {"trim", F::kTrim, 1, 2},
      {"ltrim", F::kLtrim, 1, 2},
      {"rtrim", F::kRtrim, 1, 2},
      {"urldecode", F::kUrldecode, 1, 1},
      {"tostring", F::kTostring, 1, 2},
      {"tonumber", F::kTonumber, 1, 2},
      {"round", F::kRound, 1, 2},
      {"floor", F::kFloor, 1, 1},
      {"ceil", F::kCeil, 1, 1},
      {"ceiling", F::kCeil, 1, 1},
      {"abs", F::kAbs, 1, 1},
      {"min", F::kMin, 1, kAnyArgs},
      {"max", F::kMax, 1, kAnyArgs},
      {"exact", F::kExact, 1, 1},
      {"sqrt", F::kSqrt, 1, 1},
      {"pow", F::kPow, 2, 2},
      {"exp", F::kExp, 1, 1},
      {"ln", F::kLn, 1, 1},
      {"log", F::kLog, 1, 2},
      {"split", F::kSplit, 2, 2},
      {"mvindex", F::kMvindex, 2, 3},
      {"mvcount", F::kMvcount, 1, 1},
      {"mvjoin", F::kMvjoin, 2, 2},
      {"mvappend", F::kMvappend, 1, kAnyArgs},
      {"mvdedup", F::kMvdedup, 1, 1},
      {"mvzip", F::kMvzip, 2, 3},
      {"mvsort", F::kMvsort, 1, 1},
      {"mvrange", F::kMvrange, 2, 3},
      {"mvfind", F::kMvfind, 2, 2},
      {"spath", F::kSpath, 2, 2},
      {"json_object", F::kJsonObject, 0, kAnyArgs},
      {"json_array", F::kJsonArray, 0, kAnyArgs},
      {"json_extract", F::kJsonExtract, 1, kAnyArgs},
      {"json_keys", F::kJsonKeys, 1, 1},
      {"json_valid", F::kJsonValid, 1, 1},
      {"md5", F::kMd5, 1, 1},
      {"sha1", F::kSha1, 1, 1},
      {"sha256", F::kSha256, 1, 1},
      {"sha512", F::kSha512, 1, 1},
      {"ipmask", F::kIpmask, 2, 2},
      {"searchmatch", F::kSearchmatch, 1, 1},
      {"commands", F::kCommands, 1, 1},
      {"printf", F::kPrintf, 1, kAnyArgs},
      {"isint", F::kIsint, 1, 1},
      {"pi", F::kPi, 0, 0},
      {"random", F::kRandom, 0, 0},
      {"strftime", F::kStrftime, 2, 2},
      {"strptime", F::kStrptime, 2, 2},
      {"relative_time", F::kRelativeTime, 2, 2},
      {"now", F::kNow, 0, 0},
      {"time", F::kTime, 0, 0},
  };
  return kFunctions;
}

const EvalFunctionInfo* FindEvalFunction(std::string_view name) {
  for (const auto& info : EvalFunctions())
    if (info.name == name) return &info;
  return nullptr;
}

std::optional<Diagnostic> CheckFunctions(const EvalExpr& expr) {
  if (expr.kind == EvalExpr::Kind::kCall) {
    if (auto d = CheckCall(expr)) return d;
  }
  for (const auto& arg : expr.args)
    if (auto d = CheckFunctions(*arg)) return d;
  return std::nullopt;
}

}  // namespace cairn::query
