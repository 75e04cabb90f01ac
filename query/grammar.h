// The PEGTL grammar of a query: the search expression and the pipeline around it. Only
// rules live here; query/parser.cc attaches the actions that build the AST.
//
// Precedence in the search command (Splunk Search Manual, "Boolean expressions"):
// parentheses, then NOT, then OR, then AND (explicit or implied by whitespace), so
// `a b OR c` is `a AND (b OR c)`. Keywords are upper case only; `or` is a term. eval and
// where use the opposite order (AND over OR) in their own grammar.
#pragma once

#include <tao/pegtl.hpp>

namespace cairn::query::grammar {

namespace pegtl = tao::pegtl;
using namespace pegtl;  // NOLINT: rule combinators read better unqualified here

struct ws : star<space> {};
// Characters that end a bare word: whitespace, parentheses, pipe, double quote.
struct word_end : sor<space, one<'(', ')', '|', '"'>, eof> {};
template <typename Str>
struct keyword : seq<Str, at<word_end>> {};
struct kw_and : keyword<TAO_PEGTL_STRING("AND")> {};
struct kw_or : keyword<TAO_PEGTL_STRING("OR")> {};
struct kw_not : keyword<TAO_PEGTL_STRING("NOT")> {};
struct kw_in : keyword<TAO_PEGTL_STRING("IN")> {};
struct any_keyword : sor<kw_and, kw_or, kw_not> {};

struct escaped : seq<one<'\\'>, any> {};
struct quoted_body : star<sor<escaped, not_one<'"', '\\'>>> {};
struct quoted : seq<one<'"'>, quoted_body, one<'"'>> {};

struct field_char : sor<alnum, one<'_', '.', '{', '}', '@', ':', '-', '/', '$', '#'>> {};
struct bare_field : plus<field_char> {};
struct quoted_field : quoted {};
struct field : sor<quoted_field, bare_field> {};

struct op_ne : TAO_PEGTL_STRING("!=") {};
struct op_le : TAO_PEGTL_STRING("<=") {};
struct op_ge : TAO_PEGTL_STRING(">=") {};
struct op_eq : one<'='> {};
struct op_lt : one<'<'> {};
struct op_gt : one<'>'> {};
struct op : sor<op_ne, op_le, op_ge, op_eq, op_lt, op_gt> {};

struct value_char : not_one<' ', '\t', '\n', '\r', '\v', '\f', '(', ')', '|', '"'> {};
struct bare_value : plus<value_char> {};
struct quoted_value : quoted {};
struct plain_value : sor<quoted_value, bare_value> {};
struct dir_case : TAO_PEGTL_STRING("CASE") {};
struct dir_term : TAO_PEGTL_STRING("TERM") {};
struct directive_value : sor<quoted_value, plus<not_one<' ', '\t', '\n', '\r', ')', '(', '|', '"'>>> {};
struct directive : seq<sor<dir_case, dir_term>, one<'('>, ws, directive_value, ws, one<')'>> {};
struct value : sor<directive, plain_value> {};
struct value_after_op : value {};

struct comparison : seq<field, ws, op, ws, must<value_after_op>> {};

struct in_value_char : not_one<' ', '\t', '\n', '\r', '\v', '\f', '(', ')', '|', '"', ','> {};
struct in_value : sor<quoted_value, plus<in_value_char>> {};
struct in_open : seq<kw_in, ws, one<'('>> {};
struct in_close : one<')'> {};
struct in_list : seq<field, ws, in_open, ws, list<in_value, seq<ws, opt<one<','>>, ws>>, ws, must<in_close>> {};

struct term_char : not_one<' ', '\t', '\n', '\r', '\v', '\f', '(', ')', '|', '"'> {};
struct bare_term : seq<not_at<any_keyword>, plus<term_char>> {};
struct quoted_term : quoted {};
struct term : sor<directive, quoted_term, bare_term> {};

struct atom : sor<in_list, comparison, term> {};

struct and_expr;
struct unary;
struct group_close : one<')'> {};
struct group_body : seq<and_expr> {};
struct group : seq<one<'('>, ws, must<group_body>, ws, must<group_close>> {};
struct after_not : seq<unary> {};
struct not_expr : seq<kw_not, ws, must<after_not>> {};
struct unary : sor<not_expr, group, atom> {};
struct after_or : seq<unary> {};
struct or_tail : seq<ws, kw_or, ws, must<after_or>> {};
struct or_expr : seq<unary, star<or_tail>> {};
struct after_and : seq<or_expr> {};
struct and_tail : sor<seq<ws, kw_and, ws, must<after_and>>, seq<ws, or_expr>> {};
struct and_expr : seq<or_expr, star<and_tail>> {};

struct search_kw : keyword<TAO_PEGTL_STRING("search")> {};
struct search_expr : seq<ws, opt<search_kw, ws>, opt<and_expr>, ws> {};

// Pipeline commands: a name, then argument text up to the next pipe outside quotes and
// square brackets (subsearches).
struct bracketed;
struct arg_piece : sor<quoted, bracketed, not_one<'|', '[', '"'>> {};
struct bracket_close : one<']'> {};
struct bracketed : seq<one<'['>, star<sor<quoted, bracketed, not_one<']', '[', '"'>>>, must<bracket_close>> {};
struct command_name : seq<alpha, star<sor<alnum, one<'_'>>>> {};
struct command_args : star<arg_piece> {};
struct pipe : one<'|'> {};
struct command : seq<pipe, ws, must<command_name>, command_args> {};
struct leading_pipe : at<ws, pipe> {};
struct end_of_query : eof {};
struct query : seq<opt<leading_pipe>, search_expr, star<command>, must<end_of_query>> {};

}  // namespace cairn::query::grammar
