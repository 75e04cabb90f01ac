// Rendering of eval syntax trees for tests and `explain`.
#include "query/eval_ast.h"

#include <cctype>

namespace cairn::query {

const char* EvalOpSymbol(EvalOp op) {
  switch (op) {
    case EvalOp::kAdd: return "+";
    case EvalOp::kSub: return "-";
    case EvalOp::kMul: return "*";
    case EvalOp::kDiv: return "/";
    case EvalOp::kMod: return "%";
    case EvalOp::kConcat: return ".";
    case EvalOp::kEq: return "=";
    case EvalOp::kNe: return "!=";
    case EvalOp::kLt: return "<";
    case EvalOp::kLe: return "<=";
    case EvalOp::kGt: return ">";
    case EvalOp::kGe: return ">=";
    case EvalOp::kAnd: return "AND";
    case EvalOp::kOr: return "OR";
  }
  return "?";
}

namespace {

std::string Quote(const std::string& s, char quote) {
  std::string out(1, quote);
  for (char c : s) {
    if (c == quote || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back(quote);
  return out;
}

// Bare names print bare; anything a bare name cannot hold prints in single quotes.
std::string FieldName(const std::string& name) {
  bool bare = !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_');
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '{' && c != '}') bare = false;
  if (!name.empty() && name.back() == '.') bare = false;
  return bare ? name : Quote(name, '\'');
}

std::string Operand(const EvalExpr& e) {
  std::string s = FormatEvalExpr(e);
  if (e.kind == EvalExpr::Kind::kBinary || e.kind == EvalExpr::Kind::kNot || s[0] == '-') return "(" + s + ")";
  return s;
}

}  // namespace

std::string FormatEvalExpr(const EvalExpr& e) {
  switch (e.kind) {
    case EvalExpr::Kind::kString: return Quote(e.text, '"');
    case EvalExpr::Kind::kNumber: return e.text;
    case EvalExpr::Kind::kField: return FieldName(e.text);
    case EvalExpr::Kind::kNot: return "NOT " + Operand(*e.args[0]);
    case EvalExpr::Kind::kNegate: return "-" + Operand(*e.args[0]);
    case EvalExpr::Kind::kBinary:
      return Operand(*e.args[0]) + " " + EvalOpSymbol(e.op) + " " + Operand(*e.args[1]);
    case EvalExpr::Kind::kCall: {
      std::string s = e.text + "(";
      for (size_t i = 0; i < e.args.size(); ++i) s += (i ? ", " : "") + FormatEvalExpr(*e.args[i]);
      return s + ")";
    }
  }
  return "?";
}

}  // namespace cairn::query
