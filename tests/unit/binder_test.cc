// Unit tests for the binder: how each term and comparison is classified, field names
// resolved against a schema, unknown fields warned about, and the time range fixed.
#include <doctest/doctest.h>

#include "query/binder.h"
#include "query/parser.h"

using namespace cairn::query;

namespace {

const IndexSchema& Schema() {
  static const IndexSchema schema({"eventName", "resources{}.ARN", "sourceIPAddress", "bytes", "errorCode"});
  return schema;
}

struct Bound {
  cairn::Status status;
  LogicalPlan plan;
};

Bound BindText(const std::string& query, BindOptions options = {}) {
  ParseResult parsed = ParseQuery(query);
  REQUIRE_FALSE(parsed.error);
  auto r = Bind(&parsed.ast, QueryText(query), Schema(), options);
  Bound b;
  if (r.ok()) b.plan = r.take();
  else b.status = r.status();
  return b;
}

// The kind of the search's root predicate.
PredicateKind KindOf(const std::string& query) {
  Bound b = BindText(query);
  REQUIRE(b.status.ok());
  REQUIRE(b.plan.search);
  return b.plan.search->kind;
}

}  // namespace

TEST_CASE("terms are classified by their breakers") {
  CHECK(KindOf("error") == PredicateKind::kToken);
  CHECK(KindOf("jeff.harrison") == PredicateKind::kTokenInside);
  CHECK(KindOf("\"REJECT OK\"") == PredicateKind::kPhrase);
  CHECK(KindOf("CASE(Error)") == PredicateKind::kPhrase);
  CHECK(KindOf("Modify*") == PredicateKind::kTokenPattern);
  CHECK(KindOf("TERM(10.0.0.1)") == PredicateKind::kWholeTerm);
  CHECK(KindOf("\":\"") == PredicateKind::kNone);
  CHECK(KindOf("*") == PredicateKind::kAll);
  Bound b = BindText("\"REJECT OK\"");
  REQUIRE(b.plan.search->parts.size() == 2);
  CHECK(b.plan.search->parts[0] == "reject");
  CHECK(b.plan.search->folded == "reject ok");
}

TEST_CASE("comparisons are classified and their values typed") {
  CHECK(KindOf("sourceIPAddress=10.0.0.0/8") == PredicateKind::kFieldCidr);
  CHECK(KindOf("eventName=Console*") == PredicateKind::kFieldPattern);
  CHECK(KindOf("eventName=*") == PredicateKind::kFieldPresent);
  CHECK(KindOf("eventName!=*") == PredicateKind::kFieldNever);
  CHECK(KindOf("eventName=ConsoleLogin") == PredicateKind::kFieldEquals);
  Bound ne = BindText("errorCode!=Access*");
  REQUIRE(ne.plan.search->kind == PredicateKind::kFieldNotEquals);
  REQUIRE(ne.plan.search->children.size() == 1);
  CHECK(ne.plan.search->children[0]->kind == PredicateKind::kFieldPattern);
  CHECK(ne.plan.search->children[0]->folded == "access*");
  Bound gt = BindText("bytes>1e3");
  CHECK(gt.plan.search->kind == PredicateKind::kFieldCompare);
  REQUIRE(gt.plan.search->number);
  CHECK(*gt.plan.search->number == 1000);
  CHECK_FALSE(BindText("bytes>abc").plan.search->number);
  Bound in = BindText("eventName IN (ConsoleLogin, Assume*)");
  REQUIRE(in.plan.search->kind == PredicateKind::kOr);
  REQUIRE(in.plan.search->children.size() == 2);
  CHECK(in.plan.search->children[0]->kind == PredicateKind::kFieldEquals);
  CHECK(in.plan.search->children[1]->kind == PredicateKind::kFieldPattern);
  CHECK(BindText("eventName=CASE(ConsoleLogin)").plan.search->case_sensitive);
}

TEST_CASE("field names resolve against the schema, {} forms included") {
  Bound b = BindText("resources.ARN=*");
  REQUIRE(b.plan.search->fields.size() == 1);
  CHECK(b.plan.search->fields[0] == "resources{}.ARN");
  CHECK(b.plan.warnings.empty());
  Bound exact = BindText("eventName=x");
  CHECK(exact.plan.search->fields == std::vector<std::string>{"eventName"});
}

TEST_CASE("an unknown field gives one warning with the closest names") {
  Bound b = BindText("eventname=x eventname=y");
  REQUIRE(b.plan.warnings.size() == 1);
  CHECK(b.plan.warnings[0].message.find("'eventname'") != std::string::npos);
  CHECK(b.plan.warnings[0].hint.find("'eventName'") != std::string::npos);
  CHECK(b.plan.warnings[0].span.begin == 0);
  CHECK(b.plan.warnings[0].span.end == 9);
  CHECK(b.plan.search->children[0]->fields.empty());
}

TEST_CASE("the time range is fixed at bind time") {
  BindOptions options;
  options.now_us = 1767225600000000;  // 2026-01-01T00:00:00Z
  Bound b = BindText("earliest=-1h eventName=x", options);
  REQUIRE(b.status.ok());
  REQUIRE(b.plan.range.earliest_us);
  CHECK(*b.plan.range.earliest_us == options.now_us - 3600000000LL);
  CHECK(b.plan.search->kind == PredicateKind::kFieldEquals);

  options.earliest = "-2h";
  Bound over = BindText("earliest=-1h", options);
  CHECK(*over.plan.range.earliest_us == options.now_us - 3600000000LL);  // the query's wins
  CHECK_FALSE(over.plan.search);

  options.earliest = "yesterday-ish";
  Bound bad_option = BindText("x", options);
  CHECK(bad_option.status.code() == cairn::Status::Code::kInvalidArgument);
  CHECK(bad_option.status.message().find("--earliest") == 0);

  Bound nested = BindText("a OR earliest=-1h");
  CHECK(nested.status.code() == cairn::Status::Code::kQueryError);
  CHECK(nested.status.span_begin() == 5);
  CHECK(nested.status.message().find("must apply to the whole search") != std::string::npos);
}
