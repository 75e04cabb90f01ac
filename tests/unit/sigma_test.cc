// Unit tests for the Sigma compiler (engine/hunt/sigma_rule.h, sigma_condition.h) and its
// SPL rendering (spl_render.h), and for cairn's .spl hunt header: small rules written here,
// each expected rendering worked out by hand from the Sigma specification's modifier and
// condition rules.
#include <doctest/doctest.h>

#include "engine/hunt/escu_detection.h"
#include "engine/hunt/sigma_rule.h"
#include "engine/hunt/spl_hunt_file.h"
#include "query/ast.h"

using namespace cairn;

namespace {

std::string Rule(const std::string& detection) {
  return "title: T\nid: 1\nauthor: A\nlevel: high\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n" +
         detection;
}

// The SPL rendering of the compiled rule, or "error: line N: message".
std::string Compile(const std::string& detection) {
  HuntRule rule;
  HuntProblem problem;
  if (!engine::ParseSigmaRule(Rule(detection), "r.yml", &rule, &problem))
    return "error: line " + std::to_string(problem.line) + ": " + problem.message;
  return rule.query;
}

}  // namespace

TEST_CASE("sigma: a map is AND, a list of values OR, and the logsource restricts the sourcetype") {
  CHECK(Compile("  sel:\n    eventSource: iam.amazonaws.com\n    eventName:\n      - A\n      - B\n  condition: sel\n") ==
        "sourcetype=aws:cloudtrail eventSource=iam.amazonaws.com (eventName=A OR eventName=B)");
}

TEST_CASE("sigma: modifiers become patterns, and |all joins the values with AND") {
  CHECK(Compile("  sel:\n    userAgent|contains: 'S3 Browser'\n  condition: sel\n") ==
        "sourcetype=aws:cloudtrail userAgent=\"*S3 Browser*\"");
  CHECK(Compile("  sel:\n    eventName|startswith: Get\n  condition: sel\n") == "sourcetype=aws:cloudtrail eventName=Get*");
  CHECK(Compile("  sel:\n    eventName|endswith: Policy\n  condition: sel\n") == "sourcetype=aws:cloudtrail eventName=*Policy");
  CHECK(Compile("  sel:\n    f|contains|all:\n      - a\n      - b\n  condition: sel\n") ==
        "sourcetype=aws:cloudtrail f=*a* f=*b*");
  // contains '*' is any value: the field is present.
  CHECK(Compile("  sel:\n    errorCode|contains: '*'\n  condition: sel\n") == "sourcetype=aws:cloudtrail errorCode=*");
}

TEST_CASE("sigma: null is an absent field, |exists tests presence") {
  CHECK(Compile("  sel:\n    errorCode: null\n  condition: sel\n") == "sourcetype=aws:cloudtrail NOT errorCode=*");
  CHECK(Compile("  sel:\n    a|exists: true\n    b|exists: false\n  condition: sel\n") ==
        "sourcetype=aws:cloudtrail a=* NOT b=*");
}

TEST_CASE("sigma: ? and escaped wildcards need a regular expression; |re and |fieldref go to where") {
  CHECK(Compile("  sel:\n    f: 'a?c'\n  condition: sel\n") == "sourcetype=aws:cloudtrail | where match('f', \"(?is)^a.c$\")");
  CHECK(Compile("  sel:\n    f: 'a\\*'\n  condition: sel\n") == "sourcetype=aws:cloudtrail | where match('f', \"(?is)^a\\\\*$\")");
  CHECK(Compile("  sel:\n    arn|re: '.+:assumed-role/.+'\n  condition: sel\n") ==
        "sourcetype=aws:cloudtrail | where match('arn', \".+:assumed-role/.+\")");
  CHECK(Compile("  sel:\n    arn|re|i: 'x'\n  condition: sel\n") == "sourcetype=aws:cloudtrail | where match('arn', \"(?i)x\")");
  CHECK(Compile("  sel:\n    a: 1\n  f:\n    a|fieldref: b\n  condition: sel and not f\n") ==
        "sourcetype=aws:cloudtrail a=1 | where NOT (lower('a')==lower('b'))");
}

