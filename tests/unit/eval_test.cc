// Unit tests for the eval language core: parsing (precedence, quoting, errors with spans),
// assignment lists, EvalValue typing and formatting, and the operators' Splunk semantics.
#include <doctest/doctest.h>

#include "engine/eval/evaluator.h"
#include "query/eval_parser.h"
#include "tests/unit/eval_show.h"

using cairn::engine::EvalContext;
using cairn::engine::EvalValue;
using cairn::engine::Record;
using cairn::test::Show;
using namespace cairn::query;

namespace {

std::string Parse(const std::string& text) {
  auto r = ParseEvalExpression(text, 0);
  if (r.error) return "error@" + std::to_string(r.error->span.begin) + ": " + r.error->message;
  return FormatEvalExpr(*r.expr);
}

Record Sample() {
  Record r;
  r.Set("ten", {"10"});
  r.Set("abc", {"abc"});
  r.Set("zeros", {"007"});
  r.Set("event", {"ConsoleLogin"});
  r.Set("mv", {"a", "b"});
  r.Set("nums", {"5", "10", "9"});
  r.Set("resources{}.ARN", {"arn:aws:s3:::bucket"});
  r.Set("userIdentity.userName", {"alice"});
  r.Set("a b", {"spaced"});
  return r;
}

std::string Eval(const std::string& text, const Record& record = Sample()) {
  auto r = ParseEvalExpression(text, 0);
  if (r.error) return "error: " + r.error->message;
  EvalContext ctx;
  return Show(cairn::engine::Evaluate(*r.expr, record, &ctx));
}

}  // namespace

TEST_CASE("AND binds tighter than OR, NOT looser than comparisons") {
  CHECK(Parse("a=1 OR b=2 AND c=3") == "(a = 1) OR ((b = 2) AND (c = 3))");
  CHECK(Parse("a=1 AND b=2 OR c=3") == "((a = 1) AND (b = 2)) OR (c = 3)");
  CHECK(Parse("(a=1 OR b=2) AND c=3") == "((a = 1) OR (b = 2)) AND (c = 3)");
  CHECK(Parse("NOT a=1 AND b=2") == "(NOT (a = 1)) AND (b = 2)");
  CHECK(Parse("NOT NOT a") == "NOT (NOT a)");
}

TEST_CASE("arithmetic precedence and associativity") {
  CHECK(Parse("1+2*3") == "1 + (2 * 3)");
  CHECK(Parse("10-2-3") == "(10 - 2) - 3");
  CHECK(Parse("-a*b") == "(-a) * b");
  CHECK(Parse("a . b + c") == "(a . b) + c");
  CHECK(Parse("x+1 > y*2") == "(x + 1) > (y * 2)");
  CHECK(Parse("a == b") == "a = b");
  CHECK(Parse("-5 + 2") == "(-5) + 2");
  CHECK(Parse("2 - -3") == "2 - (-3)");
  CHECK(Eval("10-2-3") == "5");
  CHECK(Eval("2*(3+4)") == "14");
  CHECK(Eval("2+3*4") == "14");
}

TEST_CASE("quoting: single quotes name fields, double quotes make strings") {
  CHECK(Parse("'a b'=\"a b\"") == "'a b' = \"a b\"");
  CHECK(Parse("'resources{}.ARN'") == "resources{}.ARN");
  CHECK(Parse("resources{}.ARN") == "resources{}.ARN");
  CHECK(Parse("userIdentity.userName") == "userIdentity.userName");
  CHECK(Parse("a.\"-\".b") == "(a . \"-\") . b");
  CHECK(Parse("\"say \\\"hi\\\"\"") == "\"say \\\"hi\\\"\"");
  CHECK(Eval("'a b'") == "\"spaced\"");
  CHECK(Eval("\"a b\"") == "\"a b\"");
  CHECK(Eval("'resources{}.ARN'=\"arn:aws:s3:::bucket\"") == "true");
  CHECK(Eval("userIdentity.userName=\"alice\"") == "true");
  CHECK(Eval("\"a\\\\d\"") == "\"a\\d\"");
}

TEST_CASE("AND, OR and NOT in any case; IN upper case only, IN lists become in()") {
  CHECK(Parse("x IN (\"a\", 1, y)") == "in(x, \"a\", 1, y)");
  CHECK(Parse("NOT x IN (1)") == "NOT in(x, 1)");
  CHECK(Parse("ANDROID=1") == "ANDROID = 1");
  CHECK(Parse("a=1 and b=2") == Parse("a=1 AND b=2"));
  CHECK(Parse("a=1 or not b=2") == Parse("a=1 OR NOT b=2"));
  CHECK(Parse("a in (1)") == "error@2: unexpected text");
  CHECK(Parse("true") == "true");
  CHECK(Parse("true()") == "true()");
}

