// Unit tests for search-time fields: props.conf parsing, Splunk's order of aliases and
// calculated fields on a record, and the built-in AWS set loading without a problem.
#include "engine/config/search_time_fields.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/eval/evaluator.h"

namespace cairn::engine {
namespace {

std::string Value(const Record& r, const char* field) {
  const FieldCell* c = r.Get(field);
  return c == nullptr || c->empty() ? "<absent>" : (*c)[0];
}

}  // namespace

TEST_CASE("the built-in AWS search-time fields load without a problem") {
  SearchTimeFields fields;
  std::vector<std::string> problems;
  extern const char kDefaultProps[];
  fields.AddConf(kDefaultProps, "aws_props.conf", &problems);
  CHECK(problems.empty());
  for (const std::string& p : problems) MESSAGE(p);
  CHECK(fields.Defines("userName"));
  CHECK(fields.Defines("aws_account_id"));
  CHECK(fields.For("aws:cloudtrail") != nullptr);
}

TEST_CASE("aliases apply in class order, AS overwrites, ASNEW does not, then EVALs") {
  SearchTimeFields fields;
  std::vector<std::string> problems;
  fields.AddConf(
      "[st]\n"
      "FIELDALIAS-b = second AS who\n"
      "FIELDALIAS-a = first AS who first AS kept\n"
      "FIELDALIAS-c = third ASNEW kept \\\n  third ASNEW fresh\n"
      "EVAL-shout = upper(who)\n"
      "EVAL-gone = null()\n"
      "[source::x]\nFIELDALIAS-z = a AS b\n"
      "[st]\nNOT_A_SETTING = 1\nFIELDALIAS-bad = a TO b\n",
      "test.conf", &problems);
  REQUIRE(problems.size() == 3);
  CHECK(problems[0].find("test.conf:8:") == 0);
  CHECK(problems[2].find("FIELDALIAS-bad") != std::string::npos);
  Record r;
  r.Set("sourcetype", FieldCell{"st"});
  r.Set("first", FieldCell{"one"});
  r.Set("second", FieldCell{"two"});
  r.Set("third", FieldCell{"three"});
  r.Set("kept", FieldCell{"mine"});
  r.Set("gone", FieldCell{"here"});
  EvalContext ctx;
  fields.Apply(&r, &ctx);
  CHECK(Value(r, "who") == "two");      // class b after class a: its source is present
  CHECK(Value(r, "kept") == "one");     // AS overwrites the event's own value
  CHECK(Value(r, "fresh") == "three");  // ASNEW where there was none
  CHECK(Value(r, "shout") == "TWO");    // an EVAL reads the aliases' result
  CHECK(Value(r, "gone") == "<absent>");
  Record other;
  other.Set("sourcetype", FieldCell{"elsewhere"});
  other.Set("first", FieldCell{"one"});
  fields.Apply(&other, &ctx);
  CHECK(Value(other, "who") == "<absent>");
  std::vector<std::string> sources = fields.SourcesOf("shout");
  CHECK(std::find(sources.begin(), sources.end(), "second") != sources.end());
  CHECK(std::find(sources.begin(), sources.end(), "sourcetype") != sources.end());
}

}  // namespace cairn::engine
