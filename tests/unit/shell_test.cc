// Unit tests for the shell's output formatting and completion.
#include <doctest/doctest.h>

#include "shell/completion.h"
#include "shell/json_pretty.h"
#include "shell/output_format.h"

using namespace cairn::shell;

TEST_CASE("cells are cut to width with an ellipsis, counting UTF-8 characters") {
  CHECK(DisplayWidth("héllo") == 5);
  CHECK(FitCell("hello", 5) == "hello");
  CHECK(FitCell("hello world", 6) == "hello…");
  CHECK(DisplayWidth(FitCell("hello world", 6)) == 6);
  CHECK(FitCell("ééééé", 3) == "éé…");
}

TEST_CASE("tables fit the terminal width") {
  std::vector<std::string> headers = {"field", "value"};
  std::vector<std::vector<std::string>> rows = {{"userIdentity.arn", std::string(100, 'x')}, {"a", "b,c"}};
  std::string t = RenderTable(headers, rows, 40);
  size_t start = 0;
  while (start < t.size()) {
    size_t end = t.find('\n', start);
    CHECK(DisplayWidth(t.substr(start, end - start)) <= 40);
    start = end + 1;
  }
  CHECK(t.find("…") != std::string::npos);
  CHECK(t.find("b,c") != std::string::npos);  // multivalue cells are joined with commas
  std::string wide = RenderTable(headers, rows, 0);
  CHECK(wide.find(std::string(100, 'x')) != std::string::npos);
}

TEST_CASE("multivalue and time cells") {
  cairn::Event ev;
  ev.time_us = 1735502363000000;  // 2024-12-29T19:59:23Z
  ev.fields.push_back({"resources{}.ARN", {"arn:a", "arn:b"}, cairn::ValueKind::kString});
  CHECK(CellValue(ev, "_time") == "2024-12-29T19:59:23Z");
  CHECK(CellValue(ev, "resources{}.ARN") == "arn:a,arn:b");
  CHECK(CellValue(ev, "missing").empty());
}

TEST_CASE("pretty JSON indents and keeps empty containers inline") {
  CHECK(PrettyJson(R"({"a":1,"b":{"c":[true,null]},"d":{}})", false) ==
        "{\n  \"a\": 1,\n  \"b\": {\n    \"c\": [\n      true,\n      null\n    ]\n  },\n  \"d\": {}\n}");
  CHECK(PrettyJson(R"({"k":"v"})", true).find("\033[36m\"k\"") != std::string::npos);
  // Every key is coloured as a key, after nested containers and brackets inside strings too.
  std::string coloured = PrettyJson(R"({"a":"[x","b":[1,{"c":2,"d":"}"}],"e":3})", true);
  for (const char* key : {"\"a\"", "\"b\"", "\"c\"", "\"d\"", "\"e\""})
    CHECK(coloured.find(std::string("\033[36m") + key) != std::string::npos);
  CHECK(coloured.find("\033[36m\"[x\"") == std::string::npos);
  CHECK(coloured.find("\033[32m\"}\"") != std::string::npos);
}

namespace {
class FakeSource : public CompletionSource {
 public:
  std::vector<std::pair<std::string, uint64_t>> Fields() override { return {{"eventName", 10}, {"eventSource", 10}, {"errorCode", 2}}; }
  std::vector<std::pair<std::string, uint64_t>> Values(const std::string& f) override {
    if (f == "eventName") return {{"ConsoleLogin", 5}, {"AssumeRole", 3}, {"Create Key", 1}};
    return {};
  }
  std::vector<std::string> Commands() override { return {"sort", "stats", "table"}; }
};
}  // namespace

TEST_CASE("completion picks fields, values, commands and dot-commands") {
  FakeSource src;
  CHECK(Complete("eventN", &src) == std::vector<std::string>{"eventName"});
  CHECK(Complete("readOnly=false event", &src) == std::vector<std::string>{"eventName", "eventSource"});
  CHECK(Complete("eventName=Co", &src) == std::vector<std::string>{"eventName=ConsoleLogin"});
  CHECK(Complete("eventName=Cr", &src) == std::vector<std::string>{"eventName=\"Create Key\""});
  CHECK(Complete("x | st", &src) == std::vector<std::string>{"stats"});
  CHECK(Complete("x | stats count by event", &src) == std::vector<std::string>{"eventName", "eventSource"});
  CHECK(Complete(".fi", &src) == std::vector<std::string>{".fields"});
}
