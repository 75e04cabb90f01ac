// Actions that build the AST from query/grammar.h, and the error messages its `must`
// points raise.
#include "query/parser.h"

#include <algorithm>
#include <cctype>

#include "query/grammar.h"

namespace cairn::query {

namespace pegtl = tao::pegtl;
namespace g = grammar;

namespace {

struct State {
  const char* base;
  QueryAst* ast;
  std::vector<std::unique_ptr<SearchNode>> stack;
  std::string field;
  Span field_span;
  CompareOp op = CompareOp::kEq;
  std::string value;
  Span value_span;
  bool quoted = false;
  bool case_sensitive = false;
  bool whole_term = false;
  std::vector<std::string> in_values;
  std::string command_name;
  Span command_name_span;
};

template <typename Input>
Span SpanOf(const Input& in, const State& st) {
  uint32_t b = static_cast<uint32_t>(in.begin() - st.base);
  return {b, b + static_cast<uint32_t>(in.size())};
}

template <typename Input>
std::string QuotedBody(const Input& in) {
  std::string_view s(in.begin(), in.size());
  return UnescapeQuoted(s.substr(1, s.size() - 2));
}

template <typename Rule>
struct Action : pegtl::nothing<Rule> {};

template <>
struct Action<g::bare_field> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.field = in.string();
    st.field_span = SpanOf(in, st);
  }
};
template <>
struct Action<g::quoted_field> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.field = QuotedBody(in);
    st.field_span = SpanOf(in, st);
  }
};

#define CAIRN_OP_ACTION(rule, value_)                  \
  template <>                                          \
  struct Action<g::rule> {                             \
    template <typename Input>                          \
    static void apply(const Input&, State& st) {       \
      st.op = CompareOp::value_;                       \
    }                                                  \
  };
CAIRN_OP_ACTION(op_eq, kEq)
CAIRN_OP_ACTION(op_ne, kNe)
CAIRN_OP_ACTION(op_lt, kLt)
CAIRN_OP_ACTION(op_le, kLe)
CAIRN_OP_ACTION(op_gt, kGt)
CAIRN_OP_ACTION(op_ge, kGe)
#undef CAIRN_OP_ACTION

template <typename Input>
void SetValue(const Input& in, State& st, bool quoted) {
  st.value = quoted ? QuotedBody(in) : in.string();
  st.value_span = SpanOf(in, st);
  st.quoted = quoted;
  st.case_sensitive = false;
  st.whole_term = false;
}

template <>
struct Action<g::bare_value> {
  template <typename Input>
  static void apply(const Input& in, State& st) { SetValue(in, st, false); }
};
template <>
struct Action<g::quoted_value> {
  template <typename Input>
  static void apply(const Input& in, State& st) { SetValue(in, st, true); }
};
template <>
struct Action<g::directive_value> {
  template <typename Input>
  static void apply(const Input& in, State& st) { SetValue(in, st, in.size() > 0 && *in.begin() == '"'); }
};
template <>
struct Action<g::directive> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    std::string_view s(in.begin(), in.size());
    if (s.rfind("CASE", 0) == 0) st.case_sensitive = true;
    else st.whole_term = true;
  }
};
template <>
struct Action<g::bare_term> {
  template <typename Input>
  static void apply(const Input& in, State& st) { SetValue(in, st, false); }
};
template <>
struct Action<g::quoted_term> {
  template <typename Input>
  static void apply(const Input& in, State& st) { SetValue(in, st, true); }
};

template <>
struct Action<g::term> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    auto n = std::make_unique<SearchNode>();
    n->kind = SearchNode::Kind::kTerm;
    n->span = SpanOf(in, st);
    n->value = st.value;
    n->value_span = st.value_span;
    n->quoted = st.quoted;
    n->case_sensitive = st.case_sensitive;
    n->whole_term = st.whole_term;
    st.stack.push_back(std::move(n));
  }
};

template <>
struct Action<g::comparison> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    auto n = std::make_unique<SearchNode>();
    n->kind = SearchNode::Kind::kCompare;
    n->span = SpanOf(in, st);
    n->field = st.field;
    n->field_span = st.field_span;
    n->op = st.op;
    n->value = st.value;
    n->value_span = st.value_span;
    n->quoted = st.quoted;
    n->case_sensitive = st.case_sensitive;
    n->whole_term = st.whole_term;
    st.stack.push_back(std::move(n));
  }
};

