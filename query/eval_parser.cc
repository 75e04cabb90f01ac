// Actions that build EvalExpr trees from query/eval_grammar.h, the error messages its
// `must` points raise, and the checks run before (quotes) and after (functions) parsing.
#include "query/eval_parser.h"

#include <cctype>
#include <cstdlib>
#include <tao/pegtl/contrib/limit_depth.hpp>

#include "query/eval_grammar.h"

namespace cairn::query {

namespace pegtl = tao::pegtl;
namespace g = eval_grammar;

namespace {

// Deep enough for any real expression; stops a stack overflow on hostile nesting.
constexpr size_t kMaxRuleDepth = 1500;

struct CallMark {
  size_t depth;  ///< stack size before the arguments
  std::string name;
  Span name_span;
  uint32_t begin;
};

struct State {
  const char* base;
  uint32_t offset;
  std::vector<std::unique_ptr<EvalExpr>> stack;
  std::vector<EvalOp> ops;
  std::vector<CallMark> calls;
  std::string target;
  Span target_span;
  std::vector<EvalAssignment>* assignments = nullptr;
};

template <typename Input>
Span SpanOf(const Input& in, const State& st) {
  uint32_t b = static_cast<uint32_t>(in.begin() - st.base) + st.offset;
  return {b, b + static_cast<uint32_t>(in.size())};
}

bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The body of a "string": \" and \\ lose the backslash, \t \n \r become tab, newline and
// carriage return (Splunk: "C:\\windows\temp" holds a tab); any other escape is kept as
// written so that regular expressions such as "\d+" reach PCRE intact.
std::string UnescapeString(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\\' && i + 1 < body.size()) {
      char n = body[i + 1];
      char replacement = n == '"' || n == '\\' ? n : n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : 0;
      if (replacement != 0) {
        out.push_back(replacement);
        ++i;
        continue;
      }
    }
    out.push_back(body[i]);
  }
  return out;
}

std::string UnescapeSingle(std::string_view body) {
  std::string out;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\\' && i + 1 < body.size() && (body[i + 1] == '\'' || body[i + 1] == '\\')) ++i;
    out.push_back(body[i]);
  }
  return out;
}

std::unique_ptr<EvalExpr> Pop(State& st) {
  auto n = std::move(st.stack.back());
  st.stack.pop_back();
  return n;
}

void PushLeaf(State& st, EvalExpr::Kind kind, std::string text, Span span) {
  auto n = std::make_unique<EvalExpr>();
  n->kind = kind;
  n->text = std::move(text);
  n->span = span;
  st.stack.push_back(std::move(n));
}

template <typename Rule>
struct Action : pegtl::limit_depth<kMaxRuleDepth> {};

template <>
struct Action<g::string_lit> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    PushLeaf(st, EvalExpr::Kind::kString, UnescapeString(std::string_view(in.begin() + 1, in.size() - 2)),
             SpanOf(in, st));
  }
};
template <>
struct Action<g::number_lit> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    PushLeaf(st, EvalExpr::Kind::kNumber, in.string(), SpanOf(in, st));
    st.stack.back()->number = std::strtod(st.stack.back()->text.c_str(), nullptr);
  }
};
template <>
struct Action<g::bare_field> {
  template <typename Input>
  static void apply(const Input& in, State& st) { PushLeaf(st, EvalExpr::Kind::kField, in.string(), SpanOf(in, st)); }
};
template <>
struct Action<g::quoted_field> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    PushLeaf(st, EvalExpr::Kind::kField, UnescapeSingle(std::string_view(in.begin() + 1, in.size() - 2)),
             SpanOf(in, st));
  }
};

