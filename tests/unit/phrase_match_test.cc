// The phrase rule (engine/search/phrase_match.h) on hand-checked texts.
#include <doctest/doctest.h>

#include "engine/search/phrase_match.h"

using cairn::engine::ContainsPhrase;
using cairn::engine::PhrasePattern;

TEST_CASE("a phrase matches consecutive segments whatever major breakers separate them") {
  CHECK(ContainsPhrase("2 123 eni-1 1.2.3.4 5.6.7.8 99 22 6 1 40 1 2 reject ok", "reject ok"));
  CHECK(ContainsPhrase("get\t/admin\t200", "get /admin"));
  CHECK(ContainsPhrase("get   /admin", "get /admin"));
  CHECK(ContainsPhrase(R"({"awsregion":"us-east-1","sourceipaddress":"1.2.3.4"})", "us-east-1 sourceipaddress"));
  CHECK_FALSE(ContainsPhrase("reject-ok", "reject ok"));
  CHECK_FALSE(ContainsPhrase("ok reject", "reject ok"));
  CHECK_FALSE(ContainsPhrase("reject x ok", "reject ok"));
}

TEST_CASE("the first segment ends a token and the last starts one, at minor breakers") {
  CHECK(ContainsPhrase("d1.cloudfront.net /api/login", "cloudfront.net /api/login"));
  CHECK(ContainsPhrase("a /api/login?x=1", "a /api/login"));
  CHECK_FALSE(ContainsPhrase("xcloudfront.net /api", "cloudfront.net /api"));
  CHECK_FALSE(ContainsPhrase("a /api/loginx", "a /api/login"));
  CHECK(ContainsPhrase("a b c d", "b c"));
  CHECK_FALSE(ContainsPhrase("a bb c", "a b c"));
}

TEST_CASE("a phrase of one segment lies inside one token") {
  CHECK(ContainsPhrase("user jeff.harrison@example.com", "jeff.harrison"));
  CHECK_FALSE(ContainsPhrase("user xjeff.harrison", "jeff.harrison"));
  CHECK(ContainsPhrase(R"("eventname":"consolelogin")", "consolelogin"));
  CHECK_FALSE(ContainsPhrase(R"("eventname":"consolelogin")", "eventname consolelogin"));
  CHECK(ContainsPhrase(R"("eventname":"consolelogin")", "eventname : consolelogin"));
}

TEST_CASE("a phrase of breakers only has no token and matches nothing") {
  CHECK_FALSE(PhrasePattern(" : ").has_tokens());
  CHECK_FALSE(ContainsPhrase("a : b", " : "));
  CHECK(PhrasePattern("a").has_tokens());
}