template <>
struct Action<g::in_open> {
  template <typename Input>
  static void apply(const Input&, State& st) { st.in_values.clear(); }
};
template <>
struct Action<g::in_value> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.in_values.push_back(in.size() > 0 && *in.begin() == '"' ? QuotedBody(in) : in.string());
  }
};
template <>
struct Action<g::in_list> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    auto n = std::make_unique<SearchNode>();
    n->kind = SearchNode::Kind::kIn;
    n->span = SpanOf(in, st);
    n->field = st.field;
    n->field_span = st.field_span;
    n->values = st.in_values;
    st.stack.push_back(std::move(n));
  }
};

void Combine(State& st, SearchNode::Kind kind, Span span) {
  auto right = std::move(st.stack.back());
  st.stack.pop_back();
  auto left = std::move(st.stack.back());
  st.stack.pop_back();
  if (left->kind == kind) {
    left->span.end = span.end;
    left->children.push_back(std::move(right));
    st.stack.push_back(std::move(left));
    return;
  }
  auto n = std::make_unique<SearchNode>();
  n->kind = kind;
  n->span = {left->span.begin, right->span.end};
  n->children.push_back(std::move(left));
  n->children.push_back(std::move(right));
  st.stack.push_back(std::move(n));
}

template <>
struct Action<g::or_tail> {
  template <typename Input>
  static void apply(const Input& in, State& st) { Combine(st, SearchNode::Kind::kOr, SpanOf(in, st)); }
};
template <>
struct Action<g::and_tail> {
  template <typename Input>
  static void apply(const Input& in, State& st) { Combine(st, SearchNode::Kind::kAnd, SpanOf(in, st)); }
};
template <>
struct Action<g::not_expr> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    auto child = std::move(st.stack.back());
    st.stack.pop_back();
    auto n = std::make_unique<SearchNode>();
    n->kind = SearchNode::Kind::kNot;
    n->span = SpanOf(in, st);
    n->children.push_back(std::move(child));
    st.stack.push_back(std::move(n));
  }
};
template <>
struct Action<g::search_expr> {
  template <typename Input>
  static void apply(const Input&, State& st) {
    if (!st.stack.empty()) {
      st.ast->search = std::move(st.stack.back());
      st.stack.clear();
    }
  }
};
template <>
struct Action<g::leading_pipe> {
  template <typename Input>
  static void apply(const Input&, State& st) { st.ast->leading_pipe = true; }
};
template <>
struct Action<g::command_name> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    st.command_name = in.string();
    st.command_name_span = SpanOf(in, st);
  }
};
template <>
struct Action<g::command> {
  template <typename Input>
  static void apply(const Input& in, State& st) {
    CommandNode c;
    c.name = st.command_name;
    c.span = SpanOf(in, st);
    c.name_span = st.command_name_span;
    uint32_t b = st.command_name_span.end, e = c.span.end;
    while (b < e && std::isspace(static_cast<unsigned char>(st.base[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(st.base[e - 1]))) --e;
    c.args_span = {b, e};
    c.args.assign(st.base + b, e - b);
    c.span.end = e;
    st.ast->commands.push_back(std::move(c));
  }
};

struct Errors {
  template <typename Rule>
  static constexpr const char* message = nullptr;
};
template <>
inline constexpr const char* Errors::message<g::after_not> = "expected a search term after NOT";
template <>
inline constexpr const char* Errors::message<g::after_or> = "expected a search term after OR";
template <>
inline constexpr const char* Errors::message<g::after_and> = "expected a search term after AND";
template <>
inline constexpr const char* Errors::message<g::group_body> = "expected a search expression inside the parentheses";
template <>
inline constexpr const char* Errors::message<g::group_close> = "unbalanced parentheses: expected ')'";
template <>
inline constexpr const char* Errors::message<g::value_after_op> = "expected a value after the operator";
template <>
inline constexpr const char* Errors::message<g::in_close> = "expected ')' to close the IN list";
template <>
inline constexpr const char* Errors::message<g::bracket_close> = "unbalanced brackets: expected ']'";
template <>
inline constexpr const char* Errors::message<g::command_name> = "expected a command name after '|'";
template <>
inline constexpr const char* Errors::message<g::end_of_query> = "unexpected text";

template <typename Rule>
using Control = pegtl::must_if<Errors>::control<Rule>;

// Finds an unterminated double quote: returns its offset, or npos.
size_t UnterminatedQuote(const std::string& text) {
  bool in = false;
  size_t open = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in && c == '\\') {
      ++i;
      continue;
    }
    if (c == '"') {
      if (!in) open = i;
      in = !in;
    }
  }
  return in ? open : std::string::npos;
}