// On `name (` rather than the name alone, which may yet turn out to be a field.
template <>
struct Action<g::call_open> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    Span span = SpanOf(in, st);
    size_t length = 0;
    while (length < in.size() && IsIdentChar(in.begin()[length])) ++length;
    span.end = span.begin + static_cast<uint32_t>(length);
    st.calls.push_back({st.stack.size(), std::string(in.begin(), length), span, span.begin});
  }
};
// Marks where the arguments of `x IN (...)` start: the left operand is already on the stack.
template <>
struct Action<g::in_open> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    Span span = SpanOf(in, st);
    size_t keyword = in.string().find("IN");
    span.begin += static_cast<uint32_t>(keyword);
    span.end = span.begin + 2;
    st.calls.push_back({st.stack.size() - 1, "in", span, st.stack.back()->span.begin});
  }
};

template <typename Input>
void FinishCall(const Input& in, State& st) {
  CallMark mark = std::move(st.calls.back());
  st.calls.pop_back();
  auto n = std::make_unique<EvalExpr>();
  n->kind = EvalExpr::Kind::kCall;
  n->text = std::move(mark.name);
  n->name_span = mark.name_span;
  n->span = {mark.begin, SpanOf(in, st).end};
  if (const EvalFunctionInfo* info = FindEvalFunction(n->text)) n->function = info->id;
  for (size_t i = mark.depth; i < st.stack.size(); ++i) n->args.push_back(std::move(st.stack[i]));
  st.stack.resize(mark.depth);
  st.stack.push_back(std::move(n));
}
template <>
struct Action<g::call> {
  template <typename Input>
  static void apply(const Input& in, State& st) { FinishCall(in, st); }
};
template <>
struct Action<g::in_tail> {
  template <typename Input>
  static void apply(const Input& in, State& st) { FinishCall(in, st); }
};

// A group keeps its parentheses in the span of the inner node, so carets cover them.
template <>
struct Action<g::group> {
  template <typename Input>
  static void apply(const Input& in, State& st) { st.stack.back()->span = SpanOf(in, st); }
};

template <>
struct Action<g::negate> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    auto child = Pop(st);
    Span span = SpanOf(in, st);
    const char* after = in.begin() + 1;
    while (after < in.end() && std::isspace(static_cast<unsigned char>(*after))) ++after;
    if (child->kind == EvalExpr::Kind::kNumber && after < in.end() && std::isdigit(static_cast<unsigned char>(*after))) {
      child->text = "-" + child->text;
      child->number = -child->number;
      child->span = span;
      st.stack.push_back(std::move(child));
      return;
    }
    auto n = std::make_unique<EvalExpr>();
    n->kind = EvalExpr::Kind::kNegate;
    n->span = span;
    n->args.push_back(std::move(child));
    st.stack.push_back(std::move(n));
  }
};
template <>
struct Action<g::negation> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    auto n = std::make_unique<EvalExpr>();
    n->kind = EvalExpr::Kind::kNot;
    n->span = SpanOf(in, st);
    n->args.push_back(Pop(st));
    st.stack.push_back(std::move(n));
  }
};

#define CAIRN_EVAL_OP(rule, value)                  \
  template <>                                       \
  struct Action<g::rule> {                          \
    template <typename Input>                       \
    static void apply(const Input&, State& st) {    \
      st.ops.push_back(EvalOp::value);              \
    }                                               \
  };
CAIRN_EVAL_OP(op_mul, kMul)
CAIRN_EVAL_OP(op_div, kDiv)
CAIRN_EVAL_OP(op_mod, kMod)
CAIRN_EVAL_OP(op_add, kAdd)
CAIRN_EVAL_OP(op_sub, kSub)
CAIRN_EVAL_OP(op_concat, kConcat)
CAIRN_EVAL_OP(op_eq2, kEq)
CAIRN_EVAL_OP(op_eq, kEq)
CAIRN_EVAL_OP(op_ne, kNe)
CAIRN_EVAL_OP(op_lt, kLt)
CAIRN_EVAL_OP(op_le, kLe)
CAIRN_EVAL_OP(op_gt, kGt)
CAIRN_EVAL_OP(op_ge, kGe)
CAIRN_EVAL_OP(kw_and, kAnd)
CAIRN_EVAL_OP(kw_or, kOr)
#undef CAIRN_EVAL_OP

