// The PEGTL grammar of eval expressions (the `eval` and `where` commands) and of eval's
// `field=expression, ...` assignment list. Only rules live here; query/eval_parser.cc
// attaches the actions that build the EvalExpr tree and the error messages.
//
// Precedence, highest first (Splunk Search Reference, "where" and evaluation functions):
// parentheses and function calls, unary minus, * / %, + - . (left-associative, `.`
// concatenates), comparisons (= == != < <= > >= and `x IN (...)`), NOT, AND, OR. So
// AND binds tighter than OR here, the opposite of the search command. AND, OR and NOT are
// keywords in any case (Splunk's eval reads `where a>1 and b>2`, as ESCU's detections
// write it); IN only in upper case, since in() is also a function. "Double quotes" make a string, 'single quotes' a field
// name. A bare name may contain dots between name characters (userIdentity.userName) and
// braces (resources{}.ARN); write `a . b` with spaces to concatenate two fields.
#pragma once

#include <tao/pegtl.hpp>

namespace cairn::query::eval_grammar {

namespace pegtl = tao::pegtl;
using namespace pegtl;  // NOLINT: rule combinators read better unqualified here

struct ws : star<space> {};
struct ident_char : sor<alnum, one<'_'>> {};
template <typename Str>
struct keyword : seq<Str, not_at<ident_char>> {};
struct kw_and : keyword<TAO_PEGTL_ISTRING("AND")> {};
struct kw_or : keyword<TAO_PEGTL_ISTRING("OR")> {};
struct kw_not : keyword<TAO_PEGTL_ISTRING("NOT")> {};
struct kw_in : keyword<TAO_PEGTL_STRING("IN")> {};
struct any_keyword : sor<kw_and, kw_or, kw_not> {};

// Literals and names.
struct escaped : seq<one<'\\'>, any> {};
struct string_lit : seq<one<'"'>, star<sor<escaped, not_one<'"', '\\'>>>, one<'"'>> {};
struct digits : plus<digit> {};
struct number_lit : seq<digits, opt<one<'.'>, digits>, opt<one<'e', 'E'>, opt<one<'+', '-'>>, digits>> {};
struct name_start : sor<alpha, one<'_'>> {};
struct name_char : sor<alnum, one<'_', '{', '}'>> {};
struct bare_name : seq<not_at<any_keyword>, name_start, star<sor<name_char, seq<one<'.'>, at<name_char>>>>> {};
struct bare_field : bare_name {};
struct quoted_field : seq<one<'\''>, star<sor<escaped, not_one<'\'', '\\'>>>, one<'\''>> {};

// Function calls: the name, then a committed argument list.
struct or_expr;
struct func_name : seq<not_at<any_keyword>, name_start, star<ident_char>> {};
struct call_open : seq<func_name, ws, one<'('>> {};
struct call_arg : seq<or_expr> {};
struct next_arg : seq<or_expr> {};
struct call_close : one<')'> {};
struct call : seq<call_open, ws, opt<call_arg, star<ws, one<','>, ws, must<next_arg>>>, ws, must<call_close>> {};

struct group_body : seq<or_expr> {};
struct group_close : one<')'> {};
struct group : seq<one<'('>, ws, must<group_body>, ws, must<group_close>> {};

struct primary : sor<group, call, number_lit, string_lit, quoted_field, bare_field> {};

struct unary;
struct after_minus : seq<unary> {};
struct negate : seq<one<'-'>, ws, must<after_minus>> {};
struct unary : sor<negate, primary> {};

struct op_mul : one<'*'> {};
struct op_div : one<'/'> {};
struct op_mod : one<'%'> {};
struct mul_op : sor<op_mul, op_div, op_mod> {};
struct after_mul : seq<unary> {};
struct mul_tail : seq<ws, mul_op, ws, must<after_mul>> {};
struct mul_expr : seq<unary, star<mul_tail>> {};

struct op_add : one<'+'> {};
struct op_sub : one<'-'> {};
struct op_concat : one<'.'> {};
struct add_op : sor<op_add, op_sub, op_concat> {};
struct after_add : seq<mul_expr> {};
struct add_tail : seq<ws, add_op, ws, must<after_add>> {};
struct add_expr : seq<mul_expr, star<add_tail>> {};

struct op_eq2 : TAO_PEGTL_STRING("==") {};
struct op_ne : TAO_PEGTL_STRING("!=") {};
struct op_le : TAO_PEGTL_STRING("<=") {};
struct op_ge : TAO_PEGTL_STRING(">=") {};
struct op_eq : one<'='> {};
struct op_lt : one<'<'> {};
struct op_gt : one<'>'> {};
struct cmp_op : sor<op_eq2, op_ne, op_le, op_ge, op_eq, op_lt, op_gt> {};
struct after_cmp : seq<add_expr> {};
struct cmp_tail : seq<ws, cmp_op, ws, must<after_cmp>> {};
struct in_value : seq<or_expr> {};
struct in_close : one<')'> {};
struct in_list : seq<one<'('>, ws, list_must<in_value, seq<ws, one<','>, ws>>, ws, must<in_close>> {};
struct in_open : seq<ws, kw_in, ws> {};
struct in_tail : seq<in_open, must<in_list>> {};
struct comparison : seq<add_expr, star<sor<cmp_tail, in_tail>>> {};

struct not_expr;
struct after_not : seq<not_expr> {};
struct negation : seq<kw_not, ws, must<after_not>> {};
struct not_expr : sor<negation, comparison> {};

struct after_and : seq<not_expr> {};
struct and_tail : seq<ws, kw_and, ws, must<after_and>> {};
struct and_expr : seq<not_expr, star<and_tail>> {};

struct after_or : seq<and_expr> {};
struct or_tail : seq<ws, kw_or, ws, must<after_or>> {};
struct or_expr : seq<and_expr, star<or_tail>> {};

struct expression_body : seq<or_expr> {};
struct end_of_text : eof {};
struct expression : seq<ws, must<expression_body>, ws, must<end_of_text>> {};

// eval's assignment list: target=expression[, target=expression ...]. The target is a bare
// name, a 'single-quoted' or a "double-quoted" field name.
struct target_bare : bare_name {};
struct target_single : seq<one<'\''>, star<sor<escaped, not_one<'\'', '\\'>>>, one<'\''>> {};
struct target_double : string_lit {};
struct assign_target : sor<target_single, target_double, target_bare> {};
struct assign_eq : seq<one<'='>, not_at<one<'='>>> {};
struct assign_value : seq<or_expr> {};
struct assignment : seq<must<assign_target>, ws, must<assign_eq>, ws, must<assign_value>> {};
struct assignments : seq<ws, assignment, star<ws, one<','>, ws, assignment>, ws, must<end_of_text>> {};

}  // namespace cairn::query::eval_grammar