TEST_CASE("sigma: conditions: not over and over or, 1 of / all of globs, them, parentheses, lists") {
  const std::string sels = "  s_a:\n    x: 1\n  s_b:\n    y: 2\n  f_1:\n    z: 3\n";
  CHECK(Compile(sels + "  condition: s_a or s_b and not f_1\n") == "sourcetype=aws:cloudtrail (x=1 OR (y=2 NOT z=3))");
  CHECK(Compile(sels + "  condition: (s_a or s_b) and not f_1\n") == "sourcetype=aws:cloudtrail (x=1 OR y=2) NOT z=3");
  CHECK(Compile(sels + "  condition: 1 of s_* and not 1 of f_*\n") == "sourcetype=aws:cloudtrail (x=1 OR y=2) NOT z=3");
  CHECK(Compile(sels + "  condition: all of s_*\n") == "sourcetype=aws:cloudtrail x=1 y=2");
  CHECK(Compile(sels + "  condition: all of them\n") == "sourcetype=aws:cloudtrail x=1 y=2 z=3");
  CHECK(Compile(sels + "  condition:\n    - s_a\n    - f_1\n") == "sourcetype=aws:cloudtrail (x=1 OR z=3)");
}

TEST_CASE("sigma: what cannot run is named with its line") {
  CHECK(Compile("  sel:\n    x: 1\n  condition: sel | count() by y > 5\n") ==
        "error: line 11: condition 'sel | count() by y > 5': the aggregation '| count() by y > 5' (deprecated in "
        "Sigma, replaced by correlation rules) is not supported by cairn");
  CHECK(Compile("  sel:\n    x|base64offset: abc\n  condition: sel\n") ==
        "error: line 10: the value modifier '|base64offset' (in 'x|base64offset') is not supported by cairn");
  CHECK(Compile("  sel:\n    x: 1\n  condition: sel and other\n") ==
        "error: line 11: condition 'sel and other': no selection is named 'other'");
  CHECK(Compile("  sel:\n    x: 1\n  condition: (sel\n") == "error: line 11: condition '(sel': a '(' without its ')'");
}

TEST_CASE("sigma: values are not reread as SPL (a literal CIDR-looking value, quotes, OR)") {
  HuntRule rule;
  HuntProblem problem;
  REQUIRE(engine::ParseSigmaRule(Rule("  sel:\n    f: 10.0.0.0/8\n  condition: sel\n"), "r.yml", &rule, &problem));
  const query::SearchNode& root = *rule.search;
  REQUIRE(root.kind == query::SearchNode::Kind::kAnd);
  const query::SearchNode& f = *root.children[1];
  CHECK(f.kind == query::SearchNode::Kind::kCompare);
  CHECK(f.literal);
  CHECK(f.value == "10.0.0.0/8");
  CHECK(Compile("  sel:\n    f: 'say \"OR\"'\n  condition: sel\n") == "sourcetype=aws:cloudtrail f=\"say \\\"OR\\\"\"");
}

TEST_CASE("spl hunt files: header lines, a query over several lines, comments after the header") {
  HuntRule rule;
  HuntProblem problem;
  std::string text =
      "# title: Root login\n# id: abc\n# author: cairn\n# level: high\n# tags: attack.t1078, attack.initial-access\n"
      "# earliest: -7d\n\neventName=ConsoleLogin\n# a comment\n| stats count\n";
  REQUIRE(engine::ParseSplHunt(text, "hunts/root.spl", &rule, &problem));
  CHECK(rule.title == "Root login");
  CHECK(rule.id == "abc");
  CHECK(rule.level == "high");
  CHECK(rule.tags == std::vector<std::string>{"attack.t1078", "attack.initial-access"});
  CHECK(rule.earliest == std::optional<std::string>("-7d"));
  CHECK(rule.query == "eventName=ConsoleLogin | stats count");
  CHECK(rule.query_line == 8);
  HuntRule empty;
  CHECK_FALSE(engine::ParseSplHunt("# title: x\n", "e.spl", &empty, &problem));
  CHECK(problem.message.find("no query") != std::string::npos);
}

TEST_CASE("rule YAML that is not a mapping is a problem, not an exception (found by fuzz_hunt_rule)") {
  // Looks like an ESCU detection line by line, but the whole text is one quoted scalar.
  const std::string escu = "\"\nname: a detection\nsearch: eventName=X\n\"\n";
  REQUIRE(cairn::engine::LooksLikeEscu(escu));
  cairn::HuntRule rule;
  cairn::HuntProblem problem;
  CHECK_FALSE(cairn::engine::ParseEscuDetection(escu, "x.yml", &rule, &problem));
  CHECK(problem.message.find("is a YAML mapping") != std::string::npos);
  const std::string sigma = "\"\nlogsource:\n  product: aws\ndetection:\n  condition: sel\n\"\n";
  REQUIRE(cairn::engine::LooksLikeSigma(sigma));
  CHECK_FALSE(cairn::engine::ParseSigmaRule(sigma, "x.yml", &rule, &problem));
}