TEST_CASE("parse errors carry spans offset into the whole query") {
  auto r = ParseEvalExpression("x=", 10);
  REQUIRE(r.error);
  CHECK(r.error->message == "expected a value after the comparison");
  CHECK(r.error->span.begin == 12);

  r = ParseEvalExpression("lenn(x) > 1", 6);
  REQUIRE(r.error);
  CHECK(r.error->message == "unknown eval function 'lenn'");
  CHECK(r.error->span.begin == 6);
  CHECK(r.error->span.end == 10);
  CHECK(r.error->hint == "did you mean 'len'?");

  r = ParseEvalExpression("IF(a, 1, 2)", 0);
  REQUIRE(r.error);
  CHECK(r.error->hint == "eval function names are lower case: did you mean 'if'?");

  r = ParseEvalExpression("x + if(a, 1)", 3);
  REQUIRE(r.error);
  CHECK(r.error->message == "if() takes 3 arguments, got 2");
  CHECK(r.error->span.begin == 7);
  CHECK(r.error->span.end == 15);

  CHECK(Parse("case(a, 1, b)") == "error@0: case() takes condition, value pairs, got an odd number of arguments");
  CHECK(Parse("substr(x)") == "error@0: substr() takes 2 to 3 arguments, got 1");
  CHECK(Parse("now(1)") == "error@0: now() takes 0 arguments, got 1");
  CHECK(Parse("mvfilter(a = b)") == "error@9: mvfilter() takes an expression over exactly one field, got 2");
  CHECK(Parse("(a=1") == "error@4: unbalanced parentheses: expected ')'");
  CHECK(Parse("a=1)") == "error@3: unbalanced parentheses: ')' has no matching '('");
  CHECK(Parse("x=\"abc") == "error@2: unterminated quoted string");
  CHECK(Parse("'abc") == "error@0: unterminated single-quoted field name");
  CHECK(Parse("f(1 2)") == "error@4: expected ',' or ')' in the function's argument list");
  CHECK(Parse("a AND") == "error@5: expected an expression after AND");
  CHECK(Parse("NOT") == "error@3: expected an expression after NOT");
  CHECK(Parse("") == "error@0: expected an expression");
  CHECK(Parse("5minutes > 1") == "error@1: unexpected text");
  CHECK(Parse(std::string(5000, '(') + "1" + std::string(5000, ')')).find("nested too deeply") != std::string::npos);
}

TEST_CASE("eval assignment lists") {
  auto r = ParseEvalAssignments("a=1, 'b c'=x+1 , \"d\"=lower(\"X\")", 100);
  REQUIRE_FALSE(r.error);
  REQUIRE(r.assignments.size() == 3);
  CHECK(r.assignments[0].field == "a");
  CHECK(r.assignments[0].field_span.begin == 100);
  CHECK(FormatEvalExpr(*r.assignments[0].expr) == "1");
  CHECK(r.assignments[1].field == "b c");
  CHECK(r.assignments[1].field_span.begin == 105);
  CHECK(r.assignments[1].field_span.end == 110);
  CHECK(FormatEvalExpr(*r.assignments[1].expr) == "x + 1");
  CHECK(r.assignments[2].field == "d");
  CHECK(FormatEvalExpr(*r.assignments[2].expr) == "lower(\"X\")");
  CHECK(r.assignments[2].expr->span.begin == 121);

  r = ParseEvalAssignments("a=1 b=2", 0);
  REQUIRE(r.error);
  CHECK(r.error->span.begin == 4);
  CHECK(r.error->hint == "separate assignments with commas: eval a=1, b=2");
  r = ParseEvalAssignments("=1", 0);
  REQUIRE(r.error);
  CHECK(r.error->message == "expected a field name to assign to");
  r = ParseEvalAssignments("a=", 0);
  REQUIRE(r.error);
  CHECK(r.error->message == "expected an expression after '='");
  r = ParseEvalAssignments("a=nope(1)", 0);
  REQUIRE(r.error);
  CHECK(r.error->message == "unknown eval function 'nope'");
}