// The innermost '(' left open before `pos`, or npos.
size_t UnclosedParen(const std::string& text, size_t pos) {
  std::vector<size_t> open;
  bool in = false;
  for (size_t i = 0; i < pos && i < text.size(); ++i) {
    char c = text[i];
    if (in && c == '\\') {
      ++i;
      continue;
    }
    if (c == '"') in = !in;
    if (in) continue;
    if (c == '(') open.push_back(i);
    if (c == ')' && !open.empty()) open.pop_back();
  }
  return open.empty() ? std::string::npos : open.back();
}

}  // namespace

std::string UnescapeQuoted(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\\' && i + 1 < body.size()) {
      char n = body[i + 1];
      if (n == '"' || n == '\\' || n == '|') {
        out.push_back(n);
        ++i;
        continue;
      }
    }
    out.push_back(body[i]);
  }
  return out;
}

ParseResult ParseQuery(const std::string& text) {
  ParseResult result;
  if (size_t q = UnterminatedQuote(text); q != std::string::npos) {
    Diagnostic d;
    d.message = "unterminated quoted string";
    d.span = {static_cast<uint32_t>(q), static_cast<uint32_t>(q + 1)};
    d.hint = "close the quote with \", or escape a literal quote as \\\"";
    result.error = d;
    return result;
  }
  State st;
  st.base = text.data();
  st.ast = &result.ast;
  pegtl::memory_input in(text.data(), text.size(), "query");
  try {
    pegtl::parse<g::query, Action, Control>(in, st);
  } catch (const pegtl::parse_error& e) {
    Diagnostic d;
    size_t pos = e.positions().empty() ? text.size() : e.positions().front().byte;
    d.message = std::string(e.message());
    d.span = {static_cast<uint32_t>(pos), static_cast<uint32_t>(pos + 1)};
    if (d.message == "unexpected text") {
      std::string_view rest = std::string_view(text).substr(std::min(pos, text.size()));
      auto keyword_at = [&](std::string_view kw) {
        return rest.substr(0, kw.size()) == kw &&
               (rest.size() == kw.size() || std::isspace(static_cast<unsigned char>(rest[kw.size()])) ||
                rest[kw.size()] == '(');
      };
      if (pos < text.size() && text[pos] == ')') {
        d.message = "unbalanced parentheses: ')' has no matching '('";
      } else if (keyword_at("OR") || keyword_at("AND")) {
        d.message = "expected a search term before " + std::string(keyword_at("OR") ? "OR" : "AND");
        d.span.end = d.span.begin + (keyword_at("OR") ? 2 : 3);
        d.hint = "to search for the word itself, quote it or write it in lower case";
      } else {
        d.message = "unexpected text";
      }
    } else if (d.message.rfind("unbalanced parentheses: expected", 0) == 0) {
      size_t open = UnclosedParen(text, pos);
      if (open != std::string::npos) {
        d.hint = "the '(' at column " + std::to_string(open + 1) + " is never closed";
      }
    } else if (d.message == "expected a value after the operator") {
      d.hint = "quote values that contain spaces or parentheses: field=\"a value\"";
    } else if (d.message.find("after OR") != std::string::npos || d.message.find("after AND") != std::string::npos ||
               d.message.find("after NOT") != std::string::npos) {
      d.hint = "to search for the word itself, quote it or write it in lower case";
    }
    result.error = d;
    result.ast = QueryAst();
  }
  return result;
}

}  // namespace cairn::query
