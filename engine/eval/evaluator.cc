// Evaluation of eval syntax trees: field lookup, operators with Splunk's typing rules,
// three-valued logic, the lazy functions, and dispatch to the function library.
#include "engine/eval/evaluator.h"
#include "engine/eval/json_path.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "engine/eval/functions.h"
#include "engine/pipeline/record_matcher.h"
#include "query/binder.h"
#include "query/parser.h"

namespace cairn::engine {

namespace {

using query::EvalExpr;
using query::EvalFunction;
using query::EvalOp;
namespace fns = eval_functions;

EvalValue LookupField(const std::string& name, const Record& record) {
  const FieldCell* cell = record.Get(name);
  if (cell == nullptr) return EvalValue::Null();
  EvalValue v = EvalValue::FromValues(*cell);
  v.from_text = v.is_number() && cell->kind != ValueKind::kNumber;
  return v;
}

EvalValue Arithmetic(EvalOp op, const EvalValue& left, const EvalValue& right) {
  if (left.is_null() || right.is_null()) return EvalValue::Null();
  if (op == EvalOp::kConcat) {
    if (left.is_multi() || right.is_multi()) return EvalValue::Null();
    return EvalValue::String(left.ToText() + right.ToText());
  }
  if (op == EvalOp::kAdd && left.is_string() && right.is_string()) return EvalValue::String(left.text + right.text);
  std::optional<double> a = left.ToNumber(), b = right.ToNumber();
  if (!a || !b) return EvalValue::Null();
  double v = 0;
  switch (op) {
    case EvalOp::kAdd: v = *a + *b; break;
    case EvalOp::kSub: v = *a - *b; break;
    case EvalOp::kMul: v = *a * *b; break;
    case EvalOp::kDiv:
      if (*b == 0) return EvalValue::Null();
      v = *a / *b;
      break;
    case EvalOp::kMod:
      if (*b == 0) return EvalValue::Null();
      v = std::fmod(*a, *b);
      break;
    default: return EvalValue::Null();
  }
  if (!std::isfinite(v)) return EvalValue::Null();
  return EvalValue::Number(v);
}

// The text of a single value without copying it when it is already held as text.
std::string_view TextOf(const EvalValue& v, std::string* scratch) {
  if (v.is_string() || (v.is_number() && !v.text.empty())) return v.text;
  *scratch = v.ToText();
  return *scratch;
}

bool CompareSingle(EvalOp op, const EvalValue& left, const EvalValue& right) {
  int order = 0;
  if (left.is_number() && right.is_number()) {
    order = left.number < right.number ? -1 : left.number > right.number ? 1 : 0;
  } else {
    std::string left_scratch, right_scratch;
    int c = TextOf(left, &left_scratch).compare(TextOf(right, &right_scratch));
    order = c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  switch (op) {
    case EvalOp::kEq: return order == 0;
    case EvalOp::kNe: return order != 0;
    case EvalOp::kLt: return order < 0;
    case EvalOp::kLe: return order <= 0;
    case EvalOp::kGt: return order > 0;
    case EvalOp::kGe: return order >= 0;
    default: return false;
  }
}

// The single values a side stands for: each value of a multivalue, or the value itself.
std::vector<EvalValue> Singles(const EvalValue& v) {
  if (!v.is_multi()) return {v};
  std::vector<EvalValue> out;
  out.reserve(v.values.size());
  for (const auto& s : v.values) out.push_back(EvalValue::FromData(s));
  return out;
}

EvalValue Logic(const EvalExpr& expr, const Record& record, EvalContext* ctx) {
  const bool is_and = expr.op == EvalOp::kAnd;
  // AND stops at a definite false, OR at a definite true; null is "unknown".
  EvalValue left = Evaluate(*expr.args[0], record, ctx);
  if (!left.is_null() && left.Truthy() != is_and) return EvalValue::Bool(!is_and);
  EvalValue right = Evaluate(*expr.args[1], record, ctx);
  if (!right.is_null() && right.Truthy() != is_and) return EvalValue::Bool(!is_and);
  if (left.is_null() || right.is_null()) return EvalValue::Null();
  return EvalValue::Bool(is_and);
}

void CollectFields(const EvalExpr& expr, std::vector<std::string>* names) {
  if (expr.kind == EvalExpr::Kind::kField) {
    for (const auto& n : *names)
      if (n == expr.text) return;
    names->push_back(expr.text);
  }
  for (const auto& arg : expr.args) CollectFields(*arg, names);
}

// mvfilter(X): the values of the one field X names for which X is true.
EvalValue MvFilter(const EvalExpr& predicate, const Record& record, EvalContext* ctx) {
  std::vector<std::string> names;
  CollectFields(predicate, &names);
  if (names.size() != 1) return EvalValue::Null();
  const FieldCell* cell = record.Get(names[0]);
  if (cell == nullptr) return EvalValue::Null();
  std::vector<std::string> kept;
  Record single;
  for (const auto& value : *cell) {
    single.Set(names[0], {value});
    if (Evaluate(predicate, single, ctx).Truthy()) kept.push_back(value);
  }
  return EvalValue::FromValues(std::move(kept));
}

// mvmap(field, expr): expr for each value of the field, the field standing for that value.
EvalValue MvMap(const EvalExpr& call, const Record& record, EvalContext* ctx) {
  const std::string& name = call.args[0]->text;
  const FieldCell* cell = record.Get(name);
  if (cell == nullptr || cell->empty()) return EvalValue::Null();
  std::vector<std::string> out;
  Record single = record;
  for (const auto& value : *cell) {
    single.Set(name, FieldCell({value}, cell->kind));
    for (auto& v : Evaluate(*call.args[1], single, ctx).ToValues()) out.push_back(std::move(v));
  }
  return EvalValue::FromValues(std::move(out));
}

// The significant figures and decimal places of a number as written ("1.00": 3 and 2;
// "1100": 2 and 0; "0.05": 1 and 2).
std::pair<int, int> Precision(const std::string& text) {
  size_t dot = text.find('.');
  int decimals = 0;
  if (dot != std::string::npos)
    for (size_t i = dot + 1; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) ++decimals;
  std::string digits;
  for (char c : text) {
    if (c == 'e' || c == 'E') break;
    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
  }
  size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return {1, decimals};
  std::string significant = digits.substr(first);
  if (dot == std::string::npos) {
    size_t last = significant.find_last_not_of('0');
    significant = significant.substr(0, last + 1);
  }
  return {static_cast<int>(significant.size()), decimals};
}

// sigfig(x): x rounded as the significant-figure rules of its last operation say: for * and
// /, to the fewest significant figures of the operands; for + and -, to the fewest decimal
// places; a bare number keeps its own. Operands are read as written (literals, or fields'
// text).
EvalValue SigFig(const EvalExpr& arg, const Record& record, EvalContext* ctx) {
  EvalValue v = Evaluate(arg, record, ctx);
  std::optional<double> x = v.ToNumber();
  if (!x) return EvalValue::Null();
  auto text_of = [&](const EvalExpr& e) { return Evaluate(e, record, ctx).ToText(); };
  if (arg.kind != EvalExpr::Kind::kBinary || *x == 0) return v;
  auto a = Precision(text_of(*arg.args[0])), b = Precision(text_of(*arg.args[1]));
  if (arg.op == EvalOp::kMul || arg.op == EvalOp::kDiv) {
    int figures = std::min(a.first, b.first);
    double magnitude = std::floor(std::log10(std::fabs(*x)));
    double scale = std::pow(10.0, figures - 1 - magnitude);
    return EvalValue::Number(std::round(*x * scale) / scale);
  }
  if (arg.op == EvalOp::kAdd || arg.op == EvalOp::kSub) {
    double scale = std::pow(10.0, std::min(a.second, b.second));
    return EvalValue::Number(std::round(*x * scale) / scale);
  }
  return v;
}

EvalValue TypeOf(const EvalExpr& arg, const Record& record, EvalContext* ctx) {
  EvalValue v = Evaluate(arg, record, ctx);
  switch (v.type) {
    case EvalValue::Type::kNumber: return EvalValue::String("Number");
    case EvalValue::Type::kString: return EvalValue::String("String");
    case EvalValue::Type::kBool: return EvalValue::String("Boolean");
    case EvalValue::Type::kMulti: return EvalValue::String("Multivalue");
    case EvalValue::Type::kNull: break;
  }
  return EvalValue::String(arg.kind == EvalExpr::Kind::kField ? "Invalid" : "Null");
}

EvalValue CallLibrary(const EvalExpr& call, const Record& record, EvalContext* ctx) {
  fns::Args args;
  args.reserve(call.args.size());
  for (const auto& arg : call.args) args.push_back(Evaluate(*arg, record, ctx));
  switch (call.function) {
    case EvalFunction::kLower:
    case EvalFunction::kUpper:
    case EvalFunction::kLen:
    case EvalFunction::kSubstr:
    case EvalFunction::kReplace:
    case EvalFunction::kTrim:
    case EvalFunction::kLtrim:
    case EvalFunction::kRtrim:
    case EvalFunction::kUrldecode:
    case EvalFunction::kTostring:
    case EvalFunction::kPrintf:
    case EvalFunction::kCommands: return fns::CallText(call.function, args, call, ctx);
    case EvalFunction::kTonumber:
    case EvalFunction::kRound:
    case EvalFunction::kFloor:
    case EvalFunction::kCeil:
    case EvalFunction::kAbs:
    case EvalFunction::kMin:
    case EvalFunction::kMax:
    case EvalFunction::kSqrt:
    case EvalFunction::kPow:
    case EvalFunction::kExp:
    case EvalFunction::kLn:
    case EvalFunction::kLog:
    case EvalFunction::kIsint:
    case EvalFunction::kPi:
    case EvalFunction::kRandom: return fns::CallMath(call.function, args);
    case EvalFunction::kSplit:
    case EvalFunction::kMvindex:
    case EvalFunction::kMvcount:
    case EvalFunction::kMvjoin:
    case EvalFunction::kMvappend:
    case EvalFunction::kMvdedup:
    case EvalFunction::kMvzip:
    case EvalFunction::kMvsort:
    case EvalFunction::kMvrange: return fns::CallMultivalue(call.function, args);
    case EvalFunction::kJsonObject:
    case EvalFunction::kJsonArray:
    case EvalFunction::kJsonExtract:
    case EvalFunction::kJsonKeys:
    case EvalFunction::kJsonValid: return fns::CallJson(call.function, args);
    case EvalFunction::kMd5:
    case EvalFunction::kSha1:
    case EvalFunction::kSha256:
    case EvalFunction::kSha512: return fns::CallHash(call.function, args);
    case EvalFunction::kSpath: {
      if (args[0].is_null() || args[1].is_null()) return EvalValue::Null();
      std::vector<std::string> out;
      for (const std::string& doc : args[0].ToValues())
        if (auto v = JsonPathValues(doc, args[1].ToText())) out.insert(out.end(), v->begin(), v->end());
      return out.size() == 1 ? EvalValue::String(out[0]) : EvalValue::FromValues(std::move(out));
    }
    case EvalFunction::kStrftime:
    case EvalFunction::kStrptime:
    case EvalFunction::kRelativeTime:
    case EvalFunction::kNow:
    case EvalFunction::kTime: return fns::CallTime(call.function, args, call, ctx);
    case EvalFunction::kLike:
    case EvalFunction::kMatch:
    case EvalFunction::kCidrmatch:
    case EvalFunction::kMvfind:
    case EvalFunction::kIpmask:
    case EvalFunction::kIn: return fns::CallMatch(call.function, args, call, ctx);
    default: return EvalValue::Null();
  }
}

// searchmatch("eventName=ConsoleLogin errorCode=*"): the search language on the record.
EvalValue SearchMatch(const EvalExpr& call, const EvalValue& text, const Record& record, EvalContext* ctx) {
  if (text.is_null()) return EvalValue::Null();
  std::string search = text.ToText();
  auto it = ctx->searches.find(search);
  if (it == ctx->searches.end()) {
    query::ParseResult parsed = query::ParseQuery(search);
    std::shared_ptr<query::Predicate> bound;
    if (!parsed.error && parsed.ast.search != nullptr && parsed.ast.commands.empty())
      bound = query::BindExpression(*parsed.ast.search);
    else
      fns::ReportError(ctx, *call.args[0], "searchmatch(): not a search expression: \"" + search + "\"");
    it = ctx->searches.emplace(search, std::move(bound)).first;
  }
  if (it->second == nullptr) return EvalValue::Null();
  return EvalValue::Bool(MatchesRecord(*it->second, record));
}

EvalValue Call(const EvalExpr& call, const Record& record, EvalContext* ctx) {
  auto arg = [&](size_t i) { return Evaluate(*call.args[i], record, ctx); };
  switch (call.function) {
    case EvalFunction::kUnknown: return EvalValue::Null();  // CheckFunctions rejects these before evaluation
    case EvalFunction::kIf: return arg(arg(0).Truthy() ? 1 : 2);
    case EvalFunction::kCase:
      for (size_t i = 0; i + 1 < call.args.size(); i += 2)
        if (arg(i).Truthy()) return arg(i + 1);
      return EvalValue::Null();
    case EvalFunction::kCoalesce:
      for (size_t i = 0; i < call.args.size(); ++i) {
        EvalValue v = arg(i);
        if (!v.is_null()) return v;
      }
      return EvalValue::Null();
    case EvalFunction::kTypeof: return TypeOf(*call.args[0], record, ctx);
    case EvalFunction::kMvfilter: return MvFilter(*call.args[0], record, ctx);
    case EvalFunction::kMvmap: return MvMap(call, record, ctx);
    case EvalFunction::kSigfig: return SigFig(*call.args[0], record, ctx);
    case EvalFunction::kIsnull: return EvalValue::Bool(arg(0).is_null());
    case EvalFunction::kIsnotnull: return EvalValue::Bool(!arg(0).is_null());
    case EvalFunction::kIsnum: return EvalValue::Bool(arg(0).is_number());
    case EvalFunction::kIsstr: return EvalValue::Bool(arg(0).is_string());
    case EvalFunction::kTrue: return EvalValue::Bool(true);
    case EvalFunction::kFalse: return EvalValue::Bool(false);
    case EvalFunction::kNull: return EvalValue::Null();
    case EvalFunction::kExact: return arg(0);
    case EvalFunction::kSearchmatch: return SearchMatch(call, arg(0), record, ctx);
    default: return CallLibrary(call, record, ctx);
  }
}

}  // namespace

bool CollectEvalFields(const EvalExpr& expr, std::vector<std::string>* fields) {
  if (expr.kind == EvalExpr::Kind::kCall && expr.function == EvalFunction::kSearchmatch) return false;
  if (expr.kind == EvalExpr::Kind::kField && std::find(fields->begin(), fields->end(), expr.text) == fields->end())
    fields->push_back(expr.text);
  for (const auto& arg : expr.args)
    if (!CollectEvalFields(*arg, fields)) return false;
  return true;
}

EvalValue CompareEvalValues(EvalOp op, const EvalValue& left, const EvalValue& right) {
  if (left.is_null() || right.is_null()) return EvalValue::Null();
  if (!left.is_multi() && !right.is_multi()) return EvalValue::Bool(CompareSingle(op, left, right));
  for (const auto& l : Singles(left))
    for (const auto& r : Singles(right))
      if (CompareSingle(op, l, r)) return EvalValue::Bool(true);
  return EvalValue::Bool(false);
}

EvalValue Evaluate(const EvalExpr& expr, const Record& record, EvalContext* ctx) {
  switch (expr.kind) {
    case EvalExpr::Kind::kString: return EvalValue::String(expr.text);
    case EvalExpr::Kind::kNumber: return EvalValue::Number(expr.number, expr.text);
    case EvalExpr::Kind::kField: return LookupField(expr.text, record);
    case EvalExpr::Kind::kNot: {
      EvalValue v = Evaluate(*expr.args[0], record, ctx);
      return v.is_null() ? v : EvalValue::Bool(!v.Truthy());
    }
    case EvalExpr::Kind::kNegate: {
      std::optional<double> v = Evaluate(*expr.args[0], record, ctx).ToNumber();
      return v ? EvalValue::Number(-*v) : EvalValue::Null();
    }
    case EvalExpr::Kind::kBinary:
      switch (expr.op) {
        case EvalOp::kAnd:
        case EvalOp::kOr: return Logic(expr, record, ctx);
        case EvalOp::kEq:
        case EvalOp::kNe:
        case EvalOp::kLt:
        case EvalOp::kLe:
        case EvalOp::kGt:
        case EvalOp::kGe:
          return CompareEvalValues(expr.op, Evaluate(*expr.args[0], record, ctx), Evaluate(*expr.args[1], record, ctx));
        default:
          return Arithmetic(expr.op, Evaluate(*expr.args[0], record, ctx), Evaluate(*expr.args[1], record, ctx));
      }
    case EvalExpr::Kind::kCall: return Call(expr, record, ctx);
  }
  return EvalValue::Null();
}

namespace eval_functions {

void ReportError(EvalContext* ctx, const EvalExpr& arg, std::string message) {
  if (ctx->error) return;
  query::Diagnostic d;
  d.message = std::move(message);
  d.span = arg.span;
  ctx->error = std::move(d);
}

}  // namespace eval_functions

}  // namespace cairn::engine
