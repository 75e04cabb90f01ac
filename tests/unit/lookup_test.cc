// Unit tests for lookup tables: CSV reading and writing (engine/lookup/csv.h) and the
// JSON paths of spath (engine/eval/json_path.h). Expected values are written by hand.
#include <doctest/doctest.h>

#include "engine/eval/json_path.h"
#include "engine/lookup/csv.h"

using namespace cairn::engine;

TEST_CASE("CSV: quotes, doubled quotes, line breaks in cells, CRLF, blank lines") {
  std::vector<std::string> problems;
  auto rows = ParseCsv("\xEF\xBB\xBFip,note\r\n10.0.0.1,\"a, b\"\r\n\n10.0.0.2,\"say \"\"hi\"\"\nthere\"\n", &problems);
  CHECK(problems.empty());
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].cells == std::vector<std::string>{"ip", "note"});
  CHECK(rows[1].cells == std::vector<std::string>{"10.0.0.1", "a, b"});
  CHECK(rows[2].line == 4);
  CHECK(rows[2].cells == std::vector<std::string>{"10.0.0.2", "say \"hi\"\nthere"});
  rows = ParseCsv("a,b\n1,\"open", &problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "line 2: a quoted cell is not closed");
  CHECK(rows[1].cells == std::vector<std::string>{"1", "open"});
}

TEST_CASE("CSV lines quote only what needs it") {
  CHECK(CsvLine({"a", "b c", "x,y", "q\"q", "l\nl", ""}) == "a,b c,\"x,y\",\"q\"\"q\",\"l\nl\",");
}

TEST_CASE("spath paths: members, {} and {N} (from 0), objects as compact JSON") {
  const std::string doc = R"({"Statement":[{"Action":"s3:*","Principal":{"AWS":"*"}},{"Action":["kms:Encrypt","kms:Decrypt"]}],"n":1.5,"t":true,"z":null})";
  CHECK(*JsonPathValues(doc, "Statement{}.Action") == std::vector<std::string>{"s3:*", "[\"kms:Encrypt\",\"kms:Decrypt\"]"});
  // {} selects array elements only: the lone string Action is spath's `Statement{}.Action`
  CHECK(*JsonPathValues(doc, "Statement{}.Action{}") == std::vector<std::string>{"kms:Encrypt", "kms:Decrypt"});
  CHECK(*JsonPathValues(doc, "Statement{1}.Action{0}") == std::vector<std::string>{"kms:Encrypt"});
  CHECK(*JsonPathValues(doc, "Statement{0}.Principal") == std::vector<std::string>{"{\"AWS\":\"*\"}"});
  CHECK(*JsonPathValues(doc, "n") == std::vector<std::string>{"1.5"});
  CHECK(*JsonPathValues(doc, "t") == std::vector<std::string>{"true"});
  CHECK(JsonPathValues(doc, "z")->empty());
  CHECK(JsonPathValues(doc, "missing.path")->empty());
  CHECK(!JsonPathValues("not json", "a"));
  auto leaves = JsonLeaves(doc);
  REQUIRE(leaves);
  REQUIRE(leaves->size() == 5);
  CHECK((*leaves)[0].first == "Statement{}.Action");
  CHECK((*leaves)[0].second == std::vector<std::string>{"s3:*"});
  CHECK((*leaves)[1].first == "Statement{}.Principal.AWS");
  CHECK((*leaves)[2].first == "Statement{}.Action{}");
  CHECK((*leaves)[2].second == std::vector<std::string>{"kms:Encrypt", "kms:Decrypt"});
}