// Every binary tail combines the two top operands with the operator its op rule pushed.
void Combine(State& st) {
  auto right = Pop(st);
  auto left = Pop(st);
  auto n = std::make_unique<EvalExpr>();
  n->kind = EvalExpr::Kind::kBinary;
  n->op = st.ops.back();
  st.ops.pop_back();
  n->span = {left->span.begin, right->span.end};
  n->args.push_back(std::move(left));
  n->args.push_back(std::move(right));
  st.stack.push_back(std::move(n));
}
template <typename Rule>
struct CombineAction {
  template <typename Input>
  static void apply(const Input&, State& st) { Combine(st); }
};
template <>
struct Action<g::mul_tail> : CombineAction<g::mul_tail> {};
template <>
struct Action<g::add_tail> : CombineAction<g::add_tail> {};
template <>
struct Action<g::cmp_tail> : CombineAction<g::cmp_tail> {};
template <>
struct Action<g::and_tail> : CombineAction<g::and_tail> {};
template <>
struct Action<g::or_tail> : CombineAction<g::or_tail> {};

template <>
struct Action<g::target_bare> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.target = in.string();
    st.target_span = SpanOf(in, st);
  }
};
template <>
struct Action<g::target_single> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.target = UnescapeSingle(std::string_view(in.begin() + 1, in.size() - 2));
    st.target_span = SpanOf(in, st);
  }
};
template <>
struct Action<g::target_double> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.target = UnescapeString(std::string_view(in.begin() + 1, in.size() - 2));
    st.target_span = SpanOf(in, st);
  }
};
template <>
struct Action<g::assignment> {
  template <typename Input>
  static void apply(const Input&, State& st) {
    st.assignments->push_back({st.target, st.target_span, Pop(st)});
  }
};

struct Errors {
  template <typename Rule>
  static constexpr const char* message = nullptr;
};
#define CAIRN_EVAL_ERROR(rule, text) \
  template <>                        \
  inline constexpr const char* Errors::message<g::rule> = text;
CAIRN_EVAL_ERROR(expression_body, "expected an expression")
CAIRN_EVAL_ERROR(end_of_text, "unexpected text")
CAIRN_EVAL_ERROR(next_arg, "expected a function argument after ','")
CAIRN_EVAL_ERROR(call_close, "expected ',' or ')' in the function's argument list")
CAIRN_EVAL_ERROR(group_body, "expected an expression inside the parentheses")
CAIRN_EVAL_ERROR(group_close, "unbalanced parentheses: expected ')'")
CAIRN_EVAL_ERROR(after_minus, "expected an operand after '-'")
CAIRN_EVAL_ERROR(after_mul, "expected an operand after the operator")
CAIRN_EVAL_ERROR(after_add, "expected an operand after the operator")
CAIRN_EVAL_ERROR(after_cmp, "expected a value after the comparison")
CAIRN_EVAL_ERROR(in_list, "expected a parenthesised list of values after IN")
CAIRN_EVAL_ERROR(in_value, "expected a value after ',' in the IN list")
CAIRN_EVAL_ERROR(in_close, "expected ',' or ')' in the IN list")
CAIRN_EVAL_ERROR(after_not, "expected an expression after NOT")
CAIRN_EVAL_ERROR(after_and, "expected an expression after AND")
CAIRN_EVAL_ERROR(after_or, "expected an expression after OR")
CAIRN_EVAL_ERROR(assign_target, "expected a field name to assign to")
CAIRN_EVAL_ERROR(assign_eq, "expected '=' after the field name")
CAIRN_EVAL_ERROR(assign_value, "expected an expression after '='")
#undef CAIRN_EVAL_ERROR

template <typename Rule>
using Control = pegtl::must_if<Errors>::control<Rule>;

