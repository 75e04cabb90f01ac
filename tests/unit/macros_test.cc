// Unit tests for search macros (query/macros.h) and the span map of expanded query text
// (query/query_text.h). Expected texts are written by hand from macros.conf's rules.
#include <doctest/doctest.h>

#include "query/macros.h"
#include "query/query_text.h"

using namespace cairn::query;

namespace {

struct Expanded {
  std::string text;
  std::string error;
  Span error_span;
  std::vector<Diagnostic> notices;
};

Expanded Expand(const std::string& query, const std::string& conf = "") {
  MacroLibrary lib = MacroLibrary::Builtin();
  if (!conf.empty()) lib.AddConf(conf, "test.conf");
  QueryText text(query);
  Expanded out;
  if (auto d = ExpandMacros(lib, &text, &out.notices)) {
    out.error = d->message;
    out.error_span = text.ToOriginal(d->span);
  }
  out.text = text.text();
  return out;
}

}  // namespace

TEST_CASE("built-in macros, with and without arguments") {
  CHECK(Expand("`cloudtrail` eventName=ConsoleLogin").text == "sourcetype=aws:cloudtrail eventName=ConsoleLogin");
  CHECK(Expand("x | `security_content_ctime(firstTime)`").text ==
        "x | convert timeformat=\"%Y-%m-%dT%H:%M:%S\" ctime(firstTime)");
  CHECK(Expand("x | `drop_dm_object_name(\"All_Changes\")`").text == "x | rename \"All_Changes\".* AS *");
}

TEST_CASE("macros.conf: arguments, nesting, continuation lines") {
  const std::string conf =
      "# a comment\n"
      "[pair(2)]\nargs = a, b\ndefinition = $a$=$b$ OR `one`\n"
      "[one]\ndefinition = x=1 \\\n  y=2\n";
  CHECK(Expand("`pair(f, \"v, w\")`", conf).text == "f=\"v, w\" OR x=1 \n  y=2");
  MacroLibrary lib;
  std::vector<std::string> problems = lib.AddConf("[bad(2)]\nargs = a\ndefinition = x\n[noval]\nargs = \n", "m.conf");
  REQUIRE(problems.size() == 2);
  CHECK(problems[0] == "m.conf:1: [bad(2)] declares 2 arguments but args = lists 1");
  CHECK(problems[1] == "m.conf:4: [noval] has no definition");
  CHECK(lib.size() == 0);
}

TEST_CASE("undefined macros: an error at the call, except *_filter") {
  Expanded e = Expand("a `nope(1)` b");
  CHECK(e.error == "macro `nope(1)` is not defined");
  CHECK(e.error_span.begin == 2);
  CHECK(e.error_span.end == 11);
  e = Expand("`cloudtrail` x | `my_rule_filter`");
  CHECK(e.error.empty());
  CHECK(e.text == "sourcetype=aws:cloudtrail x ");
  REQUIRE(e.notices.size() == 1);
  CHECK(e.notices[0].span.begin == 17);
  CHECK(Expand("a | `my_filter` | stats count").text == "a  | stats count");
  CHECK(Expand("a `my_filter` b").text == "a  b");
}

TEST_CASE("cycles, depth and quotes") {
  CHECK(Expand("`a`", "[a]\ndefinition = `b`\n[b]\ndefinition = `a`\n").error == "macro `a` calls itself");
  CHECK(Expand("\"`cloudtrail`\" x").text == "\"`cloudtrail`\" x");
  CHECK(Expand("x `unterminated").error == "unterminated macro: a back quote without its closing one");
}

TEST_CASE("a span in expanded text maps back to what was written") {
  QueryText text("`cloudtrail` | bogus");
  std::vector<Diagnostic> notices;
  REQUIRE(!ExpandMacros(MacroLibrary::Builtin(), &text, &notices));
  REQUIRE(text.text() == "sourcetype=aws:cloudtrail | bogus");
  // "bogus" is at 28..33 now, at 15..20 as written.
  Span s = text.ToOriginal(Span{28, 33});
  CHECK(s.begin == 15);
  CHECK(s.end == 20);
  // Inside the expansion: the whole call, and the message names the macro.
  Diagnostic d;
  d.message = "bad";
  d.span = {5, 9};
  Diagnostic mapped = text.ToOriginal(d);
  CHECK(mapped.span.begin == 0);
  CHECK(mapped.span.end == 12);
  CHECK(mapped.message == "in macro `cloudtrail`: bad");
}
