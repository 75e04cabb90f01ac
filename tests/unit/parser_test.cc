// Unit tests for the query parser: precedence, keywords, values, errors with spans.
#include "query/parser.h"

#include <doctest/doctest.h>

using namespace cairn::query;

namespace {
// A compact rendering of the search tree: AND(...), OR(...), NOT(...), f=v, "term".
std::string Show(const SearchNode* n) {
  if (n == nullptr) return "<none>";
  auto list = [&](const char* name) {
    std::string s = std::string(name) + "(";
    for (size_t i = 0; i < n->children.size(); ++i) s += (i ? " " : "") + Show(n->children[i].get());
    return s + ")";
  };
  static const char* ops[] = {"=", "!=", "<", "<=", ">", ">="};
  switch (n->kind) {
    case SearchNode::Kind::kAnd:
      return list("AND");
    case SearchNode::Kind::kOr:
      return list("OR");
    case SearchNode::Kind::kNot:
      return list("NOT");
    case SearchNode::Kind::kTerm:
      return (n->case_sensitive ? "CASE:" : "") + ("'" + n->value + "'");
    case SearchNode::Kind::kCompare:
      return n->field + ops[static_cast<int>(n->op)] + (n->case_sensitive ? "CASE:" : "") + n->value;
    case SearchNode::Kind::kIn: {
      std::string s = n->field + " IN[";
      for (size_t i = 0; i < n->values.size(); ++i) s += (i ? "," : "") + n->values[i];
      return s + "]";
    }
    case SearchNode::Kind::kRegex:
      return n->field + "~/" + n->value + "/";
    case SearchNode::Kind::kFieldRef:
      return n->field + "==field:" + n->value;
    case SearchNode::Kind::kEval:
      return n->field + "=eval:" + n->eval->text;
  }
  return "?";
}
std::string Parse(const std::string& q) {
  auto r = ParseQuery(q);
  if (r.error) return "error@" + std::to_string(r.error->span.begin) + ": " + r.error->message;
  return Show(r.ast.search.get());
}
}  // namespace

TEST_CASE("OR binds tighter than AND in search") {
  CHECK(Parse("a b OR c") == "AND('a' OR('b' 'c'))");
  CHECK(Parse("a OR b c") == "AND(OR('a' 'b') 'c')");
  CHECK(Parse("a AND b OR c") == "AND('a' OR('b' 'c'))");
  CHECK(Parse("(a b) OR c") == "OR(AND('a' 'b') 'c')");
  CHECK(Parse("NOT a b") == "AND(NOT('a') 'b')");
  CHECK(Parse("NOT (a OR b)") == "NOT(OR('a' 'b'))");
}

TEST_CASE("lower-case keywords are terms") {
  CHECK(Parse("a or b") == "AND('a' 'or' 'b')");
  CHECK(Parse("not x") == "AND('not' 'x')");
  CHECK(Parse("ORACLE") == "'ORACLE'");
}

TEST_CASE("comparisons, quoting, IN and directives") {
  CHECK(Parse("eventName=ConsoleLogin") == "eventName=ConsoleLogin");
  CHECK(Parse("userIdentity.accessKeyId=AKIA*") == "userIdentity.accessKeyId=AKIA*");
  CHECK(Parse("NOT userIdentity.sessionContext.attributes.creationDate=*") ==
        "NOT(userIdentity.sessionContext.attributes.creationDate=*)");
  CHECK(Parse("\"additionalEventData.MFAUsed\"=Yes") == "additionalEventData.MFAUsed=Yes");
  CHECK(Parse("errorMessage=\"Failed authentication\"") == "errorMessage=Failed authentication");
  CHECK(Parse("f!=v x>=10 y<3") == "AND(f!=v x>=10 y<3)");
  CHECK(Parse("eventName IN (PutUserPolicy, \"Attach UserPolicy\", Delete*)") ==
        "eventName IN[PutUserPolicy,Attach UserPolicy,Delete*]");
  CHECK(Parse("host=CASE(LOCALHOST)") == "host=CASE:LOCALHOST");
  CHECK(Parse("\"resources{}.ARN\"=arn:aws:s3:::x") == "resources{}.ARN=arn:aws:s3:::x");
  CHECK(Parse("v=\"a\\\"b\\\\c\\s\"") == "v=a\"b\\c\\s");
  CHECK(Parse("country=\"OR\"") == "country=OR");
  CHECK(Parse("\"Failed authentication\"") == "'Failed authentication'");
  CHECK(Parse("search eventName=x") == "eventName=x");
  CHECK(Parse("*") == "'*'");
}

TEST_CASE("pipeline commands keep their argument text") {
  auto r = ParseQuery("readOnly=false | stats count by eventSource eventName | sort -count");
  REQUIRE_FALSE(r.error);
  REQUIRE(r.ast.commands.size() == 2);
  CHECK(r.ast.commands[0].name == "stats");
  CHECK(r.ast.commands[0].args == "count by eventSource eventName");
  CHECK(r.ast.commands[1].args == "-count");
  auto q = ParseQuery("x | search \"a|b\" [search y | head 1]");
  REQUIRE_FALSE(q.error);
  CHECK(q.ast.commands[0].args == "\"a|b\" [search y | head 1]");
  auto g = ParseQuery("| makeresults count=3");
  REQUIRE_FALSE(g.error);
  CHECK(g.ast.leading_pipe);
  CHECK(g.ast.search == nullptr);
}

TEST_CASE("errors point at the problem") {
  CHECK(Parse("(a b") == "error@4: unbalanced parentheses: expected ')'");
  CHECK(Parse("a b)") == "error@3: unbalanced parentheses: ')' has no matching '('");
  CHECK(Parse("a OR") == "error@4: expected a search term after OR");
  CHECK(Parse("a AND") == "error@5: expected a search term after AND");
  CHECK(Parse("NOT") == "error@3: expected a search term after NOT");
  CHECK(Parse("x=\"abc") == "error@2: unterminated quoted string");
  CHECK(Parse("x= ") == "error@3: expected a value after the operator");
  CHECK(Parse("a | ") == "error@4: expected a command name after '|'");
}

TEST_CASE("rendered diagnostics put the caret under the span") {
  auto r = ParseQuery("eventName=x OR");
  REQUIRE(r.error);
  std::string text = r.error->Render("eventName=x OR");
  CHECK(text.find("  eventName=x OR\n                ^\n") != std::string::npos);
}