Diagnostic ErrorAt(std::string message, size_t pos, uint32_t offset, std::string hint = "") {
  Diagnostic d;
  d.message = std::move(message);
  d.span = {static_cast<uint32_t>(pos) + offset, static_cast<uint32_t>(pos + 1) + offset};
  d.hint = std::move(hint);
  return d;
}

// An unterminated "string" or 'field name', or nesting too deep to parse.
std::optional<Diagnostic> ScanQuotes(std::string_view text, uint32_t offset) {
  char quote = 0;
  size_t open = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote != 0 && c == '\\') {
      ++i;
    } else if (quote != 0 && c == quote) {
      quote = 0;
    } else if (quote == 0 && (c == '"' || c == '\'')) {
      quote = c;
      open = i;
    }
  }
  if (quote == '"') {
    return ErrorAt("unterminated quoted string", open, offset, "close the quote with \", or escape one as \\\"");
  }
  if (quote == '\'') {
    return ErrorAt("unterminated single-quoted field name", open, offset,
                   "single quotes name a field ('resources{}.ARN'); use double quotes for a string");
  }
  return std::nullopt;
}

// Hints for the commonest causes of "unexpected text" at `pos`.
void ExplainUnexpected(std::string_view text, size_t pos, bool in_assignments, Diagnostic* d) {
  if (pos >= text.size()) return;
  if (text[pos] == ')') {
    d->message = "unbalanced parentheses: ')' has no matching '('";
    return;
  }
  size_t end = pos;
  while (end < text.size() && IsIdentChar(text[end])) ++end;
  std::string word(text.substr(pos, end - pos));
  if (word == "in") {
    d->hint = "the IN operator is upper case (in(field, values...) is the function)";
  } else if (pos > 0 && std::isdigit(static_cast<unsigned char>(text[pos - 1])) && !word.empty()) {
    d->hint = "a field name that starts with a digit needs single quotes: '5minutes'";
  } else if (in_assignments && !word.empty()) {
    d->hint = "separate assignments with commas: eval a=1, b=2";
  }
}

template <typename Rule>
std::optional<Diagnostic> Run(std::string_view text, uint32_t offset, State* st, bool in_assignments) {
  if (auto d = ScanQuotes(text, offset)) return d;
  st->base = text.data();
  st->offset = offset;
  pegtl::memory_input in(text.data(), text.size(), "eval");
  try {
    pegtl::parse<Rule, Action, Control>(in, *st);
  } catch (const pegtl::parse_error& e) {
    size_t pos = e.positions().empty() ? text.size() : e.positions().front().byte;
    std::string message(e.message());
    if (message.find("nesting depth") != std::string::npos) {
      return ErrorAt("expression nested too deeply", pos, offset);
    }
    Diagnostic d = ErrorAt(message, pos, offset);
    if (message == "unexpected text") ExplainUnexpected(text, pos, in_assignments, &d);
    return d;
  }
  return std::nullopt;
}

}  // namespace

EvalParseResult ParseEvalExpression(std::string_view text, uint32_t base_offset) {
  EvalParseResult result;
  State st;
  if (auto d = Run<g::expression>(text, base_offset, &st, false)) {
    result.error = std::move(d);
    return result;
  }
  if (auto d = CheckFunctions(*st.stack.back())) {
    result.error = std::move(d);
    return result;
  }
  result.expr = std::move(st.stack.back());
  return result;
}

EvalAssignmentsResult ParseEvalAssignments(std::string_view text, uint32_t base_offset) {
  EvalAssignmentsResult result;
  State st;
  std::vector<EvalAssignment> assignments;
  st.assignments = &assignments;
  if (auto d = Run<g::assignments>(text, base_offset, &st, true)) {
    result.error = std::move(d);
    return result;
  }
  for (const auto& a : assignments) {
    if (auto d = CheckFunctions(*a.expr)) {
      result.error = std::move(d);
      return result;
    }
  }
  result.assignments = std::move(assignments);
  return result;
}

}  // namespace cairn::query