TEST_CASE("EvalValue typing and number formatting") {
  using cairn::engine::FormatEvalNumber;
  using cairn::engine::ParseEvalNumber;
  CHECK(FormatEvalNumber(3.0) == "3");
  CHECK(FormatEvalNumber(-0.0) == "0");
  CHECK(FormatEvalNumber(2.5) == "2.5");
  CHECK(FormatEvalNumber(0.1 + 0.2) == "0.30000000000000004");
  CHECK(FormatEvalNumber(123456789012.0) == "123456789012");
  CHECK(FormatEvalNumber(1e21) == "1e+21");
  CHECK(ParseEvalNumber("12") == 12.0);
  CHECK(ParseEvalNumber("-3.5") == -3.5);
  CHECK(ParseEvalNumber("+4") == 4.0);
  CHECK(ParseEvalNumber("1e3") == 1000.0);
  CHECK(ParseEvalNumber(".5") == 0.5);
  CHECK_FALSE(ParseEvalNumber(""));
  CHECK_FALSE(ParseEvalNumber(" 1"));
  CHECK_FALSE(ParseEvalNumber("1x"));
  CHECK_FALSE(ParseEvalNumber("inf"));
  CHECK_FALSE(ParseEvalNumber("0x10"));
  CHECK_FALSE(ParseEvalNumber("1e999"));
  CHECK(EvalValue::FromData("007").is_number());
  CHECK(EvalValue::FromData("007").ToText() == "007");
  CHECK(EvalValue::FromData("abc").is_string());
  CHECK(EvalValue::FromValues({}).is_null());
  CHECK(EvalValue::FromValues({"a", "b"}).is_multi());
  CHECK_FALSE(EvalValue::Null().Truthy());
  CHECK_FALSE(EvalValue::Number(0).Truthy());
  CHECK(EvalValue::String("x").Truthy());
}

TEST_CASE("arithmetic: null propagation, division by zero, + and .") {
  CHECK(Eval("1+2") == "3");
  CHECK(Eval("7/2") == "3.5");
  CHECK(Eval("7%3") == "1");
  CHECK(Eval("5/0") == "null");
  CHECK(Eval("5%0") == "null");
  CHECK(Eval("missing+1") == "null");
  CHECK(Eval("-missing") == "null");
  CHECK(Eval("ten+1") == "11");
  CHECK(Eval("-ten") == "-10");
  CHECK(Eval("\"a\"+\"b\"") == "\"ab\"");
  CHECK(Eval("\"1\"+\"2\"") == "\"12\"");
  CHECK(Eval("abc+1") == "null");
  CHECK(Eval("\"a\".\"b\"") == "\"ab\"");
  CHECK(Eval("1 . 2") == "\"12\"");
  CHECK(Eval("2+3 . \"x\"") == "\"5x\"");
  CHECK(Eval("zeros.\"!\"") == "\"007!\"");
  CHECK(Eval("abc . missing") == "null");
  CHECK(Eval("mv.\"x\"") == "null");
  CHECK(Eval("0.1+0.2") == "0.30000000000000004");
  CHECK(Eval("1e308*10") == "null");
}

TEST_CASE("comparisons: numeric when both are numbers, else case-sensitive text") {
  CHECK(Eval("ten>5") == "true");
  CHECK(Eval("ten>\"5\"") == "false");
  CHECK(Eval("abc>5") == "true");
  CHECK(Eval("abc<5") == "false");
  CHECK(Eval("zeros=7") == "true");
  CHECK(Eval("zeros=\"007\"") == "true");
  CHECK(Eval("zeros=\"7\"") == "false");
  CHECK(Eval("event=\"ConsoleLogin\"") == "true");
  CHECK(Eval("event=\"consolelogin\"") == "false");
  CHECK(Eval("event!=\"consolelogin\"") == "true");
  CHECK(Eval("\"10\" < \"9\"") == "true");
  CHECK(Eval("10 < 9") == "false");
  CHECK(Eval("ten==10.0") == "true");
  CHECK(Eval("ten>=10 AND ten<=10") == "true");
}

TEST_CASE("comparisons on multivalue fields are true if any value satisfies them") {
  CHECK(Eval("mv=\"b\"") == "true");
  CHECK(Eval("mv=\"c\"") == "false");
  CHECK(Eval("mv!=\"a\"") == "true");
  CHECK(Eval("nums>9") == "true");
  CHECK(Eval("nums>10") == "false");
}

TEST_CASE("three-valued logic with null") {
  CHECK(Eval("missing>5") == "null");
  CHECK(Eval("NOT missing>5") == "null");
  CHECK(Eval("missing=1 OR true()") == "true");
  CHECK(Eval("missing=1 OR false()") == "null");
  CHECK(Eval("missing=1 AND false()") == "false");
  CHECK(Eval("missing=1 AND true()") == "null");
  CHECK(Eval("ten=10 OR missing=1 AND false()") == "true");
  CHECK(Eval("NOT ten=10") == "false");
}
